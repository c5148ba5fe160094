#include "core/llm/OllamaChatProvider.h"

#include "core/llm/WireDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace ragdesk {

OllamaChatProvider::OllamaChatProvider(QNetworkAccessManager *network, ProviderSettings settings)
    : HttpChatProvider(network, std::move(settings))
{
}

QString OllamaChatProvider::apiName() const
{
    return u"an Ollama server (e.g. http://localhost:11434)"_s;
}

QString OllamaChatProvider::basePath(QString configuredPath) const
{
    // The OpenAI-compatible URL (…/v1) is what most guides show; the native API sits at the root.
    return withoutSuffix(std::move(configuredPath), u"/v1");
}

QString OllamaChatProvider::chatPath() const
{
    return u"/api/chat"_s;
}

QString OllamaChatProvider::modelsPath() const
{
    return u"/api/tags"_s;
}

QByteArray OllamaChatProvider::chatBody(const ChatRequest &request) const
{
    QJsonObject options;
    if (request.temperature)
        options.insert(u"temperature"_s, *request.temperature);
    if (request.maxTokens)
        options.insert(u"num_predict"_s, *request.maxTokens);
    QJsonObject body{
        {u"model"_s, request.model},
        {u"messages"_s, messagesJson(request.messages)},
        {u"stream"_s, true},
    };
    if (!options.isEmpty())
        body.insert(u"options"_s, options);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<WireDecoder> OllamaChatProvider::makeDecoder() const
{
    return makeOllamaWireDecoder();
}

QStringList OllamaChatProvider::modelsFrom(const QJsonObject &answer) const
{
    // "name" is the tag users type (llama3.2:latest); every version of the API sends it.
    return namesIn(answer, u"models", u"name");
}

void OllamaChatProvider::authorize(QNetworkRequest &request) const
{
    // Ollama itself has no keys, but it often sits behind a proxy that wants a bearer token.
    const QString &key = settings().apiKey;
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
}

} // namespace ragdesk
