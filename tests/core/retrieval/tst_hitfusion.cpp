#include "core/retrieval/HitFusion.h"

#include <QTest>

using namespace ragdesk;

namespace {
QList<qint64> order(const QList<RetrievalHit> &hits)
{
    QList<qint64> ids;
    for (const RetrievalHit &hit : hits)
        ids.append(hit.chunkId);
    return ids;
}

const RetrievalHit &hitFor(const QList<RetrievalHit> &hits, qint64 id)
{
    for (const RetrievalHit &hit : hits) {
        if (hit.chunkId == id)
            return hit;
    }
    qFatal("no hit %lld", static_cast<long long>(id));
}
} // namespace

class TestHitFusion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reciprocalRankAddsOneOverKPlusRank()
    {
        RetrievalOptions options;
        options.similarityThreshold = 0;
        options.fusion = FusionMethod::ReciprocalRank;
        options.reciprocalRankK = 60;
        const auto fused = HitFusion::fuse({{1, 9.0}, {2, 5.0}, {3, 1.0}}, {{3, 0.9}, {4, 0.8}}, true, options);
        // 3 is third by keyword and first by vector: 1/63 + 1/61 beats 1 alone at 1/61; 2 and 4
        // are both second in one stage (1/62 each) and keep chunk-id order.
        QCOMPARE(order(fused), (QList<qint64>{3, 1, 2, 4}));
        QCOMPARE(hitFor(fused, 3).fusedScore, 1.0 / 63 + 1.0 / 61);
        QCOMPARE(hitFor(fused, 1).fusedScore, 1.0 / 61);
        QCOMPARE(hitFor(fused, 4).fusedScore, 1.0 / 62);
        QCOMPARE(hitFor(fused, 3).foundBy, RetrievalStages(RetrievalStage::Keyword | RetrievalStage::Vector));
        QCOMPARE(hitFor(fused, 4).foundBy, RetrievalStages(RetrievalStage::Vector));
        QCOMPARE(hitFor(fused, 3).keywordRank, 2);
        QCOMPARE(hitFor(fused, 3).vectorRank, 0);
        QCOMPARE(hitFor(fused, 2).vectorRank, -1);
    }

    void weightedSumScalesBm25AgainstTheBestHit()
    {
        RetrievalOptions options;
        options.fusion = FusionMethod::WeightedSum;
        options.keywordWeight = 0.25;
        const auto fused = HitFusion::fuse({{1, 8.0}, {2, 4.0}}, {{2, 0.9}, {3, 0.5}}, true, options);
        // 1: 0.25 * 1.0 = 0.25; 2: 0.25 * 0.5 + 0.75 * 0.9 = 0.8; 3: 0.75 * 0.5 = 0.375.
        QCOMPARE(order(fused), (QList<qint64>{2, 3, 1}));
        QCOMPARE(hitFor(fused, 2).keywordSimilarity.value(), 0.5);
        QCOMPARE(hitFor(fused, 2).fusedScore, 0.8);
        QCOMPARE(hitFor(fused, 3).fusedScore, 0.375);
        QCOMPARE(hitFor(fused, 1).fusedScore, 0.25);
        QCOMPARE(hitFor(fused, 1).keywordScore.value(), 8.0);
        QVERIFY(!hitFor(fused, 1).vectorSimilarity.has_value());
    }

    void withoutTheVectorStageKeywordSimilarityIsTheWholeScore()
    {
        RetrievalOptions options;
        options.fusion = FusionMethod::WeightedSum;
        options.keywordWeight = 0.3;
        options.similarityThreshold = 0.6;
        const auto fused = HitFusion::fuse({{1, 10.0}, {2, 7.0}, {3, 5.0}}, {}, false, options);
        // Not 0.3 * similarity: that would put every keyword-only hit under the threshold.
        QCOMPARE(order(fused), (QList<qint64>{1, 2}));
        QCOMPARE(hitFor(fused, 2).weightedSimilarity, 0.7);
    }

    void thresholdDropsWeakHitsInBothMethods()
    {
        for (const FusionMethod method : {FusionMethod::WeightedSum, FusionMethod::ReciprocalRank}) {
            RetrievalOptions options;
            options.fusion = method;
            options.keywordWeight = 0.5;
            options.similarityThreshold = 0.3;
            // 1: 0.5 * 1 + 0.5 * 0.2 = 0.6 kept; 2: 0.5 * 0.1 = 0.05 dropped; 3: 0.5 * 0.7 = 0.35 kept.
            const auto fused = HitFusion::fuse({{1, 10.0}, {2, 1.0}}, {{3, 0.7}, {1, 0.2}}, true, options);
            QCOMPARE(fused.size(), 2);
            QVERIFY(!order(fused).contains(2));
        }
    }

    void negativeCosineCountsAsUnrelated()
    {
        RetrievalOptions options;
        options.fusion = FusionMethod::WeightedSum;
        options.keywordWeight = 0.5;
        options.similarityThreshold = 0;
        const auto fused = HitFusion::fuse({}, {{1, -0.4}}, true, options);
        QCOMPARE(fused.size(), 1);
        QCOMPARE(fused.first().weightedSimilarity, 0.0);
        QCOMPARE(fused.first().vectorSimilarity.value(), -0.4);
    }

    void equalScoresOrderByChunkId()
    {
        RetrievalOptions options;
        options.similarityThreshold = 0;
        options.fusion = FusionMethod::ReciprocalRank;
        // 5 is first by keyword, 4 first by vector: identical reciprocal-rank scores.
        const auto fused = HitFusion::fuse({{5, 3.0}}, {{4, 0.9}}, true, options);
        QCOMPARE(order(fused), (QList<qint64>{4, 5}));
    }

    void keywordHitsOutsideTheVectorTopKKeepTheirSimilarity()
    {
        RetrievalOptions options;
        options.fusion = FusionMethod::WeightedSum;
        options.keywordWeight = 0.5;
        options.similarityThreshold = 0.55;
        // 2 was not in the vector stage's top k, but its cosine is known: 0.5 * 0.5 + 0.5 * 0.7.
        const auto fused = HitFusion::fuse({{1, 10.0}, {2, 5.0}}, {{3, 0.9}}, true, options, {{2, 0.7}, {9, 0.8}});
        QCOMPARE(hitFor(fused, 2).weightedSimilarity, 0.6);
        QCOMPARE(hitFor(fused, 2).vectorSimilarity.value(), 0.7);
        // Known similarity does not make it a vector hit, nor add chunks no stage found.
        QCOMPARE(hitFor(fused, 2).foundBy, RetrievalStages(RetrievalStage::Keyword));
        QCOMPARE(hitFor(fused, 2).vectorRank, -1);
        QVERIFY(!order(fused).contains(9));
    }

    void emptyInputsGiveNoHits()
    {
        QVERIFY(HitFusion::fuse({}, {}, true, RetrievalOptions{}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHitFusion)
#include "tst_hitfusion.moc"
