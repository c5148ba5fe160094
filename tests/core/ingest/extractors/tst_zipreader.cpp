#include "core/ingest/extractors/ZipReader.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::ExtractionLimits;
using ragdesk::ZipReader;

class TestZipReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEntriesAndCountsBytes()
    {
        const QString path = m_dir.filePath(u"plain.zip"_s);
        QVERIFY(ragdesk::testdocs::writeZip(path, {{u"a/one.txt"_s, QByteArray(200000, 'x')}, {u"two.txt"_s, "two"}}));
        auto reader = ZipReader::open(path, {}, u"test archive"_s);
        QVERIFY(reader);
        QCOMPARE((*reader)->entryCount(), 3); // the folder "a" counts as an entry
        QVERIFY((*reader)->contains(u"a/one.txt"_s));
        QVERIFY(!(*reader)->contains(u"a"_s));
        const auto one = (*reader)->read(u"a/one.txt"_s);
        QVERIFY(one);
        QCOMPARE(*one, QByteArray(200000, 'x'));
        QCOMPARE((*reader)->read(u"two.txt"_s).value(), QByteArray("two"));
        QCOMPARE((*reader)->bytesRead(), 200003);
        const auto missing = (*reader)->read(u"nope.xml"_s);
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(u"nope.xml"_s));
    }

    void stopsAtTheDecompressedBudget()
    {
        const QString path = m_dir.filePath(u"bomb.docx"_s);
        QVERIFY(ragdesk::testdocs::writeZipBombDocx(path, qint64(64) << 20));
        QVERIFY(QFileInfo(path).size() < (1 << 20)); // it really is a bomb: tiny on disk
        ExtractionLimits limits;
        limits.maxDecompressedBytes = qint64(4) << 20;
        auto reader = ZipReader::open(path, limits, u"Word document"_s);
        QVERIFY(reader);
        const auto data = (*reader)->read(u"word/document.xml"_s);
        QVERIFY(!data);
        QCOMPARE(data.error().kind, ragdesk::Error::Kind::Extraction);
        QVERIFY2(data.error().message.contains(u"4.0 MB"_s), qPrintable(data.error().message));
        // It stopped right after the budget, not after inflating the whole entry.
        QVERIFY((*reader)->bytesRead() <= limits.maxDecompressedBytes + 64 * 1024 + 1);
    }

    void refusesTooManyEntries()
    {
        const QString path = m_dir.filePath(u"many.docx"_s);
        QVERIFY(ragdesk::testdocs::writeManyEntriesDocx(path, 300));
        ExtractionLimits limits;
        limits.maxArchiveEntries = 100;
        const auto reader = ZipReader::open(path, limits, u"Word document"_s);
        QVERIFY(!reader);
        QCOMPARE(reader.error().kind, ragdesk::Error::Kind::Extraction);
        QVERIFY(reader.error().message.contains(u"100 entries"_s));
        limits.maxArchiveEntries = 1000;
        QVERIFY(ZipReader::open(path, limits, u"Word document"_s));
    }

    void notAZip()
    {
        const QString path = m_dir.filePath(u"random.docx"_s);
        QVERIFY(ragdesk::testdocs::writeRandomBytes(path, 4096));
        const auto reader = ZipReader::open(path, {}, u"Word document"_s);
        QVERIFY(!reader);
        QCOMPARE(reader.error().kind, ragdesk::Error::Kind::Extraction);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestZipReader)
#include "tst_zipreader.moc"
