#pragma once

#include "core/llm/ChatProvider.h"

#include <QPointer>

#include <memory>

class QJsonArray;
class QJsonObject;
class QNetworkAccessManager;
class QNetworkRequest;

namespace ragdesk {

class WireDecoder;

/// What every HTTP API family shares: one POST that streams, one GET that lists models, and
/// the same handling of timeouts (StreamDeadlines), redirects and TLS (ReplyWatch), cancel and
/// failures (describeReplyFailure). Subclasses supply only their paths, body, headers and
/// wire decoder. Runs on the UI thread: QNetworkAccessManager does the socket work on its own
/// thread and the coroutine only parses what arrived.
class HttpChatProvider : public ChatProvider
{
public:
    QCoro::AsyncGenerator<StreamChunk> stream(ChatRequest request, CancelToken cancel) final;
    QCoro::Task<Result<QStringList>> listModels(CancelToken cancel) final;
    [[nodiscard]] ProviderSettings settings() const final { return m_settings; }

protected:
    HttpChatProvider(QNetworkAccessManager *network, ProviderSettings settings);

    /// "an OpenAI-compatible server", for messages that explain a wrong base URL.
    [[nodiscard]] virtual QString apiName() const = 0;
    /// The base URL's path as this API wants it joined with the paths below.
    [[nodiscard]] virtual QString basePath(QString configuredPath) const { return configuredPath; }
    [[nodiscard]] virtual QString chatPath() const = 0;
    [[nodiscard]] virtual QString modelsPath() const = 0;
    [[nodiscard]] virtual QByteArray chatBody(const ChatRequest &request) const = 0;
    [[nodiscard]] virtual std::unique_ptr<WireDecoder> makeDecoder() const = 0;
    /// Model ids from the models answer; an empty list means the shape was not recognised.
    [[nodiscard]] virtual QStringList modelsFrom(const QJsonObject &answer) const = 0;
    /// Adds the API's own authentication and version headers.
    virtual void authorize(QNetworkRequest &request) const = 0;

    /// Strips @p suffix (e.g. "/v1") from the end of @p path, for users who paste the
    /// OpenAI-compatible URL into a native-API profile.
    static QString withoutSuffix(QString path, QStringView suffix);
    /// The non-empty string values of @p key in the objects of @p answer's array @p listKey,
    /// the shape every models endpoint shares (`data[].id`, `models[].name`).
    static QStringList namesIn(const QJsonObject &answer, QStringView listKey, QStringView key);
    /// The `[{"role":…,"content":…}]` list the OpenAI and Ollama bodies share.
    static QJsonArray messagesJson(const QList<ChatMessage> &messages);

private:
    [[nodiscard]] QNetworkRequest makeRequest(const QString &path) const;
    [[nodiscard]] std::optional<Error> configurationProblem() const;
    [[nodiscard]] QString where() const;
    /// A 404 that names the model: the models the server does offer, to pick from.
    QCoro::Task<QString> availableModelsHint(CancelToken cancel);

    QPointer<QNetworkAccessManager> m_network;
    ProviderSettings m_settings;
};

} // namespace ragdesk
