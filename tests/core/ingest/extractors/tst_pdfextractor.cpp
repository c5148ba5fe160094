#include "core/ingest/extractors/PdfExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QFontDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::PdfExtractor;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;
namespace testdocs = ragdesk::testdocs;

class TestPdfExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sample = m_dir.filePath(u"sample.pdf"_s);
        QVERIFY(testdocs::writePdf(m_sample, testdocs::samplePdfPages(3), u"Sample Title"_s));
    }

    void pagesHeadingsAndParagraphs()
    {
        const auto document = PdfExtractor::extract(m_sample, {});
        QVERIFY2(document, qPrintable(document ? QString() : document.error().message));
        QCOMPARE(document->pageCount, 3);
        QCOMPARE(document->title, u"Sample Title"_s);
        QCOMPARE(document->mimeType, u"application/pdf"_s);
        for (int page = 1; page <= 3; ++page) {
            QList<TextBlock> onPage;
            for (const TextBlock &block : document->blocks) {
                if (block.page == page)
                    onPage.append(block);
            }
            QVERIFY2(onPage.size() >= 5, qPrintable(u"page %1 has %2 blocks"_s.arg(page).arg(onPage.size())));
            // The large heading is detected, and the page's own sentence is a paragraph of its own.
            QCOMPARE(onPage.first().kind, Kind::Heading);
            QCOMPARE(onPage.first().text, u"Chapter %1"_s.arg(page));
            QCOMPARE(onPage.at(1).kind, Kind::Paragraph);
            QCOMPARE(onPage.at(1).text, testdocs::pageSentence(page)); // é, ü, û survive
            QVERIFY(onPage.at(2).text.startsWith(u"Retrieval works best"_s));
            QVERIFY(onPage.at(2).text.endsWith(u"private documents."_s));
        }
        for (const TextBlock &block : document->blocks)
            QVERIFY(block.page >= 1 && block.page <= 3);
    }

    void japaneseSurvivesWhenAFontCanDrawIt()
    {
        if (QFontDatabase::families(QFontDatabase::Japanese).isEmpty())
            QSKIP("no font with Japanese glyphs is installed, so QPainter cannot draw 日本語 into the PDF");
        const QString path = m_dir.filePath(u"ja.pdf"_s);
        QVERIFY(testdocs::writePdf(path, {{u"見出し"_s, {u"日本語の文章です。"_s}}}));
        const auto document = PdfExtractor::extract(path, {});
        QVERIFY(document);
        QVERIFY(document->blocks.constLast().text.contains(u"日本語"_s));
    }

    void encryptedPdfIsRefused()
    {
        const QString path = m_dir.filePath(u"locked.pdf"_s);
        QString why;
        if (!testdocs::encryptPdf(m_sample, path, &why))
            QSKIP(qPrintable(why));
        const auto document = PdfExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
        QVERIFY2(document.error().message.startsWith(u"This PDF is password-protected"_s),
                 qPrintable(document.error().message));
    }

    void truncatedPdf()
    {
        const QString path = m_dir.filePath(u"truncated.pdf"_s);
        QVERIFY(testdocs::writeTruncatedCopy(m_sample, path, 0.1));
        const auto document = PdfExtractor::extract(path, {});
        // Poppler may rebuild a cut file's cross-reference table; what it must never do is
        // invent text. Either a clear refusal, or only real text of the first page.
        if (document) {
            for (const TextBlock &block : document->blocks)
                QVERIFY(block.page == 1);
        } else {
            QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
            QVERIFY2(document.error().message.contains(u"truncated"_s), qPrintable(document.error().message));
        }
    }

    void randomBytes()
    {
        const QString path = m_dir.filePath(u"random.pdf"_s);
        QVERIFY(testdocs::writeBytes(path, "%PDF-1.7\n" + QByteArray(2000, '\x9c') + "garbage"));
        const auto document = PdfExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
    }

    void textCap()
    {
        ragdesk::ExtractionLimits limits;
        limits.maxTextChars = 500;
        const auto document = PdfExtractor::extract(m_sample, limits);
        QVERIFY(!document);
        QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
    }

private:
    QTemporaryDir m_dir;
    QString m_sample;
};

QTEST_MAIN(TestPdfExtractor)
#include "tst_pdfextractor.moc"
