#pragma once

#include "core/foundation/Error.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace ragdesk {

/// One prepared statement on a thread's connection, with the store's error wording. Prepare it
/// once and run() it for many rows: SQLite then parses the SQL once per batch, not once per row.
class SqlStatement
{
public:
    /// @p what prefixes error messages ("Could not save the documents").
    SqlStatement(QSqlDatabase &db, QString what);

    Result<void> prepare(const QString &sql);
    /// Binds @p values in order (positional '?') and executes.
    Result<void> run(const QVariantList &values = {});
    /// prepare() then run(), for one-off statements.
    Result<void> exec(const QString &sql, const QVariantList &values = {});

    /// exec() then @p read (a `T(const SqlStatement &)`) on every result row.
    template<typename T, typename Read>
    Result<QList<T>> selectAll(const QString &sql, const QVariantList &values, Read read)
    {
        if (auto done = exec(sql, values); !done)
            return std::unexpected(done.error());
        QList<T> rows;
        while (m_query.next())
            rows.append(read(*this));
        return rows;
    }

    QSqlQuery &query() { return m_query; }
    bool next() { return m_query.next(); }
    [[nodiscard]] QVariant value(int column) const { return m_query.value(column); }
    [[nodiscard]] int rowsAffected() const { return m_query.numRowsAffected(); }
    [[nodiscard]] qint64 lastInsertId() const { return m_query.lastInsertId().toLongLong(); }

    /// Times are stored as INTEGER milliseconds since the epoch, UTC; invalid or NULL is 0.
    static QVariant toMs(const QDateTime &time);
    static QDateTime fromMs(const QVariant &ms);
    /// For NOT NULL text columns: Qt binds a null QString as SQL NULL.
    static QString notNull(const QString &text) { return text.isNull() ? QStringLiteral("") : text; }
    /// Empty text as SQL NULL.
    static QVariant textOrNull(const QString &text);
    /// Lists go to SQL as one JSON array read with json_each: one statement and one plan whatever
    /// the list's length, and no limit on the number of bound variables.
    static QString jsonIds(const QList<qint64> &ids);
    static QString jsonStrings(const QStringList &strings);

private:
    QSqlQuery m_query;
    QString m_what;
};

} // namespace ragdesk
