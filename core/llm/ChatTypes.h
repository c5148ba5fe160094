#pragma once

#include "core/foundation/Error.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace ragdesk {

/// One turn of the conversation as the provider sees it.
struct ChatMessage {
    QString role; ///< "system", "user" or "assistant"
    QString content;
};

/// What a provider is asked to complete.
struct ChatRequest {
    QString model;
    QList<ChatMessage> messages;
    std::optional<double> temperature;
};

/// Token counts as reported by the server; -1 when it did not say.
struct TokenUsage {
    int promptTokens = -1;
    int completionTokens = -1;
};

/// One increment of a streamed answer. The last chunk of a failed stream carries the error.
struct StreamChunk {
    QString content;   ///< answer text
    QString reasoning; ///< reasoning text (reasoning_content / thinking), kept apart from the answer
    QString finishReason;
    std::optional<TokenUsage> usage;
    std::optional<Error> error;
};

/// Where and how to reach an OpenAI-compatible server. The API key lives only in memory.
struct ProviderSettings {
    QUrl baseUrl;   ///< e.g. http://localhost:11434/v1 (without /chat/completions)
    QString model;
    QString apiKey; ///< never persisted
    std::chrono::milliseconds firstByteTimeout{std::chrono::seconds(120)};
    std::chrono::milliseconds idleTimeout{std::chrono::seconds(90)};
    int maxConnections = 64; ///< parallel HTTP/1.1 connections to the server
};

} // namespace ragdesk
