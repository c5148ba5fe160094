#include "core/retrieval/HitFusion.h"

#include <QHash>

#include <algorithm>

namespace ragdesk {

namespace {
double reciprocalRank(int rank, int k)
{
    return rank < 0 ? 0.0 : 1.0 / double(k + rank + 1);
}
} // namespace

QList<RetrievalHit> HitFusion::fuse(const QList<StageHit> &keyword, const QList<StageHit> &vector,
                                    bool vectorStageRan, const RetrievalOptions &options,
                                    const QHash<qint64, double> &otherSimilarities)
{
    QHash<qint64, RetrievalHit> byChunk;
    byChunk.reserve(keyword.size() + vector.size());

    // BM25 has no fixed scale (it grows with query length and term rarity), so it is scaled
    // against the best keyword hit of this query before it can be weighed against a cosine.
    double bestKeyword = 0;
    for (const StageHit &hit : keyword)
        bestKeyword = std::max(bestKeyword, hit.score);
    for (int rank = 0; rank < keyword.size(); ++rank) {
        RetrievalHit &hit = byChunk[keyword[rank].chunkId];
        hit.chunkId = keyword[rank].chunkId;
        hit.foundBy |= RetrievalStage::Keyword;
        hit.keywordRank = rank;
        hit.keywordScore = keyword[rank].score;
        hit.keywordSimilarity = bestKeyword > 0 ? std::clamp(keyword[rank].score / bestKeyword, 0.0, 1.0) : 0.0;
    }
    for (int rank = 0; rank < vector.size(); ++rank) {
        RetrievalHit &hit = byChunk[vector[rank].chunkId];
        hit.chunkId = vector[rank].chunkId;
        hit.foundBy |= RetrievalStage::Vector;
        hit.vectorRank = rank;
        hit.vectorSimilarity = vector[rank].score;
    }
    for (auto it = otherSimilarities.cbegin(); it != otherSimilarities.cend(); ++it) {
        const auto found = byChunk.find(it.key());
        if (found != byChunk.end() && !found->vectorSimilarity)
            found->vectorSimilarity = it.value();
    }

    const double keywordWeight = vectorStageRan ? std::clamp(options.keywordWeight, 0.0, 1.0) : 1.0;
    QList<RetrievalHit> fused;
    fused.reserve(byChunk.size());
    for (RetrievalHit &hit : byChunk) {
        // A negative cosine means "unrelated", not "less than nothing": it counts as zero.
        const double vectorSimilarity = std::clamp(hit.vectorSimilarity.value_or(0.0), 0.0, 1.0);
        hit.weightedSimilarity = keywordWeight * hit.keywordSimilarity.value_or(0.0)
                                 + (1.0 - keywordWeight) * vectorSimilarity;
        if (hit.weightedSimilarity < options.similarityThreshold)
            continue;
        hit.fusedScore = options.fusion == FusionMethod::WeightedSum
                             ? hit.weightedSimilarity
                             : reciprocalRank(hit.keywordRank, options.reciprocalRankK)
                                   + reciprocalRank(hit.vectorRank, options.reciprocalRankK);
        fused.append(std::move(hit));
    }
    std::sort(fused.begin(), fused.end(), [](const RetrievalHit &a, const RetrievalHit &b) {
        if (a.fusedScore != b.fusedScore)
            return a.fusedScore > b.fusedScore;
        return a.chunkId < b.chunkId;
    });
    return fused;
}

} // namespace ragdesk
