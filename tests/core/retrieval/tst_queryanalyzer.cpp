#include "core/retrieval/QueryAnalyzer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestQueryAnalyzer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitsWordsAndDropsPunctuation()
    {
        QCOMPARE(QueryAnalyzer::words(u"How do I  read a file, line-by-line?"_s),
                 (QStringList{u"How"_s, u"do"_s, u"I"_s, u"read"_s, u"a"_s, u"file"_s, u"line"_s, u"by"_s, u"line"_s}));
    }

    void segmentsChineseAndJapaneseWithIcu()
    {
        // ICU's dictionary splits the run into words instead of returning it whole.
        const QStringList chinese = QueryAnalyzer::words(u"数据库索引"_s);
        QVERIFY2(chinese.size() >= 2, qPrintable(chinese.join(u'|')));
        QCOMPARE(chinese.join(QString()), u"数据库索引"_s);
        const QStringList japanese = QueryAnalyzer::words(u"東京の天気"_s);
        QVERIFY2(japanese.size() >= 2, qPrintable(japanese.join(u'|')));
    }

    void foldsCaseAndDiacritics()
    {
        QCOMPARE(QueryAnalyzer::folded(u"Élan"_s), u"elan"_s);
        QCOMPARE(QueryAnalyzer::folded(u"ÜBER"_s), u"uber"_s);
    }

    void dropsStopwordsOfTheLanguage()
    {
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(u"what is the capital of France"_s, {u"en"_s});
        QCOMPARE(analyzed.words, (QStringList{u"capital"_s, u"France"_s}));
        QCOMPARE(analyzed.droppedStopwords, (QStringList{u"what"_s, u"is"_s, u"the"_s, u"of"_s}));
    }

    void keepsAWordThatIsAStopwordInOnlyOneOfTheLanguages()
    {
        // "die" is a German article but an English verb.
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(u"when plants die"_s, {u"en"_s, u"de"_s});
        QVERIFY(analyzed.words.contains(u"die"_s));
        QVERIFY(!analyzed.words.contains(u"when"_s) || analyzed.droppedStopwords.isEmpty());
    }

    void aQueryOfOnlyStopwordsSearchesThoseWords()
    {
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(u"The Who"_s, {u"en"_s});
        QCOMPARE(analyzed.words, (QStringList{u"The"_s, u"Who"_s}));
        QVERIFY(analyzed.droppedStopwords.isEmpty());
        QVERIFY(!analyzed.isEmpty());
    }

    void quotesEveryWordWithItsLanguageTagAndAddsThePhrase()
    {
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(u"vector search"_s, {u"en"_s});
        QCOMPARE(analyzed.readableExpression(), u"\"en:vector\" OR \"en:search\" OR \"en:vector search\""_s);
    }

    void oneWordHasNoPhrase()
    {
        QCOMPARE(QueryAnalyzer::analyze(u"Qt"_s, {u"en"_s}).readableExpression(), u"\"en:Qt\""_s);
    }

    void commonWordsCountOnlyInsideThePhrase()
    {
        const QString expression = QueryAnalyzer::matchExpression({u"python"_s, u"list"_s, u"sort"_s}, {u"en"_s},
                                                                  {u"python"_s});
        AnalyzedQuery some;
        some.matchExpression = expression;
        QCOMPARE(some.readableExpression(),
                 u"\"en:list\" OR \"en:sort\" OR \"en:python list sort\""_s);
        // All common: they must occur together.
        const QString allCommon = QueryAnalyzer::matchExpression({u"a1"_s, u"b2"_s}, {u"en"_s}, {u"a1"_s, u"b2"_s});
        AnalyzedQuery all;
        all.matchExpression = allCommon;
        QCOMPARE(all.readableExpression(),
                 u"(\"en:a1\" AND \"en:b2\") OR \"en:a1 b2\""_s);
    }

    void looksUpEachWordOncePerLanguage()
    {
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(u"Haus"_s, {u"en"_s, u"de"_s});
        QCOMPARE(analyzed.readableExpression(), u"\"en:Haus\" OR \"de:Haus\""_s);
    }

    void userSyntaxIsNeverInterpreted()
    {
        // FTS5 operators, stray quotes and stars are words or nothing, never syntax errors.
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(u"NEAR(\"a* AND b"_s, {u"en"_s});
        QVERIFY(!analyzed.matchExpression.contains(u'*'));
        QVERIFY(!analyzed.matchExpression.contains(u"NEAR("_s));
        QCOMPARE(analyzed.words, (QStringList{u"NEAR"_s, u"b"_s}));
        QCOMPARE(analyzed.droppedStopwords, (QStringList{u"a"_s, u"AND"_s}));
    }

    void emptyAndPunctuationOnlyQueriesSearchNothing()
    {
        QVERIFY(QueryAnalyzer::analyze(QString(), {u"en"_s}).isEmpty());
        QVERIFY(QueryAnalyzer::analyze(u"?!  ..."_s, {u"en"_s}).isEmpty());
    }

    void capsTheNumberOfWords()
    {
        QStringList many;
        for (int i = 0; i < 40; ++i)
            many.append(u"word%1"_s.arg(i));
        QCOMPARE(QueryAnalyzer::analyze(many.join(u' '), {u"en"_s}).words.size(), QueryAnalyzer::maxWords);
    }
};

QTEST_GUILESS_MAIN(TestQueryAnalyzer)
#include "tst_queryanalyzer.moc"
