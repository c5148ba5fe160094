// MarkdownBlocks: top-level blocks of a growing markdown text, and which of them are stable.

#include "ui/markdown/MarkdownBlocks.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

QStringList texts(QStringView text, const QList<MarkdownBlock> &blocks)
{
    QStringList out;
    for (const MarkdownBlock &block : blocks)
        out.append(text.sliced(block.start, block.length).toString());
    return out;
}

} // namespace

class TestMarkdownBlocks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paragraphsSplitAtBlankLines()
    {
        const QString text = u"one\ntwo\n\n\nthree\n"_s;
        const auto blocks = MarkdownBlocks::split(text, true);
        QCOMPARE(texts(text, blocks), QStringList({ u"one\ntwo"_s, u"three"_s }));
        QVERIFY(blocks.at(0).stable && blocks.at(1).stable);

        const auto partial = MarkdownBlocks::split(text, false);
        QCOMPARE(partial.size(), 2);
        QVERIFY(partial.at(0).stable);
        QVERIFY(!partial.at(1).stable); // a next line could still join it
    }

    void fencesWithBackticksAndTildes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("backticks") << u"```python\nprint(1)\n```\n"_s << u"python"_s << u"print(1)\n"_s;
        QTest::newRow("tildes") << u"~~~ cpp extra\nint x;\n~~~\n"_s << u"cpp"_s << u"int x;\n"_s;
        QTest::newRow("longer run holds a shorter one")
            << u"````md\n```\ninner\n```\n````\n"_s << u"md"_s << u"```\ninner\n```\n"_s;
        QTest::newRow("tilde does not close backticks") << u"```\na\n~~~\nb\n```\n"_s << QString() << u"a\n~~~\nb\n"_s;
        QTest::newRow("indented up to three") << u"   ```js\nx\n   ```\n"_s << u"js"_s << u"x\n"_s;
    }

    void fencesWithBackticksAndTildes()
    {
        QFETCH(QString, text);
        QFETCH(QString, language);
        QFETCH(QString, code);
        const auto blocks = MarkdownBlocks::split(text, false);
        QCOMPARE(blocks.size(), 1);
        QCOMPARE(blocks.at(0).kind, MarkdownBlock::Kind::Fence);
        QVERIFY(blocks.at(0).closed);
        QVERIFY(blocks.at(0).stable); // closed fences are stable without a blank line
        QCOMPARE(blocks.at(0).language, language);
        QCOMPARE(text.sliced(blocks.at(0).codeStart, blocks.at(0).codeLength), code);
    }

    void fenceInterruptsAParagraph()
    {
        const QString text = u"Look:\n```sh\nls\n```\nafter"_s;
        const auto blocks = MarkdownBlocks::split(text, false);
        QCOMPARE(texts(text, blocks), QStringList({ u"Look:"_s, u"```sh\nls\n```\n"_s, u"after"_s }));
        QVERIFY(blocks.at(0).stable && blocks.at(1).stable && !blocks.at(2).stable);
    }

    void unclosedFenceRunsToTheEnd()
    {
        const QString text = u"```rust\nfn main() {}\n\nlet x = 1;"_s;
        const auto open = MarkdownBlocks::split(text, false);
        QCOMPARE(open.size(), 1);
        QVERIFY(!open.at(0).stable);
        QVERIFY(!open.at(0).closed);
        QCOMPARE(text.sliced(open.at(0).codeStart, open.at(0).codeLength), u"fn main() {}\n\nlet x = 1;"_s);
        const auto final = MarkdownBlocks::split(text, true);
        QVERIFY(final.at(0).stable);
        QVERIFY(!final.at(0).closed);
    }

    void closingFenceLineMustBeComplete()
    {
        // "```" could still become "```x", which does not close the fence.
        const auto blocks = MarkdownBlocks::split(u"```\ncode\n```"_s, false);
        QCOMPARE(blocks.size(), 1);
        QVERIFY(!blocks.at(0).stable);
    }

    void looseListsStayOneBlock()
    {
        const QString text = u"- a\n\n- b\n\n  more b\n\n1. c\n\nafter\n"_s;
        const auto blocks = MarkdownBlocks::split(text, true);
        QCOMPARE(texts(text, blocks), QStringList({ u"- a\n\n- b\n\n  more b\n\n1. c"_s, u"after"_s }));
        // Until the line after the blank arrives, the list may still go on.
        const auto open = MarkdownBlocks::split(u"- a\n\n"_s, false);
        QCOMPARE(open.size(), 1);
        QVERIFY(!open.at(0).stable);
    }

    void everySplitGivesTheSameBlocks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("mixed") << u"# Title\n\nSome *text* [1].\n\n```python\ndef f():\n    return 1\n```\n"
                                  u"- item\n- item 2\n\n  indented\n\n~~~~\n~~~\n~~~~\nend\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"_s;
        QTest::newRow("unclosed fence") << u"para\n\n```js\nlet a = 1;\n\n\nlet b;"_s;
        QTest::newRow("crlf") << u"a\r\n\r\n```c\r\nint x;\r\n```\r\nb"_s;
        QTest::newRow("blank runs") << u"\n\n\na\n\n\n\n- x\n\n\n\ny\n\n"_s;
    }

    void everySplitGivesTheSameBlocks()
    {
        QFETCH(QString, text);
        const QList<MarkdownBlock> expected = MarkdownBlocks::split(text, true);
        for (qsizetype i = 1; i < expected.size(); ++i)
            QVERIFY(expected.at(i).start >= expected.at(i - 1).end()); // in order, never overlapping
        for (qsizetype cut = 0; cut <= text.size(); ++cut) {
            MarkdownBlocks blocks;
            blocks.update(QStringView(text).left(cut));
            QList<MarkdownBlock> stableBefore = blocks.blocks().first(blocks.stableCount());
            // Grow one character at a time: a stable block never changes.
            for (qsizetype end = cut + 1; end <= text.size(); ++end) {
                const qsizetype first = blocks.update(QStringView(text).left(end));
                QVERIFY(first >= stableBefore.size());
                QCOMPARE(blocks.blocks().first(stableBefore.size()), stableBefore);
                stableBefore = blocks.blocks().first(blocks.stableCount());
                if (end - cut > 40)
                    break; // the rest is covered by other cut points
            }
            MarkdownBlocks whole;
            whole.update(QStringView(text).left(cut));
            whole.finish(text);
            QCOMPARE(whole.blocks(), expected);
        }
    }

    void deepListIsOneBlock()
    {
        QString nested;
        for (int depth = 0; depth < 500; ++depth)
            nested += QString(depth * 2, u' ') + u"- level "_s + QString::number(depth) + u'\n';
        QCOMPARE(MarkdownBlocks::split(nested, true).size(), 1);
        QCOMPARE(MarkdownBlocks::split(nested, false).size(), 1);
    }

    void shrinkingTextStartsOver()
    {
        MarkdownBlocks blocks;
        blocks.update(u"a\n\nb\n\n"_s);
        QCOMPARE(blocks.stableCount(), 2);
        QCOMPARE(blocks.update(u"x"_s), 0);
        QCOMPARE(blocks.blocks().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMarkdownBlocks)
#include "tst_markdownblocks.moc"
