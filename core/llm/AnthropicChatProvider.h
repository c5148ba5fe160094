#pragma once

#include "core/llm/HttpChatProvider.h"

namespace ragdesk {

/// Anthropic's Messages API: `POST {base}/v1/messages` streaming SSE events, `GET {base}/v1/models`.
class AnthropicChatProvider final : public HttpChatProvider
{
public:
    AnthropicChatProvider(QNetworkAccessManager *network, ProviderSettings settings);

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
