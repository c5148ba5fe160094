#pragma once

#include "core/llm/ChatTypes.h"

#include <QByteArrayView>

#include <memory>

namespace ragdesk {

/// What one piece of a response body decoded to.
struct WireStep {
    QList<StreamChunk> chunks;
    bool done = false;          ///< the API's own end marker arrived ([DONE], message_stop, "done": true)
    std::optional<Error> error; ///< the server reported an error, or sent something unparseable
};

/// Bytes of one API family's streaming body in, StreamChunks out. Pure and incremental: the
/// body may be split at any byte. One decoder per response, because some keep state.
class WireDecoder
{
public:
    virtual ~WireDecoder() = default;
    virtual WireStep feed(QByteArrayView bytes) = 0;
    /// The body ended: decodes whatever an unterminated last event or line held.
    virtual WireStep finish() = 0;
};

/// SSE + OpenAI chat completion chunks.
std::unique_ptr<WireDecoder> makeOpenAiWireDecoder();
/// SSE + Anthropic Messages events.
std::unique_ptr<WireDecoder> makeAnthropicWireDecoder();
/// NDJSON + Ollama /api/chat lines.
std::unique_ptr<WireDecoder> makeOllamaWireDecoder();

} // namespace ragdesk
