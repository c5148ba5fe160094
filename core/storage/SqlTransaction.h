#pragma once

#include "core/foundation/Error.h"

#include <QSqlDatabase>

namespace ragdesk {

/// BEGIN IMMEDIATE ... COMMIT on the writer connection, rolled back on scope exit unless
/// committed, so an early `return fail(...)` never leaves a transaction open.
class SqlTransaction
{
public:
    /// @p what prefixes error messages ("Could not save the conversation").
    SqlTransaction(QSqlDatabase &db, QString what);
    ~SqlTransaction();

    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;

    Result<void> begin();
    Result<void> commit();

private:
    Result<void> exec(const QString &sql);

    QSqlDatabase &m_db;
    QString m_what;
    bool m_active = false;
};

} // namespace ragdesk
