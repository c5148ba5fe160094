#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/ResilientStream.h"

#include <QCoroTask>
#include <QString>

#include <chrono>

namespace ragdesk {

/// The title a conversation gets: at once the first question cut short, and after the first
/// exchange a few words the model suggests in one short call (ShortCompletion).
class ConversationTitle
{
public:
    static constexpr int kMaxTokens = 16;
    /// A title is a nicety: a slow server must not keep a call open for long.
    static constexpr std::chrono::milliseconds kTimeout{10000};
    /// Longer titles are cut at a word boundary with an ellipsis.
    static constexpr int kMaxChars = 60;
    /// How much of the first exchange the model reads.
    static constexpr int kMaxExcerptChars = 1000;

    /// The first question, simplified and cut to kMaxChars; "New chat" for an empty one. Pure.
    static QString fromQuestion(const QString &question);
    /// The request asking for a title of the exchange. Pure.
    static ChatRequest request(const QString &question, const QString &answer);
    /// The title in @p reply: its first line without a "Title:" label, quotes, markdown emphasis
    /// or trailing punctuation, cut to kMaxChars; empty when nothing usable is left. Pure.
    static QString fromReply(const QString &reply);

    /// Asks through @p handle; empty on any failure, a timeout or an unusable reply, so the
    /// caller keeps the title it has.
    static QCoro::Task<QString> suggest(ProviderHandle handle, QString question, QString answer, CancelToken cancel,
                                        std::chrono::milliseconds timeout = kTimeout);
};

} // namespace ragdesk
