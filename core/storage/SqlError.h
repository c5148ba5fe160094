#pragma once

#include "core/foundation/Error.h"

class QSqlError;
class QSqlQuery;

namespace ragdesk {

/// The Error a failed statement becomes: "<what>: <driver text>" for people, the SQL and the
/// full driver error for logs.
Error sqlError(const QString &what, const QSqlQuery &query);
Error sqlError(const QString &what, const QSqlError &error, const QString &sql);

} // namespace ragdesk
