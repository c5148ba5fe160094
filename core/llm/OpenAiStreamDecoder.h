#pragma once

#include "core/llm/ChatTypes.h"
#include "core/llm/SseParser.h"

namespace ragdesk {

/// Pure mapping from the SSE events of an OpenAI-compatible chat stream to StreamChunks.
/// Handles `[DONE]`, usage-only final chunks with empty `choices`, `delta.reasoning_content`
/// (and `delta.reasoning`), `{"error":{...}}` objects in the stream, and two JSON frames glued
/// into one event without the blank line between them.
class OpenAiStreamDecoder
{
public:
    struct Step {
        QList<StreamChunk> chunks;
        bool done = false;           ///< `[DONE]` seen
        std::optional<Error> error;  ///< the server reported an error, or sent something unparseable
    };

    Step decode(const SseEvent &event) const;

    /// Extracts a readable message from an error body (`{"error":{"message":...}}`,
    /// `{"error":"..."}`, `{"message":...}` or plain text), trimmed for display.
    static QString errorMessageFromBody(const QByteArray &body);
};

} // namespace ragdesk
