#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/ResilientStream.h"

#include <QCoroTask>
#include <QString>

#include <chrono>

namespace ragdesk {

/// One short side call the user never sees stream (a search query, a title): a single attempt
/// through the turn's provider (its limiter included), collected whole, ended by its own timeout
/// or by the caller's cancel, whichever comes first.
class ShortCompletion
{
public:
    struct Outcome {
        Result<QString> reply; ///< the whole text, or why there is none
        bool timedOut = false; ///< the timeout (not the caller) ended the call
        double ms = -1;        ///< wall time; -1 when no call was made
    };

    /// @p instructions as the system message and @p prompt as the user's, at temperature 0 (the
    /// same input should give the same query or title every time), capped at @p maxTokens. Pure.
    static ChatRequest request(const QString &instructions, const QString &prompt, int maxTokens);
    /// The first non-empty line of @p reply after any "</think>" a reasoning model wrote, trimmed. Pure.
    static QString firstLine(const QString &reply);
    /// firstLine() without a leading "<label>:" (@p label a regular expression, matched
    /// case-insensitively) and unquoted(). Pure.
    static QString replyLine(const QString &reply, const QString &label);
    /// @p text without the quotes (straight, curly, guillemets, backticks) around it, trimmed. Pure.
    static QString unquoted(QString text);

    static QCoro::Task<Outcome> run(ProviderHandle handle, ChatRequest request, CancelToken cancel,
                                    std::chrono::milliseconds timeout);
};

} // namespace ragdesk
