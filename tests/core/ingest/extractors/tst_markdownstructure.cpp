#include "core/ingest/extractors/MarkdownStructure.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::MarkdownStructure;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

namespace {
TextBlock block(Kind kind, const QString &text, int level = 0)
{
    return TextBlock{kind, level, 0, text, {}};
}
} // namespace

class TestMarkdownStructure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void markdown()
    {
        const QString text = u"# Install ##\n"
                             "Intro line one\nline two\n"
                             "\n"
                             "Setext Title\n"
                             "============\n"
                             "Sub title\n"
                             "---\n"
                             "- first item\n"
                             "  continued\n"
                             "* second item\n"
                             "1. numbered\n"
                             "\n"
                             "```cpp\n"
                             "int main() {\n"
                             "\n"
                             "    # not a heading\n"
                             "}\n"
                             "```\n"
                             "***\n"
                             "###### Six\n"
                             "####### seven is text\n"
                             "#hashtag is text\n"_s;
        const QList<TextBlock> expected{
            block(Kind::Heading, u"Install"_s, 1),
            block(Kind::Paragraph, u"Intro line one\nline two"_s),
            block(Kind::Heading, u"Setext Title"_s, 1),
            block(Kind::Heading, u"Sub title"_s, 2),
            block(Kind::ListItem, u"first item\ncontinued"_s),
            block(Kind::ListItem, u"second item"_s),
            block(Kind::ListItem, u"numbered"_s),
            block(Kind::Code, u"int main() {\n\n    # not a heading\n}"_s),
            block(Kind::Heading, u"Six"_s, 6),
            block(Kind::Paragraph, u"####### seven is text\n#hashtag is text"_s),
        };
        QCOMPARE(MarkdownStructure::parse(text, MarkdownStructure::Flavor::Markdown), expected);
    }

    void unclosedFenceKeepsItsCode()
    {
        const QList<TextBlock> blocks = MarkdownStructure::parse(u"text\n~~~~\ncode\r\nmore\r\n"_s,
                                                                 MarkdownStructure::Flavor::Markdown);
        QCOMPARE(blocks, (QList<TextBlock>{block(Kind::Paragraph, u"text"_s), block(Kind::Code, u"code\nmore"_s)}));
    }

    void restructuredText()
    {
        const QString text = u"=========\n"
                             " Title\n"
                             "=========\n"
                             "\n"
                             "Section\n"
                             "=======\n"
                             "\n"
                             "Body text.\n"
                             "\n"
                             "Sub\n"
                             "---\n"
                             "\n"
                             "- item\n"
                             "#. auto numbered\n"
                             "\n"
                             "Example::\n"
                             "\n"
                             "    indented code\n"
                             "    more\n"
                             "\n"
                             "After.\n"
                             "\n"
                             ".. code-block:: python\n"
                             "\n"
                             "   print('hi')\n"
                             "\n"
                             "Other\n"
                             "=====\n"_s;
        const QList<TextBlock> expected{
            block(Kind::Heading, u"Title"_s, 1),
            block(Kind::Heading, u"Section"_s, 2),
            block(Kind::Paragraph, u"Body text."_s),
            block(Kind::Heading, u"Sub"_s, 3),
            block(Kind::ListItem, u"item"_s),
            block(Kind::ListItem, u"auto numbered"_s),
            block(Kind::Paragraph, u"Example:"_s),
            block(Kind::Code, u"    indented code\n    more"_s),
            block(Kind::Paragraph, u"After."_s),
            block(Kind::Code, u"   print('hi')"_s),
            block(Kind::Heading, u"Other"_s, 2),
        };
        QCOMPARE(MarkdownStructure::parse(text, MarkdownStructure::Flavor::ReStructuredText), expected);
    }

    void longInputIsLinear()
    {
        // 200k list items: a quadratic pass would take minutes here.
        const QString text = u"- item\n"_s.repeated(200000);
        QCOMPARE(MarkdownStructure::parse(text, MarkdownStructure::Flavor::Markdown).size(), 200000);
    }
};

QTEST_GUILESS_MAIN(TestMarkdownStructure)
#include "tst_markdownstructure.moc"
