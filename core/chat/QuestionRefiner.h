#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/ResilientStream.h"

#include <QCoroTask>
#include <QList>
#include <QString>

#include <chrono>

namespace ragdesk {

/// What a refinement produced; the query is always usable, refined or not.
struct Refinement {
    QString query;     ///< what retrieval searches for: the rewrite, or the question itself
    bool refined = false; ///< the model's rewrite is in use
    QString note;      ///< why the raw question was kept (a failure, a timeout); empty otherwise
    double ms = -1;    ///< wall time of the call; -1 when none was made
};

/// Rewrites a follow-up question ("and the second one?") into a standalone search query with
/// one short, unstreamed-to-the-user call to the turn's provider. It never fails a turn: on
/// any trouble (error, timeout, a rambling reply) the question is searched as typed.
class QuestionRefiner
{
public:
    static constexpr int kMaxTokens = 96;
    /// Long enough for a local model's first token, short enough that a hung server costs
    /// the turn only this much before it goes on with the raw question.
    static constexpr std::chrono::milliseconds kTimeout{15000};
    /// How much history the rewrite sees: the newest messages, each cut to kMaxMessageChars.
    static constexpr int kMaxHistoryMessages = 6;
    static constexpr int kMaxMessageChars = 1200;
    /// A reply longer than this is an answer, not a query.
    static constexpr int kMaxQueryChars = 400;

    /// The request asking for the rewrite. Pure.
    static ChatRequest request(const QList<ChatMessage> &history, const QString &question);
    /// The query in @p reply (first line, without quotes or a "Query:" label), or empty when
    /// the reply is no usable query. Pure.
    static QString queryFrom(const QString &reply);

    /// Runs the call through @p handle (its limiter included, no retries) and falls back to
    /// @p question on any failure. Cancelling @p cancel ends it at once, also with the fallback.
    static QCoro::Task<Refinement> refine(ProviderHandle handle, QList<ChatMessage> history, QString question,
                                          CancelToken cancel, std::chrono::milliseconds timeout = kTimeout);
};

} // namespace ragdesk
