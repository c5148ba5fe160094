#include "core/llm/HttpChatProvider.h"

#include "core/llm/DeadlineWatchdog.h"
#include "core/llm/NetworkErrorText.h"
#include "core/llm/ReplyPtr.h"
#include "core/llm/ReplyWatch.h"
#include "core/llm/WireDecoder.h"

#include <QCoroNetworkReply>
#include <QHttp1Configuration>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>

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

int httpStatus(const QNetworkReply &reply)
{
    return reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

/// The outcome of a reply that ended without the API's end marker, in the order that explains
/// it best: cancel, a refused redirect, TLS, then whatever the reply itself says.
std::optional<Error> endingFailure(const QNetworkReply &reply, const ReplyWatch &watch, const QByteArray &errorBody,
                                   bool anyByte, const CancelToken &cancel)
{
    if (cancel.isCancelled())
        return Error{Error::Kind::Cancelled, u"Stopped."_s, {}, 0};
    if (watch.refusedRedirect)
        return describeRefusedRedirect(reply.request().url(), *watch.refusedRedirect);
    if (!watch.sslErrors.isEmpty())
        return describeTlsFailure(reply.url(), watch.sslErrors);
    if (reply.error() != QNetworkReply::NoError || httpStatus(reply) >= 400)
        return describeReplyFailure(reply, errorBody, anyByte);
    return std::nullopt;
}

} // namespace

HttpChatProvider::HttpChatProvider(QNetworkAccessManager *network, ProviderSettings settings)
    : m_network(network)
    , m_settings(std::move(settings))
{
}

QString HttpChatProvider::withoutSuffix(QString path, QStringView suffix)
{
    while (path.endsWith(u'/'))
        path.chop(1);
    if (path.endsWith(suffix, Qt::CaseInsensitive))
        path.chop(suffix.size());
    return path;
}

QJsonArray HttpChatProvider::messagesJson(const QList<ChatMessage> &messages)
{
    QJsonArray list;
    for (const ChatMessage &message : messages)
        list.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    return list;
}

QStringList HttpChatProvider::namesIn(const QJsonObject &answer, QStringView listKey, QStringView key)
{
    QStringList names;
    const QJsonArray list = answer.value(listKey).toArray();
    for (const QJsonValue &entry : list) {
        const QString name = entry.toObject().value(key).toString();
        if (!name.isEmpty())
            names.append(name);
    }
    return names;
}

QString HttpChatProvider::where() const
{
    return hostAndPort(m_settings.baseUrl);
}

QNetworkRequest HttpChatProvider::makeRequest(const QString &path) const
{
    QUrl url = m_settings.baseUrl;
    QString base = basePath(url.path());
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Accept", "text/event-stream, application/x-ndjson, application/json");
    for (const auto &[name, value] : m_settings.extraHeaders)
        request.setRawHeader(name, value);
    authorize(request);
    // ReplyWatch follows same-origin redirects and refuses the rest, so the key never leaves
    // the configured origin.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    // Qt opens at most 6 HTTP/1.1 connections per host by default; more parallel chats than
    // that would queue inside Qt and inflate time-to-first-token for everyone.
    QHttp1Configuration http1;
    http1.setNumberOfConnectionsPerHost(qMax(1, m_settings.maxConnections));
    request.setHttp1Configuration(http1);
    // StreamDeadlines govern the stream; Qt's transfer timeout would cut off slow reasoning models.
    request.setTransferTimeout(0);
    if (!m_settings.trustedCertificatesPem.isEmpty()) {
        // Added to the system CAs, never replacing them, and verification stays on.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(QSslCertificate::fromData(m_settings.trustedCertificatesPem, QSsl::Pem));
        request.setSslConfiguration(tls);
    }
    return request;
}

std::optional<Error> HttpChatProvider::configurationProblem() const
{
    if (!m_network)
        return Error{Error::Kind::Configuration, u"The network is not available."_s, {}, 0};
    if (!m_settings.baseUrl.isValid() || m_settings.baseUrl.scheme().isEmpty()) {
        return Error{Error::Kind::Configuration,
                     u"No server is configured. Open Settings and enter the base URL of %1."_s.arg(apiName()), {}, 0};
    }
    return std::nullopt;
}

QCoro::AsyncGenerator<StreamChunk> HttpChatProvider::stream(ChatRequest request, CancelToken cancel)
{
    if (auto problem = configurationProblem()) {
        co_yield StreamChunk::failure(std::move(*problem));
        co_return;
    }
    if (request.model.isEmpty())
        request.model = m_settings.model;

    ReplyPtr reply(m_network->post(makeRequest(chatPath()), chatBody(request)));
    const std::shared_ptr<ReplyWatch> watch = watchReply(reply.get());
    DeadlineWatchdog deadlines(reply.get(), m_settings);
    const int subscription = abortOnCancel(cancel, reply.get());

    std::unique_ptr<WireDecoder> decoder = makeDecoder();
    bool sawDone = false;
    bool sawFinish = false;
    QByteArray errorBody;

    while (!sawDone) {
        if (reply->bytesAvailable() == 0 && !reply->isFinished()) {
            // No timeout here: the watchdog aborts the reply when a clock runs out, and so does
            // cancel, and either wakes this wait.
            co_await qCoro(reply.get()).waitForReadyRead(-1ms);
            // The wake-up is queued: by now the reply may have died with its network manager.
            if (!reply)
                break;
            if (reply->bytesAvailable() == 0 && !reply->isFinished()) {
                if (reply->error() == QNetworkReply::NoError)
                    continue;
                // errorOccurred woke us just before finished; the outcome is read after the loop.
                co_await qCoro(reply.get()).waitForFinished(std::chrono::seconds(5));
                break;
            }
        }
        // An aborted reply is closed; reading it would only print a Qt warning.
        const QByteArray bytes = reply->isOpen() ? reply->readAll() : QByteArray();
        if (!bytes.isEmpty())
            deadlines.noteBytes();
        if (httpStatus(*reply) >= 400) {
            // Error bodies are small JSON documents, not streams; collect them whole.
            errorBody += bytes;
        } else {
            WireStep step = decoder->feed(bytes);
            if (reply->isFinished() && !step.done && !step.error) {
                WireStep last = decoder->finish();
                step.chunks += std::move(last.chunks);
                step.done = last.done;
                step.error = std::move(last.error);
            }
            for (StreamChunk &chunk : step.chunks) {
                sawFinish = sawFinish || !chunk.finishReason.isEmpty();
                co_yield std::move(chunk);
            }
            if (step.error) {
                cancel.unsubscribe(subscription);
                co_yield StreamChunk::failure(std::move(*step.error));
                co_return;
            }
            sawDone = step.done;
        }
        // The consumer ran while this frame was suspended in co_yield; it may have torn down
        // the network manager, and the reply with it.
        if (!reply || reply->isFinished())
            break;
    }
    cancel.unsubscribe(subscription);
    if (!reply) {
        if (!sawDone)
            co_yield StreamChunk::failure(replyGoneError(cancel.isCancelled()));
        co_return;
    }

    if (const auto expired = deadlines.expired(); expired && !cancel.isCancelled()) {
        co_yield StreamChunk::failure({*expired == StreamDeadlines::Limit::Connect ? Error::Kind::Network : Error::Kind::Timeout,
                             deadlines.explain(*expired, where()), reply->url().toDisplayString(), 0});
        co_return;
    }
    if (sawDone)
        co_return;
    if (auto failure = endingFailure(*reply, *watch, errorBody, deadlines.anyByte(), cancel)) {
        if (failure->httpStatus == 404 && QString::fromUtf8(errorBody).contains(u"model"_s, Qt::CaseInsensitive))
            failure->message += co_await availableModelsHint(cancel);
        co_yield StreamChunk::failure(std::move(*failure));
        co_return;
    }
    // A clean end without the end marker is fine if the model said it finished; otherwise the stream was cut.
    if (!sawFinish) {
        co_yield StreamChunk::failure({Error::Kind::Protocol,
                             u"The server closed the stream before the answer was complete. The partial answer is kept; press Retry to ask again."_s,
                             reply->url().toDisplayString(), 0});
    }
}

QCoro::Task<QString> HttpChatProvider::availableModelsHint(CancelToken cancel)
{
    const auto models = co_await listModels(std::move(cancel));
    if (!models || models->isEmpty())
        co_return QString();
    constexpr qsizetype kShown = 12;
    QString list = models->mid(0, kShown).join(u", "_s);
    if (models->size() > kShown)
        list += u", … (%1 in all)"_s.arg(models->size());
    co_return u" Models this server offers: %1."_s.arg(list);
}

QCoro::Task<Result<QStringList>> HttpChatProvider::listModels(CancelToken cancel)
{
    if (auto problem = configurationProblem())
        co_return std::unexpected(std::move(*problem));

    ReplyPtr reply(m_network->get(makeRequest(modelsPath())));
    const std::shared_ptr<ReplyWatch> watch = watchReply(reply.get());
    const int subscription = abortOnCancel(cancel, reply.get());
    const auto timeout = std::min<std::chrono::milliseconds>(m_settings.firstByteTimeout, 15s);
    const bool finished = co_await qCoro(reply.get()).waitForFinished(timeout);
    cancel.unsubscribe(subscription);
    // The wake-up is queued: by now the reply may have died with its network manager.
    if (!reply)
        co_return std::unexpected(replyGoneError(cancel.isCancelled()));
    if (!finished && !cancel.isCancelled()) {
        co_return fail(Error::Kind::Timeout,
                       u"The server at %1 did not answer within %2 s."_s.arg(m_settings.baseUrl.toDisplayString())
                           .arg(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
    }
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    if (auto failure = endingFailure(*reply, *watch, body, !body.isEmpty(), cancel))
        co_return std::unexpected(std::move(*failure));

    const QJsonDocument document = QJsonDocument::fromJson(body);
    QStringList models = document.isObject() ? modelsFrom(document.object()) : QStringList();
    if (models.isEmpty() && !document.isObject()) {
        co_return fail(Error::Kind::Protocol,
                       u"The server at %1 answered, but not like %2. Is this the right base URL and API type?"_s
                           .arg(m_settings.baseUrl.toDisplayString(), apiName()),
                       QString::fromUtf8(body.left(500)));
    }
    models.removeDuplicates();
    models.sort(Qt::CaseInsensitive);
    co_return models;
}

} // namespace ragdesk
