#include "core/ingest/extractors/HtmlExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::HtmlExtractor;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

class TestHtmlExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedPageRoundTrips()
    {
        const QList<TextBlock> blocks{
            {Kind::Heading, 1, 0, u"Guide über 日本語"_s, {}},
            {Kind::Paragraph, 0, 0, u"First paragraph with <angle> & ampersand."_s, {}},
            {Kind::Heading, 3, 0, u"Details"_s, {}},
            {Kind::ListItem, 0, 0, u"one"_s, {}},
            {Kind::ListItem, 0, 0, u"two"_s, {}},
            {Kind::Code, 0, 0, u"int x = 1;\n    return x;"_s, {}},
            {Kind::TableRow, 0, 0, u"Paris | 2.1"_s, u"City | Population"_s},
            {Kind::TableRow, 0, 0, u"Tokyo | 14"_s, u"City | Population"_s},
            {Kind::Paragraph, 0, 0, u"Line one\nline two"_s, {}},
        };
        const ragdesk::ExtractedDocument document = HtmlExtractor::extract(ragdesk::testdocs::html(blocks, u"The Title"_s));
        QCOMPARE(document.title, u"The Title"_s);
        QCOMPARE(document.mimeType, u"text/html"_s);
        QCOMPARE(document.blocks, blocks); // and so no script, style, nav or noscript text
    }

    void whitespaceAndNesting()
    {
        const QByteArray page = "<html><body><div>  Some   <b>bold</b>\n text <div>nested <span>div</span></div> tail</div>"
                                "<ul><li>item <p>with para</p></li></ul><template><p>hidden</p></template>"
                                "<h2>  Spaced\n heading </h2></body></html>";
        const ragdesk::ExtractedDocument document = HtmlExtractor::extract(page);
        QCOMPARE(document.blocks,
                 (QList<TextBlock>{{Kind::Paragraph, 0, 0, u"Some bold text"_s, {}},
                                   {Kind::Paragraph, 0, 0, u"nested div"_s, {}},
                                   {Kind::Paragraph, 0, 0, u"tail"_s, {}},
                                   {Kind::ListItem, 0, 0, u"item"_s, {}},
                                   {Kind::ListItem, 0, 0, u"with para"_s, {}},
                                   {Kind::Heading, 2, 0, u"Spaced heading"_s, {}}}));
        QCOMPARE(document.title, u"Spaced heading"_s); // no <title>: the first heading
    }

    void permalinkAnchorsAreNotText()
    {
        // Sphinx puts a "¶" link after every heading; an ordinary link keeps its text.
        const QByteArray page = "<html><body><h2>Default Argument Values<a class=\"headerlink\" href=\"#x\">\xc2\xb6</a></h2>"
                                "<p>See <a href=\"#y\">the tutorial</a>.</p></body></html>";
        const ragdesk::ExtractedDocument document = HtmlExtractor::extract(page);
        QCOMPARE(document.blocks, (QList<TextBlock>{{Kind::Heading, 2, 0, u"Default Argument Values"_s, {}},
                                                   {Kind::Paragraph, 0, 0, u"See the tutorial."_s, {}}}));
    }

    void declaredLatin1()
    {
        const QByteArray page = "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head>"
                                "<body><p>cr\xe8me br\xfbl\xe9" "e</p></body></html>";
        const ragdesk::ExtractedDocument document = HtmlExtractor::extract(page);
        QCOMPARE(document.title, u"Café"_s);
        QCOMPARE(document.blocks.first().text, u"crème brûlée"_s);
    }

    void deepNestingDoesNotOverflow()
    {
        // A hostile page nests 50,000 elements; a recursive walk would exhaust the stack.
        const QByteArray page = "<html><body>" + QByteArray("<span>").repeated(50000) + "deep text</body></html>";
        const ragdesk::ExtractedDocument document = HtmlExtractor::extract(page);
        QCOMPARE(document.blocks.size(), 1);
        QCOMPARE(document.blocks.first().text, u"deep text"_s);
    }
};

QTEST_GUILESS_MAIN(TestHtmlExtractor)
#include "tst_htmlextractor.moc"
