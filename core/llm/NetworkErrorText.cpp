#include "core/llm/NetworkErrorText.h"

#include "core/llm/OpenAiStreamDecoder.h"

#include <QNetworkReply>

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

Error describeReplyFailure(const QNetworkReply &reply, const QByteArray &body, bool anyByteReceived)
{
    const QUrl url = reply.url();
    const QString where = url.host() + (url.port() > 0 ? u":"_s + QString::number(url.port()) : QString());
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
        error.message = u"The server at %1 answered HTTP %2: %3. %4"_s.arg(where)
                            .arg(status)
                            .arg(serverText, hintForHttpStatus(status))
                            .trimmed();
        error.detail += u"\n"_s + QString::fromUtf8(body.left(2000));
        return error;
    }

    switch (reply.error()) {
    case QNetworkReply::ConnectionRefusedError:
        error.kind = Error::Kind::Network;
        error.message = u"Could not connect to %1: connection refused. Is the server running, and is the base URL right?"_s.arg(where);
        break;
    case QNetworkReply::HostNotFoundError:
        error.kind = Error::Kind::Network;
        error.message = u"Could not find the host %1. Check the base URL in Settings."_s.arg(url.host());
        break;
    case QNetworkReply::SslHandshakeFailedError:
        error.kind = Error::Kind::Network;
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
