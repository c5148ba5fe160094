#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QHash>

namespace ragdesk {

/// A chunk one stage found, with that stage's score (BM25 or cosine; higher is better).
struct StageHit {
    qint64 chunkId = 0;
    double score = 0;
};

/// Merges the keyword and vector rankings into one. Pure: the scores in, the order out, so the
/// math is tested on fixed inputs and the inspector can show every number that decided a rank.
class HitFusion
{
public:
    /// @p keyword and @p vector are each in their stage's rank order, best first. @p vectorStageRan
    /// says whether the vector stage took part at all: without it the weighted similarity is the
    /// keyword similarity alone, not a keyword similarity shrunk by the keyword weight.
    /// Returns the hits whose weighted similarity reaches the threshold, best fused score first
    /// (ties by chunk id, so equal inputs always give the same order). Only ids and scores are
    /// filled in; the caller loads titles and text for the hits it keeps.
    /// @p otherSimilarities: cosine similarities of keyword hits the vector stage did not rank
    /// (outside its top k), so their weighted similarity is not judged as if it were zero.
    static QList<RetrievalHit> fuse(const QList<StageHit> &keyword, const QList<StageHit> &vector,
                                    bool vectorStageRan, const RetrievalOptions &options,
                                    const QHash<qint64, double> &otherSimilarities = {});
};

} // namespace ragdesk
