#include "core/llm/OpenAiChatProvider.h"

#include "core/llm/NetworkErrorText.h"
#include "core/llm/OpenAiStreamDecoder.h"
#include "core/llm/ReplyPtr.h"
#include "core/llm/SseParser.h"

#include <QCoroNetworkReply>
#include <QHttp1Configuration>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

namespace {

/// Aborting is how a cancelled request ends at once: the awaiting coroutine resumes with
/// OperationCanceledError. Returns the subscription to drop once the reply is done.
int abortOnCancel(CancelToken &cancel, QNetworkReply *reply)
{
    return cancel.onCancel([guard = QPointer<QNetworkReply>(reply)] {
        if (guard)
            guard->abort();
    });
}

StreamChunk errorChunk(Error error)
{
    StreamChunk chunk;
    chunk.error = std::move(error);
    return chunk;
}

QByteArray requestBody(const ChatRequest &request)
{
    QJsonArray messages;
    for (const ChatMessage &message : request.messages)
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QJsonObject body{
        {u"model"_s, request.model},
        {u"messages"_s, messages},
        {u"stream"_s, true},
        // Asks for the final usage chunk so tokens/s uses the server's own count.
        {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}},
    };
    if (request.temperature)
        body.insert(u"temperature"_s, *request.temperature);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace

OpenAiChatProvider::OpenAiChatProvider(QNetworkAccessManager *network, ProviderSettings settings)
    : m_network(network)
    , m_settings(std::move(settings))
{
}

QNetworkRequest OpenAiChatProvider::makeRequest(const QString &path) const
{
    QUrl url = m_settings.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Accept", "text/event-stream, application/json");
    if (!m_settings.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_settings.apiKey.toUtf8());
    // The key must never follow a redirect to another origin.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    // Qt opens at most 6 HTTP/1.1 connections per host by default; more parallel chats than
    // that would queue inside Qt and inflate time-to-first-token for everyone.
    QHttp1Configuration http1;
    http1.setNumberOfConnectionsPerHost(qMax(1, m_settings.maxConnections));
    request.setHttp1Configuration(http1);
    // Our own first-byte and idle timeouts govern the stream; Qt's transfer timeout would
    // cut off slow reasoning models.
    request.setTransferTimeout(0);
    return request;
}

QCoro::AsyncGenerator<StreamChunk> OpenAiChatProvider::stream(ChatRequest request, CancelToken cancel)
{
    if (!m_network) {
        co_yield errorChunk({Error::Kind::Configuration, u"The network is not available."_s, {}, 0});
        co_return;
    }
    if (!m_settings.baseUrl.isValid() || m_settings.baseUrl.scheme().isEmpty()) {
        co_yield errorChunk({Error::Kind::Configuration,
                             u"No server is configured. Open Settings and enter the base URL of an OpenAI-compatible server."_s,
                             {}, 0});
        co_return;
    }
    if (request.model.isEmpty())
        request.model = m_settings.model;

    ReplyPtr reply(m_network->post(makeRequest(u"/chat/completions"_s), requestBody(request)));
    const int subscription = abortOnCancel(cancel, reply.get());

    SseParser parser;
    OpenAiStreamDecoder decoder;
    bool anyByte = false;
    bool sawDone = false;
    bool sawFinish = false;
    bool timedOut = false;
    QByteArray errorBody;

    while (!sawDone) {
        if (reply->bytesAvailable() == 0 && !reply->isFinished()) {
            const auto timeout = anyByte ? m_settings.idleTimeout : m_settings.firstByteTimeout;
            co_await qCoro(reply.get()).waitForReadyRead(timeout);
            if (reply->bytesAvailable() == 0 && !reply->isFinished()) {
                if (reply->error() == QNetworkReply::NoError) {
                    timedOut = true;
                    break;
                }
                // errorOccurred woke us just before finished; the outcome is read after the loop.
                co_await qCoro(reply.get()).waitForFinished(std::chrono::seconds(5));
                break;
            }
        }
        // An aborted reply is closed; reading it would only print a Qt warning.
        const QByteArray bytes = reply->isOpen() ? reply->readAll() : QByteArray();
        anyByte = anyByte || !bytes.isEmpty();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 400) {
            // Error bodies are small JSON documents, not event streams; collect them whole.
            errorBody += bytes;
        } else {
            QList<SseEvent> events = parser.feed(bytes);
            if (reply->isFinished())
                events += parser.finish();
            for (const SseEvent &event : std::as_const(events)) {
                OpenAiStreamDecoder::Step step = decoder.decode(event);
                for (StreamChunk &chunk : step.chunks) {
                    sawFinish = sawFinish || !chunk.finishReason.isEmpty();
                    co_yield std::move(chunk);
                }
                if (step.error) {
                    cancel.unsubscribe(subscription);
                    co_yield errorChunk(std::move(*step.error));
                    co_return;
                }
                if (step.done) {
                    sawDone = true;
                    break;
                }
            }
        }
        if (reply->isFinished())
            break;
    }
    cancel.unsubscribe(subscription);

    if (cancel.isCancelled()) {
        co_yield errorChunk({Error::Kind::Cancelled, u"Stopped."_s, {}, 0});
        co_return;
    }
    if (timedOut) {
        const auto waited = std::chrono::duration_cast<std::chrono::seconds>(
            anyByte ? m_settings.idleTimeout : m_settings.firstByteTimeout);
        reply->abort();
        co_yield errorChunk({Error::Kind::Timeout,
                             anyByte ? u"The server stopped sending for %1 s in the middle of the answer. The partial answer is kept; press Retry to ask again."_s.arg(waited.count())
                                     : u"The server sent nothing for %1 s. It may be overloaded or still loading the model; press Retry, or check the server."_s.arg(waited.count()),
                             reply->url().toDisplayString(), 0});
        co_return;
    }
    if (sawDone)
        co_return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || status >= 400) {
        co_yield errorChunk(describeReplyFailure(*reply, errorBody, anyByte));
        co_return;
    }
    // A clean end without [DONE] is fine if the model said it finished; otherwise the stream was cut.
    if (!sawFinish) {
        co_yield errorChunk({Error::Kind::Protocol,
                             u"The server closed the stream before the answer was complete. The partial answer is kept; press Retry to ask again."_s,
                             reply->url().toDisplayString(), 0});
    }
}

QCoro::Task<Result<QStringList>> OpenAiChatProvider::listModels(CancelToken cancel)
{
    if (!m_network)
        co_return fail(Error::Kind::Configuration, u"The network is not available."_s);
    if (!m_settings.baseUrl.isValid() || m_settings.baseUrl.scheme().isEmpty())
        co_return fail(Error::Kind::Configuration, u"Enter the base URL of an OpenAI-compatible server, e.g. http://localhost:11434/v1."_s);

    ReplyPtr reply(m_network->get(makeRequest(u"/models"_s)));
    const int subscription = abortOnCancel(cancel, reply.get());
    const auto timeout = std::min<std::chrono::milliseconds>(m_settings.firstByteTimeout, 15s);
    const bool finished = co_await qCoro(reply.get()).waitForFinished(timeout);
    cancel.unsubscribe(subscription);
    if (cancel.isCancelled())
        co_return fail(Error::Kind::Cancelled, u"Cancelled."_s);
    if (!finished) {
        co_return fail(Error::Kind::Timeout,
                       u"The server at %1 did not answer within %2 s."_s.arg(m_settings.baseUrl.toDisplayString())
                           .arg(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
    }
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    if (reply->error() != QNetworkReply::NoError)
        co_return std::unexpected(describeReplyFailure(*reply, body, !body.isEmpty()));

    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        co_return fail(Error::Kind::Protocol,
                       u"The server at %1 answered, but not with an OpenAI-style model list. Is this the right base URL?"_s
                           .arg(m_settings.baseUrl.toDisplayString()),
                       QString::fromUtf8(body.left(500)));
    }
    QStringList models;
    const QJsonArray data = document.object().value(u"data"_s).toArray();
    for (const QJsonValue &entry : data) {
        const QString id = entry.toObject().value(u"id"_s).toString();
        if (!id.isEmpty())
            models.append(id);
    }
    models.sort(Qt::CaseInsensitive);
    co_return models;
}

} // namespace ragdesk
