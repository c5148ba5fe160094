#include "core/llm/NetworkErrorText.h"

#include "core/llm/OpenAiStreamDecoder.h"
#include "core/llm/RetryPolicy.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QSslCertificate>

#include <QNetworkReply>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

QString hintForHttpStatus(int status)
{
    switch (status) {
    case 400:
        return u"Check the model name and the request settings."_s;
    case 401:
    case 403:
        return u"Check the API key in Settings."_s;
    case 404:
        return u"Check the base URL (it usually ends in /v1) and the model name."_s;
    case 408:
    case 504:
        return u"The server took too long; try again."_s;
    case 413:
        return u"The conversation is too long for this model; start a new chat."_s;
    case 429:
        return u"The server is rate limiting requests; wait a moment and retry."_s;
    default:
        break;
    }
    if (status >= 500)
        return u"The server failed; retry, or check its logs."_s;
    return {};
}

QString hostAndPort(const QUrl &url)
{
    return url.host() + (url.port() > 0 ? u":"_s + QString::number(url.port()) : QString());
}

bool isContextLengthError(int status, const QString &serverText)
{
    if (status != 400 && status != 413 && status != 422)
        return false;
    static const QStringList kMarkers{u"context length"_s, u"context_length"_s, u"context window"_s,
                                      u"maximum context"_s, u"prompt is too long"_s, u"too many tokens"_s,
                                      u"exceeds the context"_s, u"input length"_s};
    return std::any_of(kMarkers.cbegin(), kMarkers.cend(),
                       [&](const QString &marker) { return serverText.contains(marker, Qt::CaseInsensitive); });
}

Error describeTlsFailure(const QUrl &url, const QList<QSslError> &errors)
{
    QStringList problems;
    QSslCertificate certificate;
    for (const QSslError &error : errors) {
        problems.append(error.errorString());
        if (certificate.isNull() && !error.certificate().isNull())
            certificate = error.certificate();
    }
    problems.removeDuplicates();
    QString details;
    if (!certificate.isNull()) {
        const QByteArray fingerprint = certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
        details = u" Certificate: subject “%1”, issued by “%2”, valid %3 to %4, SHA-256 %5."_s
                      .arg(certificate.subjectDisplayName(), certificate.issuerDisplayName(),
                           certificate.effectiveDate().toString(Qt::ISODate), certificate.expiryDate().toString(Qt::ISODate),
                           QString::fromLatin1(fingerprint));
    }
    Error error;
    error.kind = Error::Kind::Tls;
    error.message = u"The certificate of %1 is not trusted: %2.%3 ragdesk never ignores certificate errors; if this is your own server, trust its certificate in Settings → Providers."_s
                        .arg(url.host(), problems.join(u"; "_s), details);
    error.detail = certificate.isNull() ? QString() : QString::fromLatin1(certificate.toPem());
    return error;
}

Error describeRefusedRedirect(const QUrl &from, const QUrl &to)
{
    Error error;
    // Not Network: a retry would be redirected the same way.
    error.kind = Error::Kind::Configuration;
    error.message = u"The server at %1 redirected to another server, %2. ragdesk does not send your key to another origin; if that server is the right one, enter it as the base URL in Settings."_s
                        .arg(from.host(), to.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    return error;
}

Error describeReplyFailure(const QNetworkReply &reply, const QByteArray &body, bool anyByteReceived)
{
    const QUrl url = reply.url();
    const QString where = hostAndPort(url);
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    Error error;
    error.detail = u"%1 %2: %3"_s.arg(reply.url().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))
                       .arg(status)
                       .arg(reply.errorString());

    if (status >= 400) {
        error.kind = Error::Kind::Http;
        error.httpStatus = status;
        const QString reason = reply.attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        QString serverText = OpenAiStreamDecoder::errorMessageFromBody(body);
        if (serverText.isEmpty())
            serverText = reason;
        QString hint = hintForHttpStatus(status);
        if (isContextLengthError(status, serverText))
            hint = u"The question, its sources and the history do not fit the model's context window: use fewer sources (a lower top-n) or start a new chat for a shorter history."_s;
        error.retryAfter = reply.rawHeader("Retry-After");
        if (const auto wait = RetryPolicy::parseRetryAfter(error.retryAfter, QDateTime::currentDateTimeUtc()))
            hint += u" The server asks to wait %1 s."_s.arg((wait->count() + 999) / 1000);
        if (serverText.endsWith(u'.'))
            serverText.chop(1);
        error.message = u"The server at %1 answered HTTP %2: %3. %4"_s.arg(where)
                            .arg(status)
                            .arg(serverText, hint)
                            .trimmed();
        error.detail += u"\n"_s + QString::fromUtf8(body.left(2000));
        return error;
    }

    switch (reply.error()) {
    case QNetworkReply::ConnectionRefusedError:
        error.kind = Error::Kind::Network;
        error.message = u"Could not connect to %1: connection refused. Is the server running, and is the base URL right?"_s.arg(where);
        break;
    case QNetworkReply::RemoteHostClosedError:
        if (!anyByteReceived) {
            error.kind = Error::Kind::Network;
            error.message = u"%1 closed the connection before answering (connection reset). The server may have crashed or be restarting; press Retry."_s.arg(where);
            break;
        }
        error.kind = Error::Kind::Protocol;
        error.message = u"%1 closed the connection before the answer was complete. The partial answer is kept; press Retry to ask again."_s.arg(where);
        break;
    case QNetworkReply::HostNotFoundError:
        error.kind = Error::Kind::Network;
        error.message = u"Could not find the host %1 (DNS lookup failed). Check the base URL in Settings and your network connection."_s.arg(url.host());
        break;
    case QNetworkReply::SslHandshakeFailedError:
        error.kind = Error::Kind::Tls;
        error.message = u"The secure connection to %1 failed (TLS). Check the URL and the server's certificate."_s.arg(where);
        break;
    case QNetworkReply::OperationCanceledError:
        error.kind = Error::Kind::Cancelled;
        error.message = u"Stopped."_s;
        break;
    case QNetworkReply::TimeoutError:
        error.kind = Error::Kind::Timeout;
        error.message = u"The connection to %1 timed out."_s.arg(where);
        break;
    default:
        if (anyByteReceived) {
            error.kind = Error::Kind::Protocol;
            error.message = u"The connection to %1 broke before the answer was complete (%2). The partial answer is kept; press Retry to ask again."_s
                                .arg(where, reply.errorString());
        } else {
            error.kind = Error::Kind::Network;
            error.message = u"The request to %1 failed: %2."_s.arg(where, reply.errorString());
        }
        break;
    }
    return error;
}

} // namespace ragdesk
