#include "core/retrieval/JsonPostRequest.h"

#include "core/llm/NetworkErrorText.h"
#include "core/llm/ReplyPtr.h"
#include "core/llm/RequestLimiter.h"
#include "core/llm/ServerText.h"

#include <QCoroNetworkReply>
#include <QCoroTimer>
#include <QHttp1Configuration>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Error cancelled()
{
    return {Error::Kind::Cancelled, u"Stopped."_s, {}, 0};
}

QNetworkRequest makeNetworkRequest(const JsonPostRequest &request)
{
    QNetworkRequest networkRequest(request.url);
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    networkRequest.setRawHeader("Accept", "application/json");
    if (!request.apiKey.isEmpty())
        networkRequest.setRawHeader("Authorization", "Bearer " + request.apiKey.toUtf8());
    // The key must never follow a redirect to another origin.
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    QHttp1Configuration http1;
    http1.setNumberOfConnectionsPerHost(qMax(1, request.maxConnections));
    networkRequest.setHttp1Configuration(http1);
    // Our own per-attempt timeout below decides; Qt's would report a plain cancel.
    networkRequest.setTransferTimeout(0);
    return networkRequest;
}

/// Waits @p delay, or less if @p cancel fires meanwhile.
QCoro::Task<> cancellableSleep(std::chrono::milliseconds delay, CancelToken cancel)
{
    QTimer timer;
    timer.setSingleShot(true);
    timer.start(delay);
    // The callback may run on another thread; a queued hop restarts the timer on ours.
    const int subscription = cancel.onCancel([guard = QPointer<QTimer>(&timer)] {
        if (guard)
            QMetaObject::invokeMethod(guard, [guard] { if (guard) guard->start(0); }, Qt::QueuedConnection);
    });
    if (timer.isActive())
        co_await timer;
    cancel.unsubscribe(subscription);
}

struct Attempt {
    Result<QJsonDocument> result;
    QByteArray retryAfter;
};

QCoro::Task<Attempt> sendOnce(QNetworkAccessManager *network, JsonPostRequest request, CancelToken cancel)
{
    ReplyPtr reply(network->post(makeNetworkRequest(request), request.body));
    const int subscription = cancel.onCancel([guard = QPointer<QNetworkReply>(reply.get())] {
        if (guard)
            QMetaObject::invokeMethod(guard, [guard] { if (guard) guard->abort(); });
    });
    const bool finished = co_await qCoro(reply.get()).waitForFinished(request.timeout);
    cancel.unsubscribe(subscription);
    if (cancel.isCancelled())
        co_return Attempt{std::unexpected(cancelled()), {}};
    // The wake-up is queued: by now the reply may have died with its network manager.
    if (!reply)
        co_return Attempt{std::unexpected(replyGoneError(false)), {}};

    const QString where = request.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    if (!finished) {
        co_return Attempt{fail(Error::Kind::Timeout,
                               u"The server at %1 did not answer within %2 s. It may be overloaded or still loading the model."_s
                                   .arg(where)
                                   .arg(std::chrono::duration_cast<std::chrono::seconds>(request.timeout).count()),
                               where),
                          {}};
    }
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError || status >= 400) {
        // A cut body is safe to ask for again: nothing of it reached the user.
        co_return Attempt{std::unexpected(describeReplyFailure(*reply, body, false)), reply->rawHeader("Retry-After")};
    }

    // Qt may report a connection closed in the middle of a Content-Length body as a clean end.
    const qint64 announced = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    if (announced > body.size()) {
        co_return Attempt{fail(Error::Kind::Network,
                               u"The connection to %1 broke before the answer was complete (%2 of %3 bytes)."_s
                                   .arg(where)
                                   .arg(body.size())
                                   .arg(announced),
                               where),
                          {}};
    }

    QJsonParseError parseError{};
    QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        co_return Attempt{fail(Error::Kind::Protocol,
                               u"The server at %1 answered with something that is not JSON (%2). Is the base URL right, and does the server support this API?"_s
                                   .arg(where, parseError.errorString()),
                               ServerText::forDetail(body)),
                          {}};
    }
    co_return Attempt{std::move(document), {}};
}

} // namespace

QUrl joinUrl(const QUrl &base, QStringView path)
{
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    return url;
}

QCoro::Task<Result<QJsonDocument>> postJson(QPointer<QNetworkAccessManager> network, JsonPostRequest request,
                                            RetryPolicy retry, QPointer<RequestLimiter> limiter,
                                            CancelToken cancel)
{
    auto withPurpose = [&request](Error error) {
        if (!error.isCancelled() && !request.purpose.isEmpty())
            error.message = request.purpose + u" failed. "_s + error.message;
        return std::unexpected(std::move(error));
    };

    for (int attempt = 1;; ++attempt) {
        if (cancel.isCancelled())
            co_return std::unexpected(cancelled());
        // The slot is held for one attempt only, so a request waiting out a Retry-After does not
        // keep others of the same provider from running.
        RequestLimiter::Slot slot;
        if (limiter) {
            Result<RequestLimiter::Slot> granted = co_await limiter->acquire(cancel);
            if (!granted)
                co_return std::unexpected(granted.error());
            slot = std::move(*granted);
        }
        if (!network)
            co_return withPurpose({Error::Kind::Configuration, u"The network is not available."_s, {}, 0});

        Attempt outcome = co_await sendOnce(network, request, cancel);
        slot.release();
        if (outcome.result)
            co_return std::move(outcome.result);

        Error error = std::move(outcome.result.error());
        // Embedding and rerank requests are idempotent, so a timeout is as safe to resend as
        // a refused connection.
        Error asSeenByPolicy = error;
        if (asSeenByPolicy.kind == Error::Kind::Timeout)
            asSeenByPolicy.kind = Error::Kind::Network;
        const RetryPolicy::RetryDecision decision = retry.decide(asSeenByPolicy, attempt, false, outcome.retryAfter);
        if (!decision.retry) {
            if (!error.isCancelled() && attempt > 1)
                error.detail += u"\n(after %1 attempts: %2)"_s.arg(attempt).arg(decision.reason);
            co_return withPurpose(std::move(error));
        }
        co_await cancellableSleep(decision.delay, cancel);
    }
}

} // namespace ragdesk
