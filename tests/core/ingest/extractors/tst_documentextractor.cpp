#include "core/ingest/extractors/DocumentExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using ragdesk::DocumentExtractor;
using ragdesk::Error;
using ragdesk::ExtractionLimits;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;
namespace testdocs = ragdesk::testdocs;

class TestDocumentExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void dispatchesOnExtension()
    {
        const QList<TextBlock> blocks{{Kind::Heading, 1, 0, u"Heading"_s, {}},
                                      {Kind::Paragraph, 0, 0, u"Body text ü."_s, {}}};
        struct Case {
            QString name;
            bool written;
            QString mimeType;
        };
        const QList<Case> cases{
            {u"a.pdf"_s, testdocs::writePdf(m_dir.filePath(u"a.pdf"_s), {{u"Heading"_s, {u"Body text ü."_s}}}),
             u"application/pdf"_s},
            {u"a.docx"_s, testdocs::writeDocx(m_dir.filePath(u"a.docx"_s), blocks),
             u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s},
            {u"a.odt"_s, testdocs::writeOdt(m_dir.filePath(u"a.odt"_s), blocks), u"application/vnd.oasis.opendocument.text"_s},
            {u"a.epub"_s, testdocs::writeEpub(m_dir.filePath(u"a.epub"_s), {blocks}), u"application/epub+zip"_s},
            {u"a.html"_s, testdocs::writeBytes(m_dir.filePath(u"a.html"_s), testdocs::html(blocks)), u"text/html"_s},
            {u"a.md"_s, testdocs::writeBytes(m_dir.filePath(u"a.md"_s), "# Heading\n\nBody text ü.\n"), u"text/markdown"_s},
            {u"a.rst"_s, testdocs::writeBytes(m_dir.filePath(u"a.rst"_s), "Heading\n=======\n\nBody text ü.\n"), u"text/x-rst"_s},
        };
        for (const Case &c : cases) {
            QVERIFY2(c.written, qPrintable(c.name));
            const auto document = DocumentExtractor::extract(m_dir.filePath(c.name), {});
            QVERIFY2(document, qPrintable(c.name + u": "_s + (document ? QString() : document.error().message)));
            QCOMPARE(document->mimeType, c.mimeType);
            QCOMPARE(document->blocks.size(), 2);
            QCOMPARE(document->blocks.at(0).kind, Kind::Heading);
            QCOMPARE(document->blocks.at(0).text, u"Heading"_s);
            QCOMPARE(document->blocks.at(1).text, u"Body text ü."_s);
        }

        QVERIFY(testdocs::writeBytes(m_dir.filePath(u"t.csv"_s), testdocs::csv({{u"k"_s, u"v"_s}, {u"1"_s, u"2"_s}})));
        const auto table = DocumentExtractor::extract(m_dir.filePath(u"t.csv"_s), {});
        QVERIFY(table);
        QCOMPARE(table->blocks, (QList<TextBlock>{{Kind::TableRow, 0, 0, u"1 | 2"_s, u"k | v"_s}}));

        QVERIFY(testdocs::writeBytes(m_dir.filePath(u"s.py"_s), "def f():\n    return 1\n"));
        const auto code = DocumentExtractor::extract(m_dir.filePath(u"s.py"_s), {});
        QVERIFY(code);
        QCOMPARE(code->codeLanguage, u"Python"_s);
        QCOMPARE(code->blocks, (QList<TextBlock>{{Kind::Code, 0, 0, u"def f():\n    return 1"_s, {}}}));

        QVERIFY(testdocs::writeBytes(m_dir.filePath(u"latin.txt"_s),
                                     testdocs::encode(u"Größe und Maß, naïve café. "_s.repeated(10), u"ISO-8859-1"_s)));
        const auto latin = DocumentExtractor::extract(m_dir.filePath(u"latin.txt"_s), {});
        QVERIFY(latin);
        QVERIFY(latin->blocks.first().text.startsWith(u"Größe und Maß, naïve café."_s));
    }

    void missingFile()
    {
        const QString path = m_dir.filePath(u"does-not-exist.pdf"_s);
        const auto document = DocumentExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::File);
        QVERIFY(document.error().message.contains(path));
        QVERIFY2(document.error().message.contains(u"No such file"_s), qPrintable(document.error().message));
    }

    void unreadableFile()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: chmod 000 does not stop root from reading the file");
        const QString path = m_dir.filePath(u"secret.txt"_s);
        QVERIFY(testdocs::writeBytes(path, "secret"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        const auto document = DocumentExtractor::extract(path, {});
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::File);
        QVERIFY2(document.error().message.contains(u"ermission"_s), qPrintable(document.error().message));
    }

    void folderIsNotAFile()
    {
        const auto document = DocumentExtractor::extract(m_dir.path(), {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::File);
    }

    void unsupportedType()
    {
        const QString path = m_dir.filePath(u"photo.jpg"_s);
        QVERIFY(testdocs::writeBytes(path, "\xFF\xD8\xFF"));
        const auto document = DocumentExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::Unsupported);
        QVERIFY(document.error().message.contains(u".jpg"_s));
    }

    void misnamedFilesGetClearReasons()
    {
        const QString pdf = m_dir.filePath(u"random.pdf"_s);
        QVERIFY(testdocs::writeRandomBytes(pdf, 10000));
        auto document = DocumentExtractor::extract(pdf, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::Extraction);
        QVERIFY2(document.error().message.contains(u"%PDF-"_s), qPrintable(document.error().message));

        const QString docx = m_dir.filePath(u"random.docx"_s);
        QVERIFY(testdocs::writeRandomBytes(docx, 10000));
        document = DocumentExtractor::extract(docx, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::Extraction);
        QVERIFY(document.error().message.contains(u"not a zip package"_s));
    }

    void fileSizeCapComesFirst()
    {
        const QString path = m_dir.filePath(u"big.txt"_s);
        QVERIFY(testdocs::writeSingleLineText(path, 3 << 20));
        ExtractionLimits limits;
        limits.maxFileBytes = 1 << 20;
        const auto document = DocumentExtractor::extract(path, limits);
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::File);
        QVERIFY2(document.error().message.contains(u"3.0 MB"_s) && document.error().message.contains(u"1.0 MB"_s),
                 qPrintable(document.error().message));
    }

    void fiftyMegabyteSingleLine()
    {
        const QString path = m_dir.filePath(u"line.txt"_s);
        constexpr qint64 Size = qint64(50) << 20;
        QVERIFY(testdocs::writeSingleLineText(path, Size));
        const auto document = DocumentExtractor::extract(path, {});
        QVERIFY(document);
        QCOMPARE(document->blocks.size(), 1);
        QCOMPARE(document->blocks.first().text.size(), Size);
        QVERIFY(document->blocks.first().text.startsWith(u"all work and no play"_s));
    }

    void textCap()
    {
        const QString path = m_dir.filePath(u"line2.txt"_s);
        QVERIFY(testdocs::writeSingleLineText(path, 100000));
        ExtractionLimits limits;
        limits.maxTextChars = 50000;
        const auto document = DocumentExtractor::extract(path, limits);
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::Extraction);
        QVERIFY(document.error().message.contains(u"characters"_s));
    }

    void zipBombStopsAtTheDecompressedCap()
    {
        const QString path = m_dir.filePath(u"bomb.docx"_s);
        QVERIFY(testdocs::writeZipBombDocx(path, qint64(300) << 20));
        const auto document = DocumentExtractor::extract(path, {}); // default cap: 256 MB
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::Extraction);
        QVERIFY2(document.error().message.contains(u"zip bomb"_s), qPrintable(document.error().message));
    }

    void tooManyEntries()
    {
        const QString path = m_dir.filePath(u"many.docx"_s);
        QVERIFY(testdocs::writeManyEntriesDocx(path, 200));
        ExtractionLimits limits;
        limits.maxArchiveEntries = 50;
        const auto document = DocumentExtractor::extract(path, limits);
        QVERIFY(!document);
        QCOMPARE(document.error().kind, Error::Kind::Extraction);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestDocumentExtractor)
#include "tst_documentextractor.moc"
