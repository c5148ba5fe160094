#pragma once

#include "core/foundation/Error.h"

#include <QByteArray>

class QNetworkReply;

namespace ragdesk {

/// Turns a failed reply into an Error a person can act on: what failed, the server's own
/// message, and what to try next. Shared by every provider and by model listing.
Error describeReplyFailure(const QNetworkReply &reply, const QByteArray &body, bool anyByteReceived);

/// The hint appended to an HTTP error, by status (401: check the key, 404: check URL/model...).
QString hintForHttpStatus(int status);

} // namespace ragdesk
