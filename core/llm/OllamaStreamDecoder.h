#pragma once

#include "core/llm/ChatTypes.h"

#include <QByteArrayView>

namespace ragdesk {

/// Pure mapping from the lines of an Ollama native `/api/chat` stream (NDJSON, split by
/// NdjsonParser) to StreamChunks: `message.content`, `message.thinking` (reasoning), `done`,
/// `done_reason`, the eval counts as TokenUsage, and `{"error":"..."}` lines.
class OllamaStreamDecoder
{
public:
    struct Step {
        QList<StreamChunk> chunks;
        bool done = false;          ///< a line with `"done": true` was seen
        std::optional<Error> error; ///< the server reported an error, or sent something unparseable
    };

    /// Decodes one complete line (without its line end).
    Step decode(QByteArrayView line) const;
};

} // namespace ragdesk
