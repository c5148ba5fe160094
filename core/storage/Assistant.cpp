#include "core/storage/Assistant.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
// Stored in profile.db: renaming a key needs a migration.
constexpr auto kSystemPrompt = "systemPrompt"_L1;
constexpr auto kKnowledgeBases = "knowledgeBases"_L1;
constexpr auto kAllKnowledgeBases = "allKnowledgeBases"_L1;
constexpr auto kProvider = "provider"_L1;
constexpr auto kModel = "model"_L1;
constexpr auto kTemperature = "temperature"_L1;
constexpr auto kTopN = "topN"_L1;
constexpr auto kThreshold = "threshold"_L1;
constexpr auto kFusion = "fusion"_L1;
constexpr auto kKeywordWeight = "keywordWeight"_L1;
constexpr auto kRerank = "rerank"_L1;
constexpr auto kOnEmpty = "onEmpty"_L1;
constexpr auto kEmptyResponse = "emptyResponse"_L1;
constexpr auto kCitations = "citations"_L1;
constexpr auto kRefine = "refineQuestion"_L1;
constexpr auto kContext = "contextTokens"_L1;
constexpr auto kName = "name"_L1;
} // namespace

RetrievalOptions Assistant::retrievalOptions() const
{
    RetrievalOptions options;
    if (!allKnowledgeBases)
        options.knowledgeBaseIds = knowledgeBaseIds; // empty means every one to the retriever
    options.topN = topN;
    options.similarityThreshold = similarityThreshold;
    options.fusion = fusion;
    options.keywordWeight = keywordWeight;
    options.rerank = rerank;
    return options;
}

QJsonObject Assistant::settingsJson() const
{
    QJsonArray bases;
    for (qint64 baseId : knowledgeBaseIds)
        bases.append(baseId);
    QJsonObject json{
        {kName, name},
        {kSystemPrompt, systemPrompt},
        {kAllKnowledgeBases, allKnowledgeBases},
        {kKnowledgeBases, bases},
        {kProvider, providerId},
        {kModel, model},
        {kTopN, topN},
        {kThreshold, similarityThreshold},
        {kFusion, fusion == FusionMethod::ReciprocalRank ? u"rrf"_s : u"weighted"_s},
        {kKeywordWeight, keywordWeight},
        {kRerank, rerank},
        {kOnEmpty, onEmpty == EmptyRetrieval::ReplyWithText ? u"reply"_s : u"answer"_s},
        {kEmptyResponse, emptyResponse},
        {kCitations, citations},
        {kRefine, refineQuestion},
        {kContext, contextTokens},
    };
    if (temperature)
        json.insert(kTemperature, *temperature);
    return json;
}

Assistant Assistant::fromSettingsJson(const QJsonObject &json)
{
    Assistant assistant;
    const Assistant defaults;
    assistant.name = json.value(kName).toString();
    assistant.systemPrompt = json.value(kSystemPrompt).toString();
    assistant.allKnowledgeBases = json.value(kAllKnowledgeBases).toBool(defaults.allKnowledgeBases);
    for (const QJsonValue &id : json.value(kKnowledgeBases).toArray()) {
        if (const qint64 value = id.toInteger(); value > 0)
            assistant.knowledgeBaseIds.append(value);
    }
    assistant.providerId = json.value(kProvider).toString();
    assistant.model = json.value(kModel).toString();
    if (json.value(kTemperature).isDouble())
        assistant.temperature = json.value(kTemperature).toDouble();
    assistant.topN = qBound(1, json.value(kTopN).toInt(defaults.topN), 100);
    assistant.similarityThreshold = qBound(0.0, json.value(kThreshold).toDouble(defaults.similarityThreshold), 1.0);
    assistant.fusion = json.value(kFusion).toString() == u"rrf" ? FusionMethod::ReciprocalRank
                                                                 : FusionMethod::WeightedSum;
    assistant.keywordWeight = qBound(0.0, json.value(kKeywordWeight).toDouble(defaults.keywordWeight), 1.0);
    assistant.rerank = json.value(kRerank).toBool(defaults.rerank);
    assistant.onEmpty = json.value(kOnEmpty).toString() == u"reply" ? EmptyRetrieval::ReplyWithText
                                                                     : EmptyRetrieval::AnswerAnyway;
    assistant.emptyResponse = json.value(kEmptyResponse).toString();
    assistant.citations = json.value(kCitations).toBool(defaults.citations);
    assistant.refineQuestion = json.value(kRefine).toBool(defaults.refineQuestion);
    assistant.contextTokens = qBound(1024, json.value(kContext).toInt(defaults.contextTokens), 2'000'000);
    return assistant;
}

Assistant Assistant::makeDefault()
{
    Assistant assistant;
    assistant.name = u"Document assistant"_s;
    assistant.systemPrompt = u"You are a careful assistant that answers questions about the user's documents."_s;
    assistant.emptyResponse = u"I found nothing about this in your documents."_s;
    return assistant;
}

} // namespace ragdesk
