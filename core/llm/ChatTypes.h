#pragma once

#include "core/foundation/Error.h"

#include <QDateTime>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>
#include <utility>

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
    /// Upper bound of the answer's length. Anthropic requires one; others use it only when set.
    std::optional<int> maxTokens;
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

    /// The last chunk of a failed stream.
    static StreamChunk failure(Error error)
    {
        StreamChunk chunk;
        chunk.error = std::move(error);
        return chunk;
    }
};

/// Why a request has not started streaming yet; the tab shows it with a way out.
struct StreamWait {
    enum class Reason {
        None,          ///< the wait is over
        QueuedForSlot, ///< the provider's RequestLimiter is full
        RetryBackoff,  ///< a retryable failure; the next attempt starts at `until`
    };
    Reason reason = Reason::None;
    int ahead = 0;       ///< QueuedForSlot: requests queued before this one
    QDateTime until;     ///< RetryBackoff: when the next attempt starts (UTC)
    int nextAttempt = 0; ///< RetryBackoff: 2 for the first retry
    QString why;         ///< RetryBackoff: the failure and the decision, for the countdown line
};

/// The wire protocol a provider speaks.
enum class ProviderKind {
    OpenAiCompatible, ///< POST {base}/chat/completions, SSE; GET {base}/models
    Ollama,           ///< POST {base}/api/chat, NDJSON; GET {base}/api/tags
    Anthropic,        ///< POST {base}/v1/messages, SSE events; GET {base}/v1/models
};

/// One configured provider (a "profile"): where and how to reach it. Many can exist at once.
/// Everything here is persisted except `apiKey`, which lives in the OS keychain (or, by the
/// user's explicit choice, in memory for the session) and is filled in just before use.
struct ProviderSettings {
    QString id;     ///< stable key (a UUID); keys the keychain entry and the limiter
    ProviderKind kind = ProviderKind::OpenAiCompatible;
    QString name;   ///< shown in pickers, e.g. "Ollama (local)"
    QUrl baseUrl;   ///< OpenAI-compatible: with /v1 (e.g. http://localhost:11434/v1);
                    ///< Ollama native: the server root; Anthropic: https://api.anthropic.com
    QString model;  ///< the default model
    QString apiKey; ///< never persisted
    /// Sent with every request, e.g. OpenRouter's HTTP-Referer or an org header. Never logged.
    QList<std::pair<QByteArray, QByteArray>> extraHeaders;
    int maxConcurrent = 4; ///< requests this provider runs at once; the rest queue (RequestLimiter)
    std::chrono::milliseconds connectTimeout{std::chrono::seconds(15)};  ///< until the request is sent
    std::chrono::milliseconds firstByteTimeout{std::chrono::seconds(120)};
    std::chrono::milliseconds idleTimeout{std::chrono::seconds(90)};      ///< gap between received bytes
    std::chrono::milliseconds totalTimeout{std::chrono::minutes(20)};     ///< the whole answer, drips included
    int maxConnections = 64; ///< parallel HTTP/1.1 connections to the server
    /// Extra certificates (PEM) the user trusted explicitly for this provider, e.g. a self-signed
    /// server on the LAN. Verification stays on; these only join the system's CA list.
    QByteArray trustedCertificatesPem;
};

} // namespace ragdesk
