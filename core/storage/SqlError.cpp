#include "core/storage/SqlError.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace ragdesk {

Error sqlError(const QString &what, const QSqlQuery &query)
{
    return sqlError(what, query.lastError(), query.lastQuery());
}

Error sqlError(const QString &what, const QSqlError &error, const QString &sql)
{
    // databaseText() is SQLite's own sentence ("database or disk is full"); text() adds Qt's
    // prefix, which only belongs in the log detail.
    const QString reason = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return Error{Error::Kind::Database, what + u": "_s + reason,
                 sql + u" -> "_s + error.text() + u" (code "_s + error.nativeErrorCode() + u')', 0};
}

} // namespace ragdesk
