#include "core/storage/MessageRows.h"

#include "core/storage/SqlStatement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString saveFailed()
{
    return u"Could not save the conversation"_s;
}

/// JSON columns hold NULL rather than "{}" or "[]", so most rows carry nothing.
QVariant jsonText(const QJsonDocument &document, bool empty)
{
    return empty ? QVariant(QMetaType::fromType<QString>())
                 : QVariant(QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
}

QVariant objectText(const QJsonObject &object)
{
    return jsonText(QJsonDocument(object), object.isEmpty());
}

QVariant arrayText(const QJsonArray &array)
{
    return jsonText(QJsonDocument(array), array.isEmpty());
}

QJsonObject objectFrom(const QVariant &json)
{
    return json.isNull() ? QJsonObject() : QJsonDocument::fromJson(json.toString().toUtf8()).object();
}

QJsonArray arrayFrom(const QVariant &json)
{
    return json.isNull() ? QJsonArray() : QJsonDocument::fromJson(json.toString().toUtf8()).array();
}
} // namespace

QString MessageRows::columns()
{
    return u"id, conversation_id, role, content, reasoning, status, error_text, created_at, updated_at, metrics,"
           " parent_id, sources, citations, retrieval"_s;
}

MessageRecord MessageRows::read(const QSqlQuery &row)
{
    MessageRecord message;
    message.id = row.value(0).toLongLong();
    message.conversationId = row.value(1).toLongLong();
    message.role = row.value(2).toString();
    message.content = row.value(3).toString();
    message.reasoning = row.value(4).toString();
    message.status = messageStatusFromString(row.value(5).toString());
    message.errorText = row.value(6).toString();
    message.createdAt = SqlStatement::fromMs(row.value(7));
    message.updatedAt = SqlStatement::fromMs(row.value(8));
    message.metrics = objectFrom(row.value(9));
    message.parentId = row.value(10).toLongLong(); // NULL reads as 0: a root
    message.sources = citationSnapshotsFromJson(arrayFrom(row.value(11))).value_or(QList<CitationSnapshot>());
    message.citations = citationMarkersFromJson(arrayFrom(row.value(12))).value_or(QList<CitationMarker>());
    message.retrieval = objectFrom(row.value(13));
    return message;
}

Result<qint64> MessageRows::insert(QSqlDatabase &db, const MessageRecord &message, qint64 createdAt,
                                   qint64 updatedAt, qint64 parentId)
{
    SqlStatement insert(db, saveFailed());
    if (auto done = insert.exec(
            u"INSERT INTO messages (conversation_id, parent_id, role, content, reasoning, status, error_text,"
            " created_at, updated_at, metrics, sources, citations, retrieval)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
            {message.conversationId, idOrNull(parentId), message.role, SqlStatement::notNull(message.content),
             SqlStatement::notNull(message.reasoning), messageStatusName(message.status),
             SqlStatement::textOrNull(message.errorText), createdAt, updatedAt, objectText(message.metrics),
             arrayText(citationSnapshotsToJson(message.sources)), arrayText(citationMarkersToJson(message.citations)),
             objectText(message.retrieval)});
        !done)
        return std::unexpected(done.error());
    return insert.lastInsertId();
}

Result<bool> MessageRows::finish(QSqlDatabase &db, const MessageRecord &message, qint64 updatedAt)
{
    SqlStatement update(db, saveFailed());
    if (auto done = update.exec(
            u"UPDATE messages SET content = ?, reasoning = ?, status = ?, error_text = ?, metrics = ?, sources = ?,"
            " citations = ?, retrieval = ?, updated_at = ? WHERE id = ?"_s,
            {SqlStatement::notNull(message.content), SqlStatement::notNull(message.reasoning),
             messageStatusName(message.status), SqlStatement::textOrNull(message.errorText),
             objectText(message.metrics), arrayText(citationSnapshotsToJson(message.sources)),
             arrayText(citationMarkersToJson(message.citations)), objectText(message.retrieval), updatedAt,
             message.id});
        !done)
        return std::unexpected(done.error());
    return update.rowsAffected() > 0;
}

Result<qint64> MessageRows::newestLeaf(QSqlDatabase &db, qint64 conversationId, qint64 start)
{
    SqlStatement query(db, saveFailed());
    // The depth cap ends the walk on a damaged database whose parent links form a cycle.
    if (auto done = query.exec(u"WITH RECURSIVE down(id, depth) AS ("
                               " SELECT CASE WHEN ? != 0 THEN ? ELSE (SELECT max(id) FROM messages"
                               "  WHERE conversation_id = ? AND parent_id IS NULL) END, 0"
                               " UNION ALL"
                               " SELECT (SELECT max(c.id) FROM messages c WHERE c.parent_id = down.id), depth + 1"
                               " FROM down WHERE down.id IS NOT NULL AND depth < 100000)"
                               " SELECT id FROM down WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1"_s,
                               {start, start, conversationId});
        !done)
        return std::unexpected(done.error());
    return query.next() ? query.value(0).toLongLong() : 0;
}

QVariant MessageRows::idOrNull(qint64 id)
{
    return id == 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(id);
}

} // namespace ragdesk
