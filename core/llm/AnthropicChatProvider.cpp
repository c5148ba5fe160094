#include "core/llm/AnthropicChatProvider.h"

#include "core/llm/WireDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

/// The API version this client speaks; Anthropic requires it on every request.
constexpr QByteArrayView kApiVersion = "2023-06-01";
/// Anthropic requires a length cap; this one fits any current model and long answers.
constexpr int kDefaultMaxTokens = 8192;

} // namespace

AnthropicChatProvider::AnthropicChatProvider(QNetworkAccessManager *network, ProviderSettings settings)
    : HttpChatProvider(network, std::move(settings))
{
}

QString AnthropicChatProvider::apiName() const
{
    return u"the Anthropic Messages API (e.g. https://api.anthropic.com)"_s;
}

QString AnthropicChatProvider::basePath(QString configuredPath) const
{
    return withoutSuffix(std::move(configuredPath), u"/v1");
}

QString AnthropicChatProvider::chatPath() const
{
    return u"/v1/messages"_s;
}

QString AnthropicChatProvider::modelsPath() const
{
    return u"/v1/models"_s;
}

QByteArray AnthropicChatProvider::chatBody(const ChatRequest &request) const
{
    // The system prompt is a top-level field, and turns must alternate starting with the user:
    // consecutive turns of one role (e.g. after a failed answer was skipped) are joined.
    QStringList system;
    QJsonArray messages;
    QString lastRole;
    for (const ChatMessage &message : request.messages) {
        if (message.role == u"system"_s) {
            system.append(message.content);
            continue;
        }
        if (messages.isEmpty() && message.role != u"user"_s)
            continue;
        if (message.role == lastRole) {
            QJsonObject previous = messages.last().toObject();
            previous.insert(u"content"_s, QString(previous.value(u"content"_s).toString() + u"\n\n"_s + message.content));
            messages.replace(messages.size() - 1, previous);
            continue;
        }
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
        lastRole = message.role;
    }
    QJsonObject body{
        {u"model"_s, request.model},
        {u"messages"_s, messages},
        {u"max_tokens"_s, request.maxTokens.value_or(kDefaultMaxTokens)},
        {u"stream"_s, true},
    };
    if (!system.isEmpty())
        body.insert(u"system"_s, system.join(u"\n\n"_s));
    if (request.temperature)
        body.insert(u"temperature"_s, qBound(0.0, *request.temperature, 1.0)); // Anthropic's range is 0..1
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::unique_ptr<WireDecoder> AnthropicChatProvider::makeDecoder() const
{
    return makeAnthropicWireDecoder();
}

QStringList AnthropicChatProvider::modelsFrom(const QJsonObject &answer) const
{
    return namesIn(answer, u"data", u"id");
}

void AnthropicChatProvider::authorize(QNetworkRequest &request) const
{
    const QString &key = settings().apiKey;
    if (!key.isEmpty())
        request.setRawHeader("x-api-key", key.toUtf8());
    request.setRawHeader("anthropic-version", kApiVersion.toByteArray());
}

} // namespace ragdesk
