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

std::optional<double> scoreFrom(const QJsonObject &json, const QString &key)
{
    const QJsonValue value = json.value(key);
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

StageTimings stagesFrom(const QJsonObject &json)
{
    StageTimings timings;
    timings.analysisMs = json.value(u"analysis_ms"_s).toDouble();
    timings.keywordMs = json.value(u"keyword_ms"_s).toDouble();
    timings.embedQueryMs = json.value(u"embed_query_ms"_s).toDouble();
    timings.vectorMs = json.value(u"vector_ms"_s).toDouble();
    timings.fusionMs = json.value(u"fusion_ms"_s).toDouble();
    timings.rerankMs = json.value(u"rerank_ms"_s).toDouble();
    timings.fetchMs = json.value(u"fetch_ms"_s).toDouble();
    return timings;
}

RetrievalHit hitFrom(const QJsonObject &json)
{
    RetrievalHit hit;
    hit.chunkId = json.value(u"chunk_id"_s).toInteger();
    hit.documentId = json.value(u"document_id"_s).toInteger();
    hit.documentTitle = json.value(u"title"_s).toString();
    hit.page = json.value(u"page"_s).toInt();
    hit.headingPath = json.value(u"heading"_s).toString();
    hit.weightedSimilarity = json.value(u"weighted_similarity"_s).toDouble();
    hit.fusedScore = json.value(u"fused_score"_s).toDouble();
    hit.keywordRank = json.value(u"keyword_rank"_s).toInt(-1);
    hit.vectorRank = json.value(u"vector_rank"_s).toInt(-1);
    hit.keywordScore = scoreFrom(json, u"keyword_score"_s);
    hit.keywordSimilarity = scoreFrom(json, u"keyword_similarity"_s);
    hit.vectorSimilarity = scoreFrom(json, u"vector_similarity"_s);
    hit.rerankScore = scoreFrom(json, u"rerank_score"_s);
    if (hit.keywordRank >= 0)
        hit.foundBy |= RetrievalStage::Keyword;
    if (hit.vectorRank >= 0)
        hit.foundBy |= RetrievalStage::Vector;
    return hit;
}

} // namespace

RetrievalRecord RetrievalRecord::fromJson(const QJsonObject &json)
{
    RetrievalRecord record;
    const QJsonObject query = json.value(u"query"_s).toObject();
    record.question = query.value(u"question"_s).toString();
    record.refinement.query = query.value(u"searched"_s).toString(record.question);
    record.refinement.refined = query.value(u"refined"_s).toBool();
    record.refinement.note = query.value(u"refine_note"_s).toString();
    record.result.query = record.refinement.query;
    record.result.matchExpression = query.value(u"match_expression"_s).toString();

    const QJsonObject timings = json.value(u"timings"_s).toObject();
    record.result.timings = stagesFrom(timings.value(u"stages"_s).toObject());
    record.refinement.ms = timings.value(u"refine_ms"_s).toDouble(-1);
    record.retrievalMs = timings.value(u"retrieval_ms"_s).toDouble(-1);
    record.promptMs = timings.value(u"prompt_ms"_s).toDouble(-1);

    for (const QJsonValue &hit : json.value(u"hits"_s).toArray())
        record.result.hits.append(hitFrom(hit.toObject()));
    record.result.usedVectors = json.value(u"used_vectors"_s).toBool();
    record.result.vectorNotice = json.value(u"vector_notice"_s).toString();
    record.result.rerankNotice = json.value(u"rerank_notice"_s).toString();
    record.repliedWithoutModel = json.value(u"replied_without_model"_s).toBool();

    const QJsonObject prompt = json.value(u"prompt"_s).toObject();
    record.prompt.sourcesIncluded = prompt.value(u"sources_included"_s).toInt();
    record.prompt.sourcesDropped = prompt.value(u"sources_dropped"_s).toInt();
    record.prompt.lastSourceTruncated = prompt.value(u"last_source_truncated"_s).toBool();
    record.prompt.historyTurnsIncluded = prompt.value(u"history_turns_included"_s).toInt();
    record.prompt.historyTurnsDropped = prompt.value(u"history_turns_dropped"_s).toInt();
    record.prompt.estimatedTokens = prompt.value(u"estimated_tokens"_s).toInt();
    record.prompt.budgetTokens = prompt.value(u"budget_tokens"_s).toInt();
    record.prompt.overBudget = prompt.value(u"over_budget"_s).toBool();
    record.prompt.promptText = prompt.value(u"text"_s).toString();
    return record;
}

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
