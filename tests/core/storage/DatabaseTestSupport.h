#pragma once

// Shared by the tests of the two databases (profile.db, index.db), which check the same
// connection settings on the writer and on the readers.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

namespace ragdesk::testing {

/// One PRAGMA's value on the connection it is given, "<failed>" if it could not be read.
inline QString pragma(QSqlDatabase &db, const QString &name)
{
    QSqlQuery query(db);
    return query.exec(QStringLiteral("PRAGMA ") + name) && query.next() ? query.value(0).toString()
                                                                        : QStringLiteral("<failed>");
}

/// The values of the PRAGMAs @p names, in the same order.
inline QStringList pragmas(QSqlDatabase &db, const QStringList &names)
{
    QStringList values;
    for (const QString &name : names)
        values.append(pragma(db, name));
    return values;
}

} // namespace ragdesk::testing
