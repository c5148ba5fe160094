#include "core/retrieval/RetrievalMetrics.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
RetrievalHit hit(const QString &path, int page = 0)
{
    RetrievalHit result;
    result.documentPath = path;
    result.page = page;
    return result;
}
} // namespace

class TestRetrievalMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstHitRelevantIsPerfect()
    {
        const EvalScores scores = RetrievalMetrics::score({hit(u"/c/library/json.html"_s), hit(u"/c/a.html"_s)},
                                                          {u"library/json.html"_s});
        QCOMPARE(scores.recallAt5, 1.0);
        QCOMPARE(scores.recallAt10, 1.0);
        QCOMPARE(scores.reciprocalRank, 1.0);
        QCOMPARE(scores.ndcgAt10, 1.0);
    }

    void chunksOfOneSourceCountOnce()
    {
        // Three chunks of a.html, then the relevant page: it is the second source, not the fourth.
        const EvalScores scores = RetrievalMetrics::score(
            {hit(u"/c/a.html"_s), hit(u"/c/a.html"_s), hit(u"/c/a.html"_s), hit(u"/c/b.html"_s)}, {u"b.html"_s});
        QCOMPARE(scores.reciprocalRank, 0.5);
        QCOMPARE(scores.ndcgAt10, 1.0 / std::log2(3.0));
    }

    void partialRecallAndIdealDcg()
    {
        QList<RetrievalHit> hits;
        for (int i = 0; i < 12; ++i)
            hits.append(hit(u"/c/other%1.html"_s.arg(i)));
        hits[6] = hit(u"/c/x.html"_s);  // rank 7: in the top ten, not the top five
        hits[11] = hit(u"/c/y.html"_s); // rank 12: outside both
        const EvalScores scores = RetrievalMetrics::score(hits, {u"x.html"_s, u"y.html"_s});
        QCOMPARE(scores.recallAt5, 0.0);
        QCOMPARE(scores.recallAt10, 0.5);
        QCOMPARE(scores.reciprocalRank, 1.0 / 7.0);
        const double ideal = 1.0 + 1.0 / std::log2(3.0);
        QCOMPARE(scores.ndcgAt10, (1.0 / std::log2(8.0)) / ideal);
    }

    void pagesMustMatchWhenGiven()
    {
        const QList<RetrievalHit> hits{hit(u"/d/manual.pdf"_s, 3), hit(u"/d/manual.pdf"_s, 12)};
        QCOMPARE(RetrievalMetrics::score(hits, {u"manual.pdf#12"_s}).reciprocalRank, 0.5);
        QCOMPARE(RetrievalMetrics::score(hits, {u"manual.pdf"_s}).reciprocalRank, 1.0);
    }

    void aPathSuffixMustStartAtASeparator()
    {
        // "myjson.html" must not count as "json.html".
        QCOMPARE(RetrievalMetrics::score({hit(u"/c/myjson.html"_s)}, {u"json.html"_s}).recallAt10, 0.0);
    }

    void meanAveragesEachMetric()
    {
        const EvalScores mean = RetrievalMetrics::mean({{1, 1, 1, 1}, {0, 0.5, 0.25, 0.5}});
        QCOMPARE(mean.recallAt5, 0.5);
        QCOMPARE(mean.recallAt10, 0.75);
        QCOMPARE(mean.reciprocalRank, 0.625);
        QCOMPARE(mean.ndcgAt10, 0.75);
    }

    void parsesQueryLinesAndNamesWhatIsWrong()
    {
        const auto good = RetrievalMetrics::parseLine("{\"query\": \"q?\", \"relevant\": [\"a.html\", \"b.pdf#2\"]}");
        QVERIFY(good);
        QCOMPARE(good->relevant, (QStringList{u"a.html"_s, u"b.pdf#2"_s}));
        QVERIFY(RetrievalMetrics::parseLine("not json").error().message.contains(u"JSON"_s));
        QVERIFY(RetrievalMetrics::parseLine("{\"relevant\": [\"a\"]}").error().message.contains(u"query"_s));
        QVERIFY(RetrievalMetrics::parseLine("{\"query\": \"q\", \"relevant\": []}").error().message.contains(u"relevant"_s));
    }
};

QTEST_GUILESS_MAIN(TestRetrievalMetrics)
#include "tst_retrievalmetrics.moc"
