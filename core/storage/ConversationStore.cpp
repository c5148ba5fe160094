#include "core/storage/ConversationStore.h"

#include "core/storage/ProfileDatabase.h"
#include "core/storage/FtsQuery.h"
#include "core/storage/SqlError.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/SqlTransaction.h"

#include <QCoroFuture>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTimeZone>

#include <algorithm>
#include <initializer_list>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString saveFailed()
{
    return u"Could not save the conversation"_s;
}

QString loadFailed()
{
    return u"Could not load the conversations"_s;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QDateTime fromMs(const QVariant &ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), QTimeZone::UTC);
}

/// For NOT NULL text columns: Qt binds a null QString (a default-constructed one) as SQL NULL.
QString notNull(const QString &text)
{
    return text.isNull() ? u""_s : text;
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

/// JSON columns hold NULL rather than "{}" or "[]", so most rows carry nothing.
QVariant jsonText(const QJsonDocument &document, bool empty)
{
    return empty ? nullText() : QVariant(QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
}

QVariant objectText(const QJsonObject &object)
{
    return jsonText(QJsonDocument(object), object.isEmpty());
}

QVariant arrayText(const QJsonArray &array)
{
    return jsonText(QJsonDocument(array), array.isEmpty());
}

QVariant idOrNull(qint64 id)
{
    return id == 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(id);
}

// A damaged JSON column loses only what it held (numbers, citations), never the message.
QJsonObject objectFrom(const QVariant &json)
{
    return json.isNull() ? QJsonObject() : QJsonDocument::fromJson(json.toString().toUtf8()).object();
}

QJsonArray arrayFrom(const QVariant &json)
{
    return json.isNull() ? QJsonArray() : QJsonDocument::fromJson(json.toString().toUtf8()).array();
}

/// Prepares @p sql on @p query, binds @p values in order and executes it.
Result<void> execute(QSqlQuery &query, const QString &sql, std::initializer_list<QVariant> values,
                     const QString &what)
{
    if (!query.prepare(sql))
        return std::unexpected(sqlError(what, query));
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return std::unexpected(sqlError(what, query));
    return {};
}

Error missing(const QString &what, qint64 id)
{
    return Error{Error::Kind::Database, u"Could not save the conversation: %1 %2 no longer exists"_s.arg(what).arg(id),
                 {}, 0};
}

const QString messageColumns = u"id, conversation_id, role, content, reasoning, status, error_text, created_at,"
                                " updated_at, metrics, parent_id, sources, citations, retrieval"_s;

MessageRecord readMessage(const QSqlQuery &query)
{
    MessageRecord message;
    message.id = query.value(0).toLongLong();
    message.conversationId = query.value(1).toLongLong();
    message.role = query.value(2).toString();
    message.content = query.value(3).toString();
    message.reasoning = query.value(4).toString();
    message.status = messageStatusFromString(query.value(5).toString());
    message.errorText = query.value(6).toString();
    message.createdAt = fromMs(query.value(7));
    message.updatedAt = fromMs(query.value(8));
    message.metrics = objectFrom(query.value(9));
    message.parentId = query.value(10).toLongLong(); // NULL reads as 0: a root
    message.sources = citationSnapshotsFromJson(arrayFrom(query.value(11))).value_or(QList<CitationSnapshot>());
    message.citations = citationMarkersFromJson(arrayFrom(query.value(12))).value_or(QList<CitationMarker>());
    message.retrieval = objectFrom(query.value(13));
    return message;
}

/// Inserts @p message with these times and parent; returns its new id.
Result<qint64> insertMessage(QSqlDatabase &db, const MessageRecord &message, qint64 createdAt, qint64 updatedAt,
                             qint64 parentId)
{
    QSqlQuery insert(db);
    if (auto done = execute(insert,
                            u"INSERT INTO messages (conversation_id, parent_id, role, content, reasoning, status,"
                            " error_text, created_at, updated_at, metrics, sources, citations, retrieval)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                            {message.conversationId, idOrNull(parentId), message.role, notNull(message.content),
                             notNull(message.reasoning), messageStatusName(message.status),
                             textOrNull(message.errorText), createdAt, updatedAt, objectText(message.metrics),
                             arrayText(citationSnapshotsToJson(message.sources)),
                             arrayText(citationMarkersToJson(message.citations)), objectText(message.retrieval)},
                            saveFailed());
        !done)
        return std::unexpected(done.error());
    return insert.lastInsertId().toLongLong();
}

/// Follows the newest child down from @p start (0: from the conversation's newest root) and
/// returns where it ends; 0 when the conversation has no messages. The depth cap ends the walk
/// on a damaged database whose parent links form a cycle.
Result<qint64> newestLeaf(QSqlDatabase &db, qint64 conversationId, qint64 start)
{
    QSqlQuery query(db);
    if (auto done = execute(query,
                            u"WITH RECURSIVE down(id, depth) AS ("
                            " SELECT CASE WHEN ? != 0 THEN ? ELSE (SELECT max(id) FROM messages"
                            "  WHERE conversation_id = ? AND parent_id IS NULL) END, 0"
                            " UNION ALL"
                            " SELECT (SELECT max(c.id) FROM messages c WHERE c.parent_id = down.id), depth + 1"
                            " FROM down WHERE down.id IS NOT NULL AND depth < 100000)"
                            " SELECT id FROM down WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1"_s,
                            {start, start, conversationId}, saveFailed());
        !done)
        return std::unexpected(done.error());
    return query.next() ? query.value(0).toLongLong() : 0;
}

/// Runs one UPDATE of a conversation row and reports a missing (or soft-deleted) conversation.
Result<void> updateConversation(QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> values,
                                qint64 id)
{
    QSqlQuery query(db);
    if (auto done = execute(query, sql, values, saveFailed()); !done)
        return done;
    if (query.numRowsAffected() == 0)
        return std::unexpected(missing(u"conversation"_s, id));
    return {};
}


/// The indexes of @p messages with every parent before its children, so each insert can
/// refer to its parent's new id. A message whose parent is missing (or is itself, or lies on a
/// cycle) is taken as a root; each message appears once.
QList<qsizetype> importOrder(const QList<MessageRecord> &messages)
{
    QHash<qint64, qsizetype> byId;
    QMultiHash<qint64, qsizetype> children;
    for (qsizetype i = 0; i < messages.size(); ++i)
        byId.insert(messages[i].id, i); // a later duplicate id wins; both are still inserted
    const auto isRoot = [&byId](const MessageRecord &message) {
        return message.parentId == 0 || message.parentId == message.id || !byId.contains(message.parentId);
    };
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (!isRoot(messages[i]))
            children.insert(messages[i].parentId, i);
    }
    QList<qsizetype> order;
    order.reserve(messages.size());
    QList<bool> placed(messages.size(), false);
    const auto placeFrom = [&](qsizetype root) {
        QList<qsizetype> pending{root};
        placed[root] = true;
        for (qsizetype next = 0; next < pending.size(); ++next) {
            const qsizetype index = pending[next];
            order.append(index);
            QList<qsizetype> below = children.values(messages[index].id);
            std::ranges::sort(below); // QMultiHash keeps no order; input order is oldest first
            for (const qsizetype child : below) {
                if (!placed[child]) {
                    placed[child] = true;
                    pending.append(child);
                }
            }
        }
    };
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const MessageRecord &message = messages[i];
        if (!placed[i] && isRoot(message))
            placeFrom(i);
    }
    // What is left lies on a cycle: its first message becomes a root.
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (!placed[i])
            placeFrom(i);
    }
    return order;
}
} // namespace

ConversationStore::ConversationStore(std::shared_ptr<ProfileDatabase> database)
    : m_database(std::move(database))
{
}

// Each call copies m_database into its frame before the first await: the frame then keeps the
// database alive on its own, and never touches this store again.

QCoro::Task<Result<Conversation>> ConversationStore::createConversation(QString title)
{
    const auto database = m_database;
    co_return co_await database->writer().run([title = std::move(title)](QSqlDatabase &db) -> Result<Conversation> {
        const qint64 now = nowMs();
        QSqlQuery query(db);
        if (auto done = execute(query, u"INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)"_s,
                                {notNull(title), now, now}, saveFailed());
            !done)
            return std::unexpected(done.error());
        return Conversation{query.lastInsertId().toLongLong(), title, fromMs(now), fromMs(now)};
    });
}

QCoro::Task<Result<QList<Conversation>>> ConversationStore::listConversations(int limit)
{
    const auto database = m_database;
    co_return co_await database->readers().run([limit](QSqlDatabase &db) -> Result<QList<Conversation>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (auto done = execute(query,
                                u"SELECT id, title, created_at, updated_at, assistant_id, pinned, active_leaf_id"
                                " FROM conversations WHERE deleted_at IS NULL"
                                " ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?"_s,
                                {limit}, loadFailed());
            !done)
            return std::unexpected(done.error());
        QList<Conversation> conversations;
        while (query.next()) {
            conversations.append(Conversation{query.value(0).toLongLong(), query.value(1).toString(),
                                              fromMs(query.value(2)), fromMs(query.value(3)),
                                              query.value(4).toLongLong(), query.value(5).toBool(),
                                              query.value(6).toLongLong()});
        }
        return conversations;
    });
}

QCoro::Task<Result<void>> ConversationStore::renameConversation(qint64 id, QString title)
{
    const auto database = m_database;
    // updated_at tracks activity, not edits, so a rename does not reorder the list.
    co_return co_await database->writer().run([id, title = std::move(title)](QSqlDatabase &db) -> Result<void> {
        return updateConversation(db, u"UPDATE conversations SET title = ? WHERE id = ? AND deleted_at IS NULL"_s,
                                  {notNull(title), id}, id);
    });
}

QCoro::Task<Result<void>> ConversationStore::setPinned(qint64 id, bool pinned)
{
    const auto database = m_database;
    co_return co_await database->writer().run([id, pinned](QSqlDatabase &db) -> Result<void> {
        return updateConversation(db, u"UPDATE conversations SET pinned = ? WHERE id = ? AND deleted_at IS NULL"_s,
                                  {pinned ? 1 : 0, id}, id);
    });
}

QCoro::Task<Result<void>> ConversationStore::setAssistant(qint64 conversationId, qint64 assistantId)
{
    const auto database = m_database;
    co_return co_await database->writer().run([conversationId, assistantId](QSqlDatabase &db) -> Result<void> {
        return updateConversation(db, u"UPDATE conversations SET assistant_id = ? WHERE id = ?"_s,
                                  {idOrNull(assistantId), conversationId}, conversationId);
    });
}

QCoro::Task<Result<void>> ConversationStore::setActiveLeaf(qint64 conversationId, qint64 messageId)
{
    const auto database = m_database;
    co_return co_await database->writer().run([conversationId, messageId](QSqlDatabase &db) -> Result<void> {
        // The EXISTS keeps a leaf of another conversation out.
        return updateConversation(db,
                                  u"UPDATE conversations SET active_leaf_id = ? WHERE id = ? AND EXISTS"
                                  " (SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?)"_s,
                                  {messageId, conversationId, messageId, conversationId}, conversationId);
    });
}

QCoro::Task<Result<void>> ConversationStore::deleteConversation(qint64 id)
{
    const auto database = m_database;
    // Deleting an id that is already gone succeeds: the user's intent is met either way.
    co_return co_await database->writer().run([id](QSqlDatabase &db) -> Result<void> {
        QSqlQuery query(db);
        return execute(query, u"UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL"_s,
                       {nowMs(), id}, saveFailed());
    });
}

QCoro::Task<Result<void>> ConversationStore::restoreConversation(qint64 id)
{
    const auto database = m_database;
    co_return co_await database->writer().run([id](QSqlDatabase &db) -> Result<void> {
        return updateConversation(db, u"UPDATE conversations SET deleted_at = NULL WHERE id = ?"_s, {id}, id);
    });
}

QCoro::Task<Result<int>> ConversationStore::purgeDeleted()
{
    const auto database = m_database;
    // Messages go with their conversation through ON DELETE CASCADE (foreign_keys is on for the
    // writer); parent_id is checked at the end of the statement, so tree order does not matter.
    co_return co_await database->writer().run([](QSqlDatabase &db) -> Result<int> {
        QSqlQuery query(db);
        if (auto done = execute(query, u"DELETE FROM conversations WHERE deleted_at IS NOT NULL"_s, {}, saveFailed());
            !done)
            return std::unexpected(done.error());
        return query.numRowsAffected();
    });
}

QCoro::Task<Result<QList<MessageRecord>>> ConversationStore::messages(qint64 conversationId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([conversationId](QSqlDatabase &db) -> Result<QList<MessageRecord>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (auto done = execute(query,
                                u"SELECT %1 FROM messages WHERE conversation_id = ? ORDER BY id"_s.arg(messageColumns),
                                {conversationId}, loadFailed());
            !done)
            return std::unexpected(done.error());
        QList<MessageRecord> messages;
        while (query.next())
            messages.append(readMessage(query));
        return messages;
    });
}

QCoro::Task<Result<MessageRecord>> ConversationStore::appendMessage(MessageRecord message)
{
    const auto database = m_database;
    co_return co_await database->writer().run([message = std::move(message)](QSqlDatabase &db) mutable
                                              -> Result<MessageRecord> {
        const qint64 now = nowMs();
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        auto id = insertMessage(db, message, now, now, message.parentId);
        if (!id)
            return std::unexpected(id.error());
        QSqlQuery bump(db);
        if (auto done = execute(bump, u"UPDATE conversations SET updated_at = ?, active_leaf_id = ? WHERE id = ?"_s,
                                {now, *id, message.conversationId}, saveFailed());
            !done)
            return std::unexpected(done.error());
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        message.id = *id;
        message.createdAt = fromMs(now);
        message.updatedAt = message.createdAt;
        return message;
    });
}

QCoro::Task<Result<void>> ConversationStore::checkpoint(QList<MessageCheckpoint> batch)
{
    if (batch.isEmpty())
        co_return Result<void>{};
    const auto database = m_database;
    co_return co_await database->writer().run([batch = std::move(batch)](QSqlDatabase &db) -> Result<void> {
        const qint64 now = nowMs();
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return begun;
        // Prepared once, executed per entry: the batch costs one parse and one commit.
        QSqlQuery update(db);
        if (!update.prepare(u"UPDATE messages SET content = ?, reasoning = ?, updated_at = ?"
                            " WHERE id = ? AND status = 'streaming'"_s))
            return std::unexpected(sqlError(saveFailed(), update));
        for (const MessageCheckpoint &entry : batch) {
            update.bindValue(0, notNull(entry.content));
            update.bindValue(1, notNull(entry.reasoning));
            update.bindValue(2, now);
            update.bindValue(3, entry.messageId);
            if (!update.exec())
                return std::unexpected(sqlError(saveFailed(), update));
        }
        return transaction.commit();
    });
}

QCoro::Task<Result<void>> ConversationStore::finishMessage(MessageRecord message)
{
    const auto database = m_database;
    co_return co_await database->writer().run([message = std::move(message)](QSqlDatabase &db) -> Result<void> {
        const qint64 now = nowMs();
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return begun;
        QSqlQuery update(db);
        if (auto done = execute(update,
                                u"UPDATE messages SET content = ?, reasoning = ?, status = ?, error_text = ?,"
                                " metrics = ?, sources = ?, citations = ?, retrieval = ?, updated_at = ?"
                                " WHERE id = ?"_s,
                                {notNull(message.content), notNull(message.reasoning),
                                 messageStatusName(message.status), textOrNull(message.errorText),
                                 objectText(message.metrics), arrayText(citationSnapshotsToJson(message.sources)),
                                 arrayText(citationMarkersToJson(message.citations)), objectText(message.retrieval),
                                 now, message.id},
                                saveFailed());
            !done)
            return done;
        if (update.numRowsAffected() == 0)
            return std::unexpected(missing(u"message"_s, message.id));
        QSqlQuery bump(db);
        if (auto done = execute(bump,
                                u"UPDATE conversations SET updated_at = ?"
                                " WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)"_s,
                                {now, message.id}, saveFailed());
            !done)
            return done;
        return transaction.commit();
    });
}

QCoro::Task<Result<int>> ConversationStore::markInterrupted()
{
    const auto database = m_database;
    co_return co_await database->writer().run([](QSqlDatabase &db) -> Result<int> {
        QSqlQuery query(db);
        if (auto done = execute(query, u"UPDATE messages SET status = 'interrupted', updated_at = ?"
                                       " WHERE status = 'streaming'"_s,
                                {nowMs()}, saveFailed());
            !done)
            return std::unexpected(done.error());
        return query.numRowsAffected();
    });
}

QCoro::Task<Result<QList<qint64>>> ConversationStore::deleteMessage(qint64 messageId)
{
    const auto database = m_database;
    co_return co_await database->writer().run([messageId](QSqlDatabase &db) -> Result<QList<qint64>> {
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        QSqlQuery query(db);
        if (auto done = execute(query,
                                u"SELECT m.conversation_id, coalesce(m.parent_id, 0), coalesce(c.active_leaf_id, 0)"
                                " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?"_s,
                                {messageId}, saveFailed());
            !done)
            return std::unexpected(done.error());
        if (!query.next())
            return QList<qint64>{}; // already gone: the user's intent is met
        const qint64 conversationId = query.value(0).toLongLong();
        const qint64 parentId = query.value(1).toLongLong();
        const qint64 activeLeaf = query.value(2).toLongLong();

        // UNION, not UNION ALL: a damaged database whose parent links form a cycle still ends.
        if (auto done = execute(query,
                                u"WITH RECURSIVE below(id) AS (SELECT ? UNION"
                                " SELECT m.id FROM messages m JOIN below ON m.parent_id = below.id)"
                                " SELECT id FROM below ORDER BY id"_s,
                                {messageId}, saveFailed());
            !done)
            return std::unexpected(done.error());
        QList<qint64> removed;
        while (query.next())
            removed.append(query.value(0).toLongLong());
        // One statement for the whole subtree: parent_id is checked at its end, so the order of
        // rows does not matter, and no cascade nests per level (see ProfileSchema v4).
        QSqlQuery remove(db);
        if (auto done = execute(remove, u"DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))"_s,
                                {SqlStatement::jsonIds(removed)}, saveFailed());
            !done)
            return std::unexpected(done.error());

        if (activeLeaf == 0 || removed.contains(activeLeaf)) {
            auto leaf = newestLeaf(db, conversationId, parentId);
            if (!leaf)
                return std::unexpected(leaf.error());
            if (auto done = updateConversation(db, u"UPDATE conversations SET active_leaf_id = ? WHERE id = ?"_s,
                                               {idOrNull(*leaf), conversationId}, conversationId);
                !done)
                return std::unexpected(done.error());
        }
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        return removed;
    });
}

QCoro::Task<Result<QList<ConversationSearchHit>>> ConversationStore::searchConversations(QString query, int limit)
{
    const QString match = FtsQuery::fromUserText(query);
    if (match.isEmpty() || limit <= 0)
        co_return QList<ConversationSearchHit>{};
    const auto database = m_database;
    co_return co_await database->readers().run([match, limit](QSqlDatabase &db) -> Result<QList<ConversationSearchHit>> {
        const QString open = FtsQuery::openMarker();
        const QString close = FtsQuery::closeMarker();
        QSqlQuery select(db);
        select.setForwardOnly(true);
        // Each FTS table is searched in its own CTE, so MATCH drives the plan (DESIGN: a filter
        // beside MATCH can be far slower). The message hits are capped: a one-letter prefix over
        // a long history still answers fast, from the best 2000 messages.
        if (auto done = execute(select,
                                u"WITH hits AS (SELECT rowid AS id, rank FROM messages_fts"
                                "  WHERE messages_fts MATCH ? ORDER BY rank LIMIT 2000),"
                                " best AS (SELECT m.conversation_id AS cid, h.id AS mid, h.rank AS rank,"
                                "  row_number() OVER (PARTITION BY m.conversation_id ORDER BY h.rank, h.id DESC) AS n"
                                "  FROM hits h JOIN messages m ON m.id = h.id),"
                                " titles AS (SELECT rowid AS cid, highlight(conversations_fts, 0, ?, ?) AS marked"
                                "  FROM conversations_fts WHERE conversations_fts MATCH ?)"
                                " SELECT c.id, c.title, t.marked, c.pinned, c.updated_at, coalesce(b.mid, 0)"
                                " FROM conversations c"
                                " LEFT JOIN best b ON b.cid = c.id AND b.n = 1"
                                " LEFT JOIN titles t ON t.cid = c.id"
                                " WHERE c.deleted_at IS NULL AND (b.mid IS NOT NULL OR t.cid IS NOT NULL)"
                                // bm25 ranks are negative, lower is better; a title-only hit ranks last.
                                " ORDER BY t.cid IS NULL, coalesce(b.rank, 0), c.updated_at DESC, c.id DESC"
                                " LIMIT ?"_s,
                                {match, open, close, match, limit}, loadFailed());
            !done)
            return std::unexpected(done.error());
        QList<ConversationSearchHit> hits;
        while (select.next()) {
            ConversationSearchHit hit;
            hit.conversationId = select.value(0).toLongLong();
            hit.title = select.value(2).isNull() ? MatchedText{select.value(1).toString(), {}}
                                                 : FtsQuery::fromMarked(select.value(2).toString());
            hit.pinned = select.value(3).toBool();
            hit.updatedAt = fromMs(select.value(4));
            hit.messageId = select.value(5).toLongLong();
            hits.append(hit);
        }
        // Snippets only for the conversations returned: snippet() costs a re-tokenization each.
        QSqlQuery snippet(db);
        if (!snippet.prepare(u"SELECT snippet(messages_fts, 0, ?, ?, '\u2026', 16) FROM messages_fts"
                             " WHERE messages_fts MATCH ? AND rowid = ?"_s))
            return std::unexpected(sqlError(loadFailed(), snippet));
        for (ConversationSearchHit &hit : hits) {
            if (hit.messageId == 0)
                continue;
            for (const QVariant &value : {QVariant(open), QVariant(close), QVariant(match), QVariant(hit.messageId)})
                snippet.addBindValue(value);
            if (!snippet.exec())
                return std::unexpected(sqlError(loadFailed(), snippet));
            if (snippet.next())
                hit.snippet = FtsQuery::fromMarked(snippet.value(0).toString());
        }
        return hits;
    });
}

QCoro::Task<Result<Conversation>> ConversationStore::importConversation(Conversation conversation,
                                                                         QList<MessageRecord> messages)
{
    const auto database = m_database;
    co_return co_await database->writer().run([conversation = std::move(conversation),
                                               messages = std::move(messages)](QSqlDatabase &db) mutable
                                              -> Result<Conversation> {
        const qint64 now = nowMs();
        const auto msOr = [now](const QDateTime &time) { return time.isValid() ? time.toMSecsSinceEpoch() : now; };
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        QSqlQuery insert(db);
        // An assistant id from another profile means nothing here; keep it only if it exists.
        if (auto done = execute(insert,
                                u"INSERT INTO conversations (title, created_at, updated_at, pinned, assistant_id)"
                                " VALUES (?, ?, ?, ?, (SELECT id FROM assistants WHERE id = ?))"_s,
                                {notNull(conversation.title), msOr(conversation.createdAt),
                                 msOr(conversation.updatedAt), conversation.pinned ? 1 : 0,
                                 conversation.assistantId},
                                saveFailed());
            !done)
            return std::unexpected(done.error());
        const qint64 conversationId = insert.lastInsertId().toLongLong();

        QHash<qint64, qint64> newIds; // imported id -> stored id
        for (const qsizetype index : importOrder(messages)) {
            MessageRecord &message = messages[index];
            message.conversationId = conversationId;
            if (message.status == MessageStatus::Streaming)
                message.status = MessageStatus::Interrupted; // nothing will ever finish it
            auto id = insertMessage(db, message, msOr(message.createdAt), msOr(message.updatedAt),
                                    newIds.value(message.parentId, 0));
            if (!id)
                return std::unexpected(id.error());
            newIds.insert(message.id, *id);
        }
        qint64 leaf = newIds.value(conversation.activeLeafId, 0);
        if (leaf == 0) {
            auto newest = newestLeaf(db, conversationId, 0);
            if (!newest)
                return std::unexpected(newest.error());
            leaf = *newest;
        }
        if (auto done = updateConversation(db, u"UPDATE conversations SET active_leaf_id = ? WHERE id = ?"_s,
                                           {idOrNull(leaf), conversationId}, conversationId);
            !done)
            return std::unexpected(done.error());
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        conversation.id = conversationId;
        conversation.createdAt = fromMs(msOr(conversation.createdAt));
        conversation.updatedAt = fromMs(msOr(conversation.updatedAt));
        conversation.activeLeafId = leaf;
        if (conversation.assistantId != 0) {
            QSqlQuery assistant(db);
            if (!execute(assistant, u"SELECT assistant_id FROM conversations WHERE id = ?"_s, {conversationId},
                         loadFailed())
                || !assistant.next())
                conversation.assistantId = 0;
            else
                conversation.assistantId = assistant.value(0).toLongLong();
        }
        return conversation;
    });
}

} // namespace ragdesk
