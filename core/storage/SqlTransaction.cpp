#include "core/storage/SqlTransaction.h"

#include "core/storage/SqlError.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
Q_LOGGING_CATEGORY(lcTransaction, "ragdesk.storage.transaction")
}

SqlTransaction::SqlTransaction(QSqlDatabase &db, QString what)
    : m_db(db)
    , m_what(std::move(what))
{
}

SqlTransaction::~SqlTransaction()
{
    if (!m_active)
        return;
    QSqlQuery query(m_db);
    if (!query.exec(u"ROLLBACK"_s))
        qCWarning(lcTransaction) << "rollback failed:" << query.lastError().text();
}

Result<void> SqlTransaction::begin()
{
    // IMMEDIATE takes the write lock up front, so a busy database fails here (after
    // busy_timeout) instead of half-way through the statements.
    auto begun = exec(u"BEGIN IMMEDIATE"_s);
    m_active = begun.has_value();
    return begun;
}

Result<void> SqlTransaction::commit()
{
    auto committed = exec(u"COMMIT"_s);
    if (committed)
        m_active = false;
    return committed;
}

Result<void> SqlTransaction::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return std::unexpected(sqlError(m_what, query));
    return {};
}

} // namespace ragdesk
