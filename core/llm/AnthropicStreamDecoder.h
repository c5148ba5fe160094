#pragma once

#include "core/llm/ChatTypes.h"
#include "core/llm/SseParser.h"

namespace ragdesk {

/// Mapping from the SSE events of an Anthropic Messages stream to StreamChunks.
/// Handles `message_start` (input tokens), `content_block_start`, `content_block_delta` with
/// `text_delta` or `thinking_delta` (other delta kinds are ignored), `message_delta` (stop
/// reason, output tokens), `message_stop`, `ping` and `error` events; unknown events are ignored.
/// It keeps the input token count of `message_start`, so use one decoder per stream.
class AnthropicStreamDecoder
{
public:
    struct Step {
        QList<StreamChunk> chunks;
        bool done = false;          ///< `message_stop` seen
        std::optional<Error> error; ///< the server reported an error, or sent something unparseable
    };

    Step decode(const SseEvent &event);

    /// Anthropic's stop_reason in the OpenAI vocabulary our metrics use (end_turn -> stop,
    /// max_tokens -> length, ...); unknown reasons are kept as they are.
    static QString finishReasonFromStopReason(const QString &stopReason);

private:
    int m_promptTokens = -1; ///< from message_start, repeated in the final usage
};

} // namespace ragdesk
