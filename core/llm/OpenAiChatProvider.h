#pragma once

#include "core/llm/ChatProvider.h"

#include <QPointer>

class QNetworkAccessManager;
class QNetworkRequest;

namespace ragdesk {

/// Chat completions over the OpenAI-compatible HTTP API (`POST {base}/chat/completions` with
/// `stream: true`), used for OpenAI, Ollama's /v1, llama.cpp, vLLM, LM Studio and friends.
/// Runs on the UI thread: QNetworkAccessManager does the socket work on its own thread and the
/// coroutine only parses what arrived.
class OpenAiChatProvider final : public ChatProvider
{
public:
    OpenAiChatProvider(QNetworkAccessManager *network, ProviderSettings settings);

    QCoro::AsyncGenerator<StreamChunk> stream(ChatRequest request, CancelToken cancel) override;
    QCoro::Task<Result<QStringList>> listModels(CancelToken cancel) override;
    [[nodiscard]] ProviderSettings settings() const override { return m_settings; }

private:
    [[nodiscard]] QNetworkRequest makeRequest(const QString &path) const;

    QPointer<QNetworkAccessManager> m_network;
    ProviderSettings m_settings;
};

} // namespace ragdesk
