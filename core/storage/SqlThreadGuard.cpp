#include "core/storage/SqlThreadGuard.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QThread>
#include <QVariant>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QMutex handlerMutex;
SqlThreadGuard::ViolationHandler customHandler;

[[maybe_unused]] void reportViolation(const QString &sql)
{
    SqlThreadGuard::ViolationHandler handler;
    {
        QMutexLocker lock(&handlerMutex);
        handler = customHandler;
    }
    if (handler) {
        handler(sql);
        return;
    }
    qFatal("SQL ran on the UI thread: %s", qUtf8Printable(sql));
}

[[maybe_unused]] int traceStatement(unsigned type, void *, void *, void *unexpandedSql)
{
    if (type == SQLITE_TRACE_STMT && QThread::isMainThread()) {
        // For SQLITE_TRACE_STMT the last argument is the statement's text as prepared.
        reportViolation(QString::fromUtf8(static_cast<const char *>(unexpandedSql)));
    }
    return 0;
}
} // namespace

bool SqlThreadGuard::install(QSqlDatabase &db)
{
#ifdef RAGDESK_SQL_THREAD_CHECKS
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Only the QSQLITE driver hands out a sqlite3*; anything else cannot be hooked.
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    auto *connection = *static_cast<sqlite3 *const *>(handle.data());
    if (!connection)
        return false;
    return sqlite3_trace_v2(connection, SQLITE_TRACE_STMT, &traceStatement, nullptr) == SQLITE_OK;
#else
    Q_UNUSED(db);
    return false;
#endif
}

SqlThreadGuard::ViolationHandler SqlThreadGuard::setViolationHandler(ViolationHandler handler)
{
    QMutexLocker lock(&handlerMutex);
    std::swap(customHandler, handler);
    return handler;
}

} // namespace ragdesk
