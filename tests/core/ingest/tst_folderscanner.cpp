#include "core/ingest/FolderScanner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
void write(const QDir &root, const QString &relative, const QByteArray &content = "text")
{
    const QString path = root.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

QStringList relativePaths(const QDir &root, const QList<FileSnapshot> &files)
{
    QStringList paths;
    for (const FileSnapshot &file : files)
        paths.append(root.relativeFilePath(file.path));
    paths.sort();
    return paths;
}
} // namespace

class TestFolderScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsReadableFormatsRecursively()
    {
        QTemporaryDir dir;
        const QDir root(dir.path());
        write(root, u"notes.md"_s);
        write(root, u"deep/er/manual.pdf"_s);
        write(root, u"deep/table.csv"_s);
        write(root, u"src/main.cpp"_s);
        write(root, u"photo.jpg"_s);
        write(root, u"archive.bin"_s);
        write(root, u".hidden.md"_s);
        write(root, u".git/HEAD.md"_s);
        write(root, u"deep/.cache/page.html"_s);

        const auto files = FolderScanner::scan(dir.path());
        QVERIFY(files);
        QCOMPARE(relativePaths(root, *files),
                 (QStringList{u"deep/er/manual.pdf"_s, u"deep/table.csv"_s, u"notes.md"_s, u"src/main.cpp"_s}));
    }

    void recordsSizeAndModificationTime()
    {
        QTemporaryDir dir;
        write(QDir(dir.path()), u"a.txt"_s, "12345");
        const auto files = FolderScanner::scan(dir.path());
        QVERIFY(files);
        QCOMPARE(files->size(), 1);
        QCOMPARE(files->first().size, 5);
        QCOMPARE(files->first().modifiedAt, QFileInfo(dir.filePath(u"a.txt"_s)).lastModified(QTimeZone::UTC));
        QVERIFY(QDir::isAbsolutePath(files->first().path));
    }

    void aFilePickedByHandIsListedWhateverItsType()
    {
        QTemporaryDir dir;
        write(QDir(dir.path()), u"picture.jpg"_s);
        const auto files = FolderScanner::scan(dir.filePath(u"picture.jpg"_s));
        QVERIFY(files);
        QCOMPARE(files->size(), 1);
    }

    void doesNotFollowSymlinkLoops()
    {
        QTemporaryDir dir;
        const QDir root(dir.path());
        write(root, u"sub/doc.txt"_s);
        QVERIFY(QFile::link(dir.path(), root.filePath(u"sub/loop"_s)));
        const auto files = FolderScanner::scan(dir.path());
        QVERIFY(files);
        QCOMPARE(relativePaths(root, *files), QStringList{u"sub/doc.txt"_s});
    }

    void aMissingFolderIsAClearError()
    {
        const auto files = FolderScanner::scan(u"/nonexistent/ragdesk/folder"_s);
        QVERIFY(!files);
        QCOMPARE(files.error().kind, Error::Kind::File);
        QVERIFY(files.error().message.contains(u"does not exist"_s));
    }

    void cancellationStopsALongScan()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 600; ++i)
            write(QDir(dir.path()), u"f%1.txt"_s.arg(i));
        CancelToken cancel;
        cancel.cancel();
        const auto files = FolderScanner::scan(dir.path(), cancel);
        QVERIFY(!files);
        QVERIFY(files.error().isCancelled());
    }
};

QTEST_GUILESS_MAIN(TestFolderScanner)
#include "tst_folderscanner.moc"
