#pragma once

#include "core/storage/Assistant.h"
#include "core/chat/RetrievalRecord.h"
#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/ResilientStream.h"
#include "core/storage/Citation.h"

#include <QCoroTask>

#include <functional>
#include <optional>

namespace ragdesk {

/// A search over the knowledge bases, e.g. HybridRetriever::search; it runs off the UI thread.
using RetrieveFunction = std::function<QCoro::Task<Result<RetrievalResult>>(QString query, RetrievalOptions, CancelToken)>;

/// One turn's request before it streams: the messages and the sources they number.
struct PreparedTurn {
    QList<ChatMessage> messages; ///< ChatRequest::messages
    QList<CitationSnapshot> sources; ///< the numbered sources in the prompt; empty without documents
    /// Set when the turn searched; MessageRecord::retrieval is its JSON.
    std::optional<RetrievalRecord> record;
    /// Nothing relevant was found and the assistant says so itself: no model call.
    bool replyWithText = false;
};

/// Everything between the question and the provider request (DESIGN "A chat turn, as data",
/// steps 3 and 4): the optional refinement of a follow-up, retrieval with the assistant's
/// options, the empty-retrieval rule and PromptBuilder.
class TurnPreparation
{
public:
    struct Input {
        Assistant assistant;
        QList<ChatMessage> history; ///< earlier messages of the path, without the question
        QString question;
    };

    /// The request of a turn without documents: the assistant's system prompt (if any), the
    /// history and the question, as they are. Pure.
    static PreparedTurn withoutDocuments(const Input &input);
    /// The request built from a finished search; @p record.result holds the hits. Pure.
    static PreparedTurn withSources(const Input &input, RetrievalRecord record);

    /// Refines (when the assistant asks for it and there is history), searches through
    /// @p retrieve and builds the prompt. Fails only when the search fails or is cancelled.
    static QCoro::Task<Result<PreparedTurn>> prepare(Input input, ProviderHandle handle, RetrieveFunction retrieve,
                                                     CancelToken cancel);
};

} // namespace ragdesk
