#include "core/ingest/FolderWatch.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

/// A profile with its ingestion stack on the scripted fake helper, and a folder of documents.
class Library
{
public:
    Library() { open(); }

    void open()
    {
        auto profile = mustSucceed(ProfileDatabase::open(m_profile.path()));
        IngestionStack::Options options;
        options.helperPath = shippedBinary(u"ragdesk-fake-extract"_s);
        stack = mustSucceed(IngestionStack::open(profile, m_profile.path(), options));
    }
    /// Closes everything, as quitting the app does; the profile and the folder stay.
    void close()
    {
        stack->shutdown();
        stack.reset();
    }

    KnowledgeBaseLibrary &library() { return *stack->library(); }

    QString write(const QString &relative, const QByteArray &content)
    {
        const QString path = QDir(m_folder.path()).filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        file.write(content);
        return path;
    }
    [[nodiscard]] QString folder() const { return m_folder.path(); }

    /// Starts the library, creates "Notes" with the whole folder in it and waits until its
    /// @p files files are indexed.
    KnowledgeBase indexFolder(int files)
    {
        mustSucceed(library().start());
        const KnowledgeBase notes = mustSucceed(library().create(u"Notes"_s, {}, u"en"_s));
        mustSucceed(library().addPaths(notes.id, {folder()}));
        if (!QTest::qWaitFor([&] { return indexedNames(notes.id).size() == files; }, 20000))
            qFatal("%lld of %d files indexed", qlonglong(indexedNames(notes.id).size()), files);
        return notes;
    }

    QList<DocumentRecord> documents(qint64 knowledgeBaseId)
    {
        return mustSucceed(stack->documents()->documents(knowledgeBaseId));
    }
    QStringList indexedNames(qint64 knowledgeBaseId)
    {
        QStringList names;
        for (const DocumentRecord &document : documents(knowledgeBaseId)) {
            if (document.status == DocumentStatus::Indexed)
                names.append(QDir(m_folder.path()).relativeFilePath(document.path));
        }
        names.sort();
        return names;
    }
    QString chunkText(qint64 knowledgeBaseId, const QString &relative)
    {
        for (const DocumentRecord &document : documents(knowledgeBaseId)) {
            if (document.path == QDir(m_folder.path()).filePath(relative)) {
                const auto chunks = mustSucceed(stack->chunks()->chunks(document.id));
                return chunks.isEmpty() ? QString() : chunks.first().draft.text;
            }
        }
        return {};
    }

    std::unique_ptr<IngestionStack> stack;

private:
    TempProfile m_profile;
    QTemporaryDir m_folder;
};

} // namespace

class TestKnowledgeBaseLibrary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsFindsRenamesAndRefusesDuplicates()
    {
        Library fixture;
        auto &library = fixture.library();
        QSignalSpy changed(&library, &KnowledgeBaseLibrary::knowledgeBasesChanged);
        const KnowledgeBase manuals = mustSucceed(library.create(u"  Manuals "_s, {256, 32}, u"de"_s));
        QCOMPARE(manuals.name, u"Manuals"_s);
        QCOMPARE(manuals.chunking.targetTokens, 256);
        QCOMPARE(changed.size(), 1);

        QCOMPARE(mustSucceed(library.find(u"manuals"_s)).id, manuals.id);
        const auto duplicate = QCoro::waitFor(library.create(u"MANUALS"_s, {}, u"en"_s));
        QVERIFY(!duplicate);
        QVERIFY2(duplicate.error().message.contains(u"Manuals"_s, Qt::CaseInsensitive), qPrintable(duplicate.error().message));

        mustSucceed(library.rename(manuals.id, u"Handbooks"_s));
        const auto missing = QCoro::waitFor(library.find(u"Manuals"_s));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(u"Handbooks"_s), qPrintable(missing.error().message));
    }

    void addingAFolderIndexesItsFiles()
    {
        Library fixture;
        fixture.write(u"a.txt"_s, "apple");
        fixture.write(u"sub/b.md"_s, "banana");
        fixture.write(u"photo.png"_s, "not a document");
        mustSucceed(fixture.library().start());
        const KnowledgeBase notes = mustSucceed(fixture.library().create(u"Notes"_s, {}, u"en"_s));

        QSignalSpy idle(fixture.stack->queue(), &IngestQueue::idle);
        const auto summary = mustSucceed(fixture.library().addPaths(notes.id, {fixture.folder()}));
        QCOMPARE(summary.listed, 2);
        QCOMPARE(summary.queued, 2);
        QTRY_COMPARE_WITH_TIMEOUT(fixture.indexedNames(notes.id), (QStringList{u"a.txt"_s, u"sub/b.md"_s}), 20000);

        const auto sources = mustSucceed(fixture.library().sources(notes.id));
        QCOMPARE(sources.size(), 1);
        QVERIFY(sources.first().isFolder);
        QVERIFY(sources.first().watched);
    }

    void newChunkSettingsRechunkEveryDocument()
    {
        Library fixture;
        QByteArray longText;
        for (int i = 0; i < 400; ++i)
            longText += "sentence number " + QByteArray::number(i) + " about re-chunking. ";
        fixture.write(u"long.txt"_s, longText);
        const KnowledgeBase notes = fixture.indexFolder(1);
        const auto chunksOf = [&] { return fixture.documents(notes.id).value(0).chunkCount; };
        const int before = chunksOf();
        QVERIFY(before > 0);

        mustSucceed(fixture.library().updateSettings(notes.id, {64, 8}, u"en"_s));
        // The file's bytes did not change; new settings alone make it chunked again, smaller.
        QTRY_VERIFY_WITH_TIMEOUT(chunksOf() > before * 4, 20000);
        QCOMPARE(fixture.documents(notes.id).value(0).status, DocumentStatus::Indexed);

        // A language change alone does not re-read anything.
        const int after = chunksOf();
        mustSucceed(fixture.library().updateSettings(notes.id, {64, 8}, u"de"_s));
        QCOMPARE(fixture.documents(notes.id).value(0).status, DocumentStatus::Indexed);
        QCOMPARE(chunksOf(), after);
    }

    void aMissingPathAddsNothing()
    {
        Library fixture;
        const KnowledgeBase notes = mustSucceed(fixture.library().create(u"Notes"_s, {}, u"en"_s));
        const QString real = fixture.write(u"real.txt"_s, "real");
        const auto added = QCoro::waitFor(fixture.library().addPaths(notes.id, {real, u"/no/such/file.txt"_s}));
        QVERIFY(!added);
        QVERIFY2(added.error().message.contains(u"/no/such/file.txt"_s), qPrintable(added.error().message));
        QVERIFY(fixture.documents(notes.id).isEmpty());
        QVERIFY(mustSucceed(fixture.library().sources(notes.id)).isEmpty());
    }

    void removingAPathRemovesItsDocuments()
    {
        Library fixture;
        fixture.write(u"keep/a.txt"_s, "keep me");
        fixture.write(u"drop/b.txt"_s, "drop me");
        fixture.write(u"drop/c.txt"_s, "drop me too");
        const KnowledgeBase notes = fixture.indexFolder(3);

        QCOMPARE(mustSucceed(fixture.library().removePaths(notes.id, {QDir(fixture.folder()).filePath(u"drop"_s)})), 2);
        QCOMPARE(fixture.indexedNames(notes.id), QStringList{u"keep/a.txt"_s});
        mustSucceed(fixture.stack->documents()->checkIntegrity());
    }

    void deletingAKnowledgeBaseRemovesEverything()
    {
        Library fixture;
        fixture.write(u"a.txt"_s, "alpha");
        mustSucceed(fixture.library().start());
        const KnowledgeBase doomed = mustSucceed(fixture.library().create(u"Doomed"_s, {}, u"en"_s));
        const KnowledgeBase kept = mustSucceed(fixture.library().create(u"Kept"_s, {}, u"en"_s));
        mustSucceed(fixture.library().addPaths(doomed.id, {fixture.folder()}));
        mustSucceed(fixture.library().addPaths(kept.id, {fixture.folder()}));
        QTRY_VERIFY_WITH_TIMEOUT(fixture.indexedNames(doomed.id).size() == 1 && fixture.indexedNames(kept.id).size() == 1, 20000);

        mustSucceed(fixture.library().remove(doomed.id));
        QVERIFY(fixture.documents(doomed.id).isEmpty());
        QCOMPARE(fixture.indexedNames(kept.id), QStringList{u"a.txt"_s});
        const auto remaining = mustSucceed(fixture.library().list());
        QCOMPARE(remaining.size(), 1);
        QCOMPARE(remaining.first().name, u"Kept"_s);
        mustSucceed(fixture.stack->documents()->checkIntegrity());
    }

    void aWatchedFolderIsFollowedWhileRunning()
    {
        Library fixture;
        fixture.write(u"first.txt"_s, "first version");
        fixture.write(u"doomed.txt"_s, "to be deleted");
        const KnowledgeBase notes = fixture.indexFolder(2);
        // The watcher registers its paths off the UI thread; wait until it follows the folder.
        QTRY_COMPARE(fixture.library().folderWatch()->watchedFolders(notes.id).size(), 1);

        fixture.write(u"added/new.txt"_s, "brand new");
        QTRY_COMPARE_WITH_TIMEOUT(fixture.indexedNames(notes.id),
                                  (QStringList{u"added/new.txt"_s, u"doomed.txt"_s, u"first.txt"_s}), 20000);
        QVERIFY(QFile::remove(QDir(fixture.folder()).filePath(u"doomed.txt"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(fixture.indexedNames(notes.id), (QStringList{u"added/new.txt"_s, u"first.txt"_s}), 20000);
        // Written in place (no rename), so only the file's own watch sees it.
        {
            QFile file(QDir(fixture.folder()).filePath(u"first.txt"_s));
            QVERIFY(file.open(QIODevice::Append));
            file.write(" and an edit");
        }
        QTRY_COMPARE_WITH_TIMEOUT(fixture.chunkText(notes.id, u"first.txt"_s), u"first version and an edit"_s, 20000);
    }

    void startRescansWhatChangedWhileClosed()
    {
        Library fixture;
        fixture.write(u"stays.txt"_s, "stays");
        fixture.write(u"goes.txt"_s, "goes");
        fixture.write(u"edited.txt"_s, "before");
        const KnowledgeBase notes = fixture.indexFolder(3);
        fixture.close();

        QVERIFY(QFile::remove(QDir(fixture.folder()).filePath(u"goes.txt"_s)));
        fixture.write(u"arrived.txt"_s, "arrived");
        const QString edited = fixture.write(u"edited.txt"_s, "after the edit");
        {
            QFile file(edited); // a different size is enough, but make the mtime differ too
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(5), QFileDevice::FileModificationTime));
        }

        fixture.open();
        mustSucceed(fixture.library().start());
        QTRY_COMPARE_WITH_TIMEOUT(fixture.indexedNames(notes.id), (QStringList{u"arrived.txt"_s, u"edited.txt"_s, u"stays.txt"_s}), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(fixture.chunkText(notes.id, u"edited.txt"_s), u"after the edit"_s, 20000);
    }
};

QTEST_GUILESS_MAIN(TestKnowledgeBaseLibrary)
#include "tst_knowledgebaselibrary.moc"
