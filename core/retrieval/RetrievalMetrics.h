#pragma once

#include "core/foundation/Error.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QStringList>

namespace ragdesk {

/// One evaluation query: what was asked and which sources answer it.
struct EvalQuery {
    QString query;
    /// Paths relative to the corpus root ("library/json.html"), optionally with a page
    /// ("manual.pdf#12"). A hit counts when its document path ends with "/" + the path (and its
    /// page matches, where one is given).
    QStringList relevant;
};

/// Scores of one query, or the mean over many.
struct EvalScores {
    double recallAt5 = 0;
    double recallAt10 = 0;
    double reciprocalRank = 0; ///< MRR when averaged
    double ndcgAt10 = 0;
};

/// The standard ranking metrics over the distinct sources a search returned. Chunks of the same
/// source count once, at their best rank: relevance is judged per source, and ten chunks of one
/// page must not fill a top ten.
class RetrievalMetrics
{
public:
    /// Each hit's source key ("path" or "path#page"), deduplicated, best first, against
    /// @p relevant. Binary relevance; nDCG's ideal ranking puts every relevant source first.
    static EvalScores score(const QList<RetrievalHit> &hits, const QStringList &relevant);
    static EvalScores mean(const QList<EvalScores> &scores);

    /// Parses one JSON line {"query": ..., "relevant": [...]}; an error names what is wrong.
    static Result<EvalQuery> parseLine(const QByteArray &line);
};

} // namespace ragdesk
