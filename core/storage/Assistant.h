#pragma once

#include "core/foundation/Error.h"
// Header-only value types (FusionMethod, RetrievalOptions): storage keeps no link dependency on
// ragdesk_retrieval, which links storage.
#include "core/retrieval/RetrievalTypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ragdesk {

/// What a chat turn does when retrieval finds nothing above the threshold.
enum class EmptyRetrieval {
    AnswerAnyway, ///< ask the model without sources (it is told the documents had nothing)
    ReplyWithText, ///< skip the model and reply with Assistant::emptyResponse
};

/// A named recipe for chat turns: whom to ask, what to search, how to prompt. A value type;
/// AssistantStore keeps them in profile.db and each chat tab holds a copy of its own.
struct Assistant {
    qint64 id = 0; ///< 0 until stored
    QString name;
    QString systemPrompt;
    /// Search every knowledge base, including ones added later; the default assistant does.
    bool allKnowledgeBases = true;
    QList<qint64> knowledgeBaseIds; ///< when not all: these; none means chatting without documents
    QString providerId; ///< empty: the app's default provider
    QString model;      ///< empty: the provider's default model
    std::optional<double> temperature; ///< empty: the server's default

    // Retrieval: the fields of RetrievalOptions an assistant exposes.
    int topN = 6;
    double similarityThreshold = 0.1;
    FusionMethod fusion = FusionMethod::WeightedSum;
    double keywordWeight = 0.7;
    bool rerank = false;

    EmptyRetrieval onEmpty = EmptyRetrieval::AnswerAnyway;
    QString emptyResponse; ///< the reply for ReplyWithText
    bool citations = true; ///< ask the model to cite, and show citations
    /// Rewrite follow-up questions into standalone queries (one extra, short LLM call) before
    /// retrieval, so "and the second one?" searches for what it refers to.
    bool refineQuestion = true;
    int contextTokens = 8192; ///< the model's context window, for PromptBuilder's budget

    bool operator==(const Assistant &) const = default;

    [[nodiscard]] bool usesDocuments() const { return allKnowledgeBases || !knowledgeBaseIds.isEmpty(); }
    /// The search a turn runs: these settings over this assistant's knowledge bases.
    [[nodiscard]] RetrievalOptions retrievalOptions() const;

    /// Every field but the id (stored in its own column). Unknown keys are ignored and missing
    /// ones take their default, so settings added later still read old rows.
    [[nodiscard]] QJsonObject settingsJson() const;
    static Assistant fromSettingsJson(const QJsonObject &json);

    /// The assistant created on first start: all knowledge bases, citations on.
    static Assistant makeDefault();
};

} // namespace ragdesk
