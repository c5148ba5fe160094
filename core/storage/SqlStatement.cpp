#include "core/storage/SqlStatement.h"

#include "core/storage/SqlError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace ragdesk {

SqlStatement::SqlStatement(QSqlDatabase &db, QString what)
    : m_query(db)
    , m_what(std::move(what))
{
    // Results are read once, front to back; this spares QSqlQuery its row cache.
    m_query.setForwardOnly(true);
}

Result<void> SqlStatement::prepare(const QString &sql)
{
    if (!m_query.prepare(sql))
        return std::unexpected(sqlError(m_what, m_query));
    return {};
}

Result<void> SqlStatement::run(const QVariantList &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        m_query.bindValue(int(i), values.at(i));
    if (!m_query.exec())
        return std::unexpected(sqlError(m_what, m_query));
    return {};
}

Result<void> SqlStatement::exec(const QString &sql, const QVariantList &values)
{
    if (auto prepared = prepare(sql); !prepared)
        return prepared;
    return run(values);
}

QVariant SqlStatement::toMs(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : qint64(0);
}

QDateTime SqlStatement::fromMs(const QVariant &ms)
{
    if (ms.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), QTimeZone::UTC);
}

QVariant SqlStatement::textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QString SqlStatement::jsonIds(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QString SqlStatement::jsonStrings(const QStringList &strings)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(strings)).toJson(QJsonDocument::Compact));
}

} // namespace ragdesk
