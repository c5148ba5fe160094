#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/llm/RetryPolicy.h"

#include <QByteArray>
#include <QCoroTask>
#include <QJsonDocument>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;

namespace ragdesk {

class RequestLimiter;

/// One JSON POST to a model server whose answer is a single JSON document (embeddings, rerank).
/// Such requests are idempotent, so unlike a chat stream they may be resent after a timeout or
/// a connection cut, not only after a refused connection or HTTP 429/502/503/504.
struct JsonPostRequest {
    QUrl url;
    QString apiKey;          ///< sent as "Authorization: Bearer"; empty sends none
    QByteArray body;         ///< compact JSON
    QString purpose;         ///< "Computing embeddings", starts every error message
    std::chrono::milliseconds timeout{std::chrono::seconds(120)}; ///< per attempt, until the whole answer is in
    int maxConnections = 2;  ///< parallel HTTP/1.1 connections Qt may open to the server
};

/// Joins @p path ("/embeddings") to @p base, whose path may or may not end in '/'.
QUrl joinUrl(const QUrl &base, QStringView path);

/// Sends @p request, waiting for a slot of @p limiter (if any) before each attempt and retrying
/// as @p retry allows; a Retry-After header is honoured. Returns the parsed document, or an
/// Error whose message says what failed and what to do. Cancelling aborts the reply or the wait.
QCoro::Task<Result<QJsonDocument>> postJson(QPointer<QNetworkAccessManager> network, JsonPostRequest request,
                                            RetryPolicy retry, QPointer<RequestLimiter> limiter,
                                            CancelToken cancel);

} // namespace ragdesk
