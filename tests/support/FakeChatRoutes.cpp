#include "tests/support/FakeChatRoutes.h"

#include "tests/support/FakeAnthropicScript.h"
#include "tests/support/FakeCompletionScript.h"
#include "tests/support/FakeOllamaScript.h"
#include "tests/support/FakeSourceQuoter.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

using Failure = FakeLlmOptions::Failure;

/// How one error reads in each family; "%1" stands for the detail (the model, for 404).
struct ErrorText {
    int status;
    QString openAiMessage; ///< empty: FakeCompletionScript::errorBody's wording for the status
    QString openAiType;
    QString openAiCode;
    QString ollama;
    QString anthropicType;
    QString anthropic;
};

ErrorText errorText(FakeChatRoutes::Error error)
{
    using Error = FakeChatRoutes::Error;
    switch (error) {
    case Error::Unauthorized:
        return {401, {}, {}, {}, u"unauthorized"_s, u"authentication_error"_s, u"invalid x-api-key"_s};
    case Error::ModelNotFound:
        return {404, u"The model `%1` does not exist"_s, u"invalid_request_error"_s, u"model_not_found"_s,
                u"model \"%1\" not found, try pulling it first"_s, u"not_found_error"_s, u"model: %1"_s};
    case Error::RateLimited:
        return {429, {}, {}, {}, u"rate limit reached, please retry later"_s, u"rate_limit_error"_s,
                u"Number of request tokens has exceeded your per-minute rate limit"_s};
    case Error::Internal:
        return {500, {}, {}, {}, u"model runner has unexpectedly stopped"_s, u"api_error"_s, u"Internal server error"_s};
    case Error::Unavailable:
        return {503, u"The server is overloaded or not ready yet."_s, u"server_error"_s, {},
                u"server busy, please try again.  maximum pending requests exceeded"_s, u"overloaded_error"_s, u"Overloaded"_s};
    case Error::ContextLength:
        return {400,
                u"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."_s,
                u"invalid_request_error"_s, u"context_length_exceeded"_s,
                u"the input length (9000 tokens) exceeds the model's context length (8192 tokens)"_s,
                u"invalid_request_error"_s, u"prompt is too long: 9000 tokens > 8192 maximum"_s};
    case Error::BadRequest:
        break;
    }
    return {400, u"%1"_s, u"invalid_request_error"_s, {}, u"%1"_s, u"invalid_request_error"_s, u"%1"_s};
}

QString fill(const QString &text, const QString &detail)
{
    return text.contains(u"%1"_s) ? text.arg(detail) : text;
}

QByteArray openAiBody(const ErrorText &text, const QString &detail)
{
    if (text.openAiMessage.isEmpty())
        return FakeCompletionScript::errorBody(text.status);
    QJsonObject error{{u"message"_s, fill(text.openAiMessage, detail)}, {u"type"_s, text.openAiType}};
    error.insert(u"code"_s, text.openAiCode.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text.openAiCode));
    return compactJson(QJsonObject{{u"error"_s, error}});
}

// Rough "4 characters per token", good enough for usage figures a test can sanity-check.
int estimatePromptTokens(const QJsonArray &messages)
{
    qsizetype characters = 0;
    for (const QJsonValue &message : messages)
        characters += message.toObject().value(u"content"_s).toString().size();
    return static_cast<int>(characters / 4 + messages.size());
}

} // namespace

std::optional<FakeChatRoute> FakeChatRoutes::routeFor(const HttpRequest &request)
{
    const QByteArray path = request.path();
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (post && path == "/v1/chat/completions")
        return FakeChatRoute{FakeChatApi::OpenAi, false};
    if (post && path == "/api/chat")
        return FakeChatRoute{FakeChatApi::Ollama, false};
    if (post && path == "/v1/messages")
        return FakeChatRoute{FakeChatApi::Anthropic, false};
    if (get && path == "/api/tags")
        return FakeChatRoute{FakeChatApi::Ollama, true};
    if (get && path == "/v1/models") {
        // Both families share the path; Anthropic's clients always send the version header.
        const bool anthropic = !request.header("anthropic-version").isEmpty();
        return FakeChatRoute{anthropic ? FakeChatApi::Anthropic : FakeChatApi::OpenAi, true};
    }
    return std::nullopt;
}

bool FakeChatRoutes::authorized(FakeChatApi api, const HttpRequest &request, const QString &key)
{
    if (key.isEmpty())
        return true;
    if (api == FakeChatApi::Anthropic)
        return request.header("x-api-key") == key.toUtf8();
    return request.header("Authorization") == "Bearer " + key.toUtf8();
}

FakeHttpAnswer FakeChatRoutes::redirect(const HttpRequest &request, const QUrl &target)
{
    QByteArray location = target.toEncoded();
    while (location.endsWith('/'))
        location.chop(1);
    location += request.target;
    return {307, {}, "Location: " + location + "\r\n", false};
}

FakeHttpAnswer FakeChatRoutes::error(FakeChatApi api, Error error, const FakeLlmOptions &options, const QString &detail)
{
    const ErrorText text = errorText(error);
    FakeHttpAnswer answer{text.status, {}, {}, false};
    if (error == Error::RateLimited || error == Error::Unavailable)
        answer.extraHeaders = options.retryAfterHeader();
    switch (api) {
    case FakeChatApi::OpenAi:
        answer.body = error == Error::BadRequest ? FakeCompletionScript::errorBody(400, detail.toUtf8())
                                                 : openAiBody(text, detail);
        break;
    case FakeChatApi::Ollama:
        answer.body = FakeOllamaScript::errorBody(fill(text.ollama, detail));
        break;
    case FakeChatApi::Anthropic:
        answer.body = FakeAnthropicScript::errorBody(text.anthropicType, fill(text.anthropic, detail));
        break;
    }
    return answer;
}

std::optional<FakeHttpAnswer> FakeChatRoutes::failureAnswer(const FakeChatRoute &route, const FakeLlmOptions &options,
                                                            const QString &model)
{
    switch (options.failure) {
    case Failure::Http401:
        return error(route.api, Error::Unauthorized, options);
    case Failure::Http429:
        return error(route.api, Error::RateLimited, options);
    case Failure::Http500:
        return error(route.api, Error::Internal, options);
    case Failure::Http503:
        return error(route.api, Error::Unavailable, options);
    case Failure::Http404:
        // Listing models works while the one asked for is missing.
        return route.models ? std::nullopt : std::optional(error(route.api, Error::ModelNotFound, options, model));
    case Failure::ContextLength:
        return route.models ? std::nullopt : std::optional(error(route.api, Error::ContextLength, options));
    default:
        return std::nullopt;
    }
}

std::optional<FakeHttpAnswer> FakeChatRoutes::rejectInvalid(FakeChatApi api, const HttpRequest &request,
                                                            const FakeLlmOptions &options)
{
    if (api == FakeChatApi::Anthropic && request.header("anthropic-version").isEmpty())
        return error(api, Error::BadRequest, options, u"anthropic-version: header is required"_s);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return error(api, Error::BadRequest, options, u"Invalid JSON body: "_s + parseError.errorString());
    if (!document.object().value(u"messages"_s).isArray())
        return error(api, Error::BadRequest, options, u"'messages' is a required property"_s);
    return std::nullopt;
}

QByteArray FakeChatRoutes::modelsBody(FakeChatApi api, const FakeLlmOptions &options)
{
    switch (api) {
    case FakeChatApi::Ollama:
        return FakeOllamaScript::tagsBody(options);
    case FakeChatApi::Anthropic:
        return FakeAnthropicScript::modelsBody(options);
    case FakeChatApi::OpenAi:
        break;
    }
    return FakeCompletionScript::modelsBody(options);
}

bool FakeChatRoutes::wantsStream(FakeChatApi api, const QJsonObject &body)
{
    return body.value(u"stream"_s).toBool(api == FakeChatApi::Ollama);
}

FakeChatStream FakeChatRoutes::stream(FakeChatApi api, const FakeLlmOptions &scripted, const QJsonObject &body,
                                      int requestNumber)
{
    FakeLlmOptions options = scripted;
    if (std::optional<QString> reply = FakeSourceQuoter::replyFor(scripted, body))
        options.reply = *reply;
    QString model = body.value(u"model"_s).toString();
    if (model.isEmpty())
        model = options.model;
    const int promptTokens = estimatePromptTokens(body.value(u"messages"_s).toArray());
    switch (api) {
    case FakeChatApi::Ollama:
        return FakeOllamaScript::stream(options, model, promptTokens);
    case FakeChatApi::Anthropic:
        return FakeAnthropicScript::stream(options, model, u"msg_%1"_s.arg(requestNumber), promptTokens);
    case FakeChatApi::OpenAi:
        break;
    }
    return FakeCompletionScript(options, model, "chatcmpl-" + QByteArray::number(requestNumber), promptTokens).chatStream();
}

} // namespace ragdesk::testing
