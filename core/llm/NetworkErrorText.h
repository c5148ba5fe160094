#pragma once

#include "core/foundation/Error.h"

#include <QByteArray>
#include <QList>
#include <QSslError>
#include <QUrl>

class QNetworkReply;

namespace ragdesk {

/// Turns a failed reply into an Error a person can act on: what failed, the server's own
/// message, and what to try next. Shared by every provider and by model listing.
Error describeReplyFailure(const QNetworkReply &reply, const QByteArray &body, bool anyByteReceived);

/// "host:port" (or just the host on the default port), how errors name a server.
QString hostAndPort(const QUrl &url);

/// The hint appended to an HTTP error, by status (401: check the key, 404: check URL/model...).
QString hintForHttpStatus(int status);

/// True when the server's error text says the request exceeded the model's context window.
/// Servers answer 400 or 413 with their own wording, so the text decides, not the status.
bool isContextLengthError(int status, const QString &serverText);

/// Certificate errors, with the certificate's subject, issuer, validity and fingerprint, so a
/// user can judge whether to trust it; verification is never turned off.
Error describeTlsFailure(const QUrl &url, const QList<QSslError> &errors);

/// A redirect to another origin was refused so the key stays with the configured server.
Error describeRefusedRedirect(const QUrl &from, const QUrl &to);

} // namespace ragdesk
