#include "core/retrieval/PassageHighlighter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
QStringList marked(const HighlightedText &text)
{
    QStringList words;
    for (const auto &[start, length] : text.spans)
        words.append(text.text.mid(start, length));
    return words;
}
} // namespace

class TestPassageHighlighter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void marksWordsThatStemLikeTheQuery()
    {
        const PassageHighlighter highlighter({u"run"_s}, {u"en"_s});
        const HighlightedText excerpt = highlighter.excerpt(u"Before anything else, the runner was running late; he runs."_s);
        // "runner" stems to itself, not to "run", as in the index.
        QCOMPARE(marked(excerpt), (QStringList{u"running"_s, u"runs"_s}));
    }

    void foldsCaseAndDiacritics()
    {
        const PassageHighlighter highlighter({u"cafe"_s}, {u"en"_s});
        QCOMPARE(marked(highlighter.excerpt(u"Le CAFÉ est ouvert."_s)), QStringList{u"CAFÉ"_s});
    }

    void marksChineseQueryWordsAsSubstrings()
    {
        const PassageHighlighter highlighter({u"数据"_s}, {u"en"_s});
        const HighlightedText excerpt = highlighter.excerpt(u"我们使用大数据分析技术。数据很重要。"_s);
        QCOMPARE(marked(excerpt), (QStringList{u"数据"_s, u"数据"_s}));
    }

    void cutsALongTextAroundTheMatches()
    {
        QStringList words;
        for (int i = 0; i < 300; ++i)
            words.append(u"filler%1"_s.arg(i));
        words[200] = u"needle"_s;
        const PassageHighlighter highlighter({u"needle"_s}, {u"en"_s});
        const HighlightedText excerpt = highlighter.excerpt(words.join(u"  \n"_s));
        QVERIFY(excerpt.text.startsWith(u'…'));
        QVERIFY(excerpt.text.endsWith(u'…'));
        QVERIFY(excerpt.text.size() < 600);
        QVERIFY(!excerpt.text.contains(u'\n'));
        QCOMPARE(marked(excerpt), QStringList{u"needle"_s});
    }

    void withoutMatchesALongTextShowsItsOpening()
    {
        const QString text = QString(u"word "_s).repeated(200);
        const HighlightedText excerpt = PassageHighlighter({u"absent"_s}, {u"en"_s}).excerpt(text);
        QVERIFY(excerpt.text.startsWith(u"word word"_s));
        QVERIFY(excerpt.text.endsWith(u'…'));
        QVERIFY(excerpt.spans.isEmpty());
    }

    void shortTextsAreShownWhole()
    {
        const HighlightedText excerpt = PassageHighlighter({u"b"_s}, {}).excerpt(u"a b c"_s);
        QCOMPARE(excerpt.text, u"a b c"_s);
        QCOMPARE(excerpt.spans, (QList<std::pair<qsizetype, qsizetype>>{{2, 1}}));
    }
};

QTEST_GUILESS_MAIN(TestPassageHighlighter)
#include "tst_passagehighlighter.moc"
