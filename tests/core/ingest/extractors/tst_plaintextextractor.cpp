#include "core/ingest/extractors/PlainTextExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::DocumentFormat;
using ragdesk::PlainTextExtractor;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

class TestPlainTextExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paragraphsSplitAtBlankLines()
    {
        const QByteArray bytes = "First line\r\nsecond line\r\n\r\n   \r\nThird para\n\n\n";
        const ragdesk::ExtractedDocument document = PlainTextExtractor::extract(bytes, DocumentFormat::PlainText);
        QCOMPARE(document.blocks,
                 (QList<TextBlock>{{Kind::Paragraph, 0, 0, u"First line\nsecond line"_s, {}},
                                   {Kind::Paragraph, 0, 0, u"Third para"_s, {}}}));
        QCOMPARE(document.mimeType, u"text/plain"_s);
        QCOMPARE(document.charset, u"UTF-8"_s);
        QVERIFY(document.title.isEmpty());
    }

    void markdownInUtf16KeepsStructureAndTitle()
    {
        const QByteArray bytes =
            ragdesk::testdocs::encode(u"# Über 日本語\n\nText é.\n\n- item\n"_s, u"UTF-16LE"_s, true);
        const ragdesk::ExtractedDocument document = PlainTextExtractor::extract(bytes, DocumentFormat::Markdown);
        QCOMPARE(document.title, u"Über 日本語"_s);
        QCOMPARE(document.charset, u"UTF-16LE"_s);
        QCOMPARE(document.mimeType, u"text/markdown"_s);
        QCOMPARE(document.blocks,
                 (QList<TextBlock>{{Kind::Heading, 1, 0, u"Über 日本語"_s, {}},
                                   {Kind::Paragraph, 0, 0, u"Text é."_s, {}},
                                   {Kind::ListItem, 0, 0, u"item"_s, {}}}));
    }

    void restructuredTextUsesRstRules()
    {
        const ragdesk::ExtractedDocument document =
            PlainTextExtractor::extract("Title\n=====\n\nBody\n", DocumentFormat::ReStructuredText);
        QCOMPARE(document.title, u"Title"_s);
        QCOMPARE(document.blocks.size(), 2);
        QCOMPARE(document.blocks.at(1).text, u"Body"_s);
    }

    void shiftJisText()
    {
        const QString text = u"日本語のテキストファイルです。文字コードはシフトJISです。"_s.repeated(5);
        const ragdesk::ExtractedDocument document =
            PlainTextExtractor::extract(ragdesk::testdocs::encode(text, u"Shift_JIS"_s), DocumentFormat::PlainText);
        QCOMPARE(document.blocks.size(), 1);
        QCOMPARE(document.blocks.first().text, text);
    }
};

QTEST_GUILESS_MAIN(TestPlainTextExtractor)
#include "tst_plaintextextractor.moc"
