#pragma once

#include "core/llm/HttpChatProvider.h"

namespace ragdesk {

/// Ollama's native API: `POST {root}/api/chat` streaming NDJSON, `GET {root}/api/tags`.
class OllamaChatProvider final : public HttpChatProvider
{
public:
    OllamaChatProvider(QNetworkAccessManager *network, ProviderSettings settings);

private:
    [[nodiscard]] QString apiName() const override;
    [[nodiscard]] QString basePath(QString configuredPath) const override;
    [[nodiscard]] QString chatPath() const override;
    [[nodiscard]] QString modelsPath() const override;
    [[nodiscard]] QByteArray chatBody(const ChatRequest &request) const override;
    [[nodiscard]] std::unique_ptr<WireDecoder> makeDecoder() const override;
    [[nodiscard]] QStringList modelsFrom(const QJsonObject &answer) const override;
    void authorize(QNetworkRequest &request) const override;
};

} // namespace ragdesk
