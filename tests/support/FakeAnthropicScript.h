#pragma once

#include "tests/support/FakeChatStream.h"
#include "tests/support/FakeLlmOptions.h"

namespace ragdesk::testing {

/// Anthropic's Messages API as pure functions: POST /v1/messages streams named SSE events
/// (message_start, content_block_start/delta/stop per block, message_delta, message_stop; with
/// reasoning a thinking block at index 0 before the text block at 1), GET /v1/models lists the
/// models, and errors are {"type":"error","error":{"type":...,"message":...}}.
class FakeAnthropicScript
{
public:
    /// @p id becomes the message id ("msg_N").
    [[nodiscard]] static FakeChatStream stream(const FakeLlmOptions &options, const QString &model,
                                               const QString &id, int promptTokens);
    [[nodiscard]] static QByteArray modelsBody(const FakeLlmOptions &options);
    /// @p type: authentication_error, not_found_error, rate_limit_error, api_error, ...
    [[nodiscard]] static QByteArray errorBody(const QString &type, const QString &message);
};

} // namespace ragdesk::testing
