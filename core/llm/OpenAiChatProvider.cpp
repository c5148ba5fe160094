#include "core/llm/OpenAiChatProvider.h"

#include "core/llm/WireDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace ragdesk {

OpenAiChatProvider::OpenAiChatProvider(QNetworkAccessManager *network, ProviderSettings settings)
    : HttpChatProvider(network, std::move(settings))
{
}

QString OpenAiChatProvider::apiName() const
{
    return u"an OpenAI-compatible server (e.g. http://localhost:11434/v1)"_s;
}

QString OpenAiChatProvider::chatPath() const
{
    return u"/chat/completions"_s;
}

QString OpenAiChatProvider::modelsPath() const
{
    return u"/models"_s;
}

QByteArray OpenAiChatProvider::chatBody(const ChatRequest &request) const
{
    QJsonObject body{
        {u"model"_s, request.model},
        {u"messages"_s, messagesJson(request.messages)},
        {u"stream"_s, true},
        // Asks for the final usage chunk so tokens/s uses the server's own count.
        {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}},
    };
    if (request.temperature)
        body.insert(u"temperature"_s, *request.temperature);
    if (request.maxTokens)
        body.insert(u"max_tokens"_s, *request.maxTokens);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<WireDecoder> OpenAiChatProvider::makeDecoder() const
{
    return makeOpenAiWireDecoder();
}

QStringList OpenAiChatProvider::modelsFrom(const QJsonObject &answer) const
{
    return namesIn(answer, u"data", u"id");
}

void OpenAiChatProvider::authorize(QNetworkRequest &request) const
{
    const QString &key = settings().apiKey;
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
}

} // namespace ragdesk
