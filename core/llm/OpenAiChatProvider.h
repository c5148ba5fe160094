#pragma once

#include "core/llm/HttpChatProvider.h"

namespace ragdesk {

/// Chat completions over the OpenAI-compatible HTTP API (`POST {base}/chat/completions` with
/// `stream: true`, `GET {base}/models`), used for OpenAI, Ollama's /v1, llama.cpp, vLLM,
/// LM Studio, OpenRouter, DeepSeek and friends.
class OpenAiChatProvider final : public HttpChatProvider
{
public:
    OpenAiChatProvider(QNetworkAccessManager *network, ProviderSettings settings);

private:
    [[nodiscard]] QString apiName() const override;
    [[nodiscard]] QString chatPath() const override;
    [[nodiscard]] QString modelsPath() const override;
    [[nodiscard]] QByteArray chatBody(const ChatRequest &request) const override;
    [[nodiscard]] std::unique_ptr<WireDecoder> makeDecoder() const override;
    [[nodiscard]] QStringList modelsFrom(const QJsonObject &answer) const override;
    void authorize(QNetworkRequest &request) const override;
};

} // namespace ragdesk
