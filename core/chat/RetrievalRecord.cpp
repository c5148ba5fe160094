#include "core/chat/RetrievalRecord.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

void insertScore(QJsonObject &json, const QString &key, const std::optional<double> &score)
{
    if (score)
        json.insert(key, *score);
}

QJsonObject stagesJson(const StageTimings &timings)
{
    return QJsonObject{
        {u"analysis_ms"_s, timings.analysisMs}, {u"keyword_ms"_s, timings.keywordMs},
        {u"embed_query_ms"_s, timings.embedQueryMs}, {u"vector_ms"_s, timings.vectorMs},
        {u"fusion_ms"_s, timings.fusionMs}, {u"rerank_ms"_s, timings.rerankMs},
        {u"fetch_ms"_s, timings.fetchMs}, {u"total_ms"_s, timings.totalMs()},
    };
}

QJsonObject hitJson(const RetrievalHit &hit, int number, bool included)
{
    QJsonObject json{
        {u"chunk_id"_s, hit.chunkId},
        {u"document_id"_s, hit.documentId},
        {u"title"_s, hit.documentTitle},
        {u"weighted_similarity"_s, hit.weightedSimilarity},
        {u"fused_score"_s, hit.fusedScore},
        // Dropped hits are the lower-ranked ones the context budget had no room for.
        {u"included"_s, included},
    };
    if (included)
        json.insert(u"number"_s, number);
    if (hit.page > 0)
        json.insert(u"page"_s, hit.page);
    if (!hit.headingPath.isEmpty())
        json.insert(u"heading"_s, hit.headingPath);
    if (hit.keywordRank >= 0)
        json.insert(u"keyword_rank"_s, hit.keywordRank);
    if (hit.vectorRank >= 0)
        json.insert(u"vector_rank"_s, hit.vectorRank);
    insertScore(json, u"keyword_score"_s, hit.keywordScore);
    insertScore(json, u"keyword_similarity"_s, hit.keywordSimilarity);
    insertScore(json, u"vector_similarity"_s, hit.vectorSimilarity);
    insertScore(json, u"rerank_score"_s, hit.rerankScore);
    return json;
}

QJsonObject promptJson(const PromptReport &report)
{
    return QJsonObject{
        {u"sources_included"_s, report.sourcesIncluded},
        {u"sources_dropped"_s, report.sourcesDropped},
        {u"last_source_truncated"_s, report.lastSourceTruncated},
        {u"history_turns_included"_s, report.historyTurnsIncluded},
        {u"history_turns_dropped"_s, report.historyTurnsDropped},
        {u"estimated_tokens"_s, report.estimatedTokens},
        {u"budget_tokens"_s, report.budgetTokens},
        {u"over_budget"_s, report.overBudget},
        {u"text"_s, report.promptText},
    };
}

} // namespace

QJsonObject RetrievalRecord::toJson() const
{
    QJsonObject query{{u"question"_s, question}, {u"searched"_s, refinement.query}, {u"refined"_s, refinement.refined}};
    if (!refinement.note.isEmpty())
        query.insert(u"refine_note"_s, refinement.note);
    if (!result.matchExpression.isEmpty())
        query.insert(u"match_expression"_s, result.matchExpression);

    QJsonObject timings{{u"stages"_s, stagesJson(result.timings)}};
    if (refinement.ms >= 0)
        timings.insert(u"refine_ms"_s, refinement.ms);
    if (retrievalMs >= 0)
        timings.insert(u"retrieval_ms"_s, retrievalMs);
    if (promptMs >= 0)
        timings.insert(u"prompt_ms"_s, promptMs);

    QJsonArray hits;
    for (qsizetype i = 0; i < result.hits.size(); ++i)
        hits.append(hitJson(result.hits.at(i), int(i) + 1, i < prompt.sourcesIncluded));

    QJsonObject json{
        {u"query"_s, query},
        {u"timings"_s, timings},
        {u"hits"_s, hits},
        {u"used_vectors"_s, result.usedVectors},
        {u"prompt"_s, promptJson(prompt)},
    };
    if (!result.vectorNotice.isEmpty())
        json.insert(u"vector_notice"_s, result.vectorNotice);
    if (!result.rerankNotice.isEmpty())
        json.insert(u"rerank_notice"_s, result.rerankNotice);
    if (repliedWithoutModel)
        json.insert(u"replied_without_model"_s, true);
    return json;
}

} // namespace ragdesk
