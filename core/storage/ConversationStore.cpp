#include "core/storage/ConversationStore.h"

#include "core/storage/ConversationImport.h"
#include "core/storage/ConversationSearch.h"
#include "core/storage/FtsQuery.h"
#include "core/storage/MessageRows.h"
#include "core/storage/ProfileDatabase.h"
#include "core/storage/SqlError.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/SqlTransaction.h"

#include <QCoroFuture>
#include <QSqlQuery>

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

/// The columns conversationFrom() reads, in its order.
QString conversationColumns()
{
    return u"id, title, created_at, updated_at, assistant_id, pinned, active_leaf_id"_s;
}

Conversation conversationFrom(const QSqlQuery &query)
{
    return Conversation{query.value(0).toLongLong(), query.value(1).toString(),
                        SqlStatement::fromMs(query.value(2)), SqlStatement::fromMs(query.value(3)),
                        query.value(4).toLongLong(), query.value(5).toBool(), query.value(6).toLongLong()};
}

Error missing(const QString &what, qint64 id)
{
    return Error{Error::Kind::Database, u"Could not save the conversation: %1 %2 no longer exists"_s.arg(what).arg(id),
                 {}, 0};
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
                                {SqlStatement::notNull(title), now, now}, saveFailed());
            !done)
            return std::unexpected(done.error());
        return Conversation{query.lastInsertId().toLongLong(), title, SqlStatement::fromMs(now), SqlStatement::fromMs(now)};
    });
}

QCoro::Task<Result<QList<Conversation>>> ConversationStore::listConversations(int limit)
{
    const auto database = m_database;
    co_return co_await database->readers().run([limit](QSqlDatabase &db) -> Result<QList<Conversation>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (auto done = execute(query,
                                u"SELECT %1 FROM conversations WHERE deleted_at IS NULL"
                                " ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?"_s.arg(conversationColumns()),
                                {limit}, loadFailed());
            !done)
            return std::unexpected(done.error());
        QList<Conversation> conversations;
        while (query.next())
            conversations.append(conversationFrom(query));
        return conversations;
    });
}

QCoro::Task<Result<Conversation>> ConversationStore::conversation(qint64 id)
{
    const auto database = m_database;
    co_return co_await database->readers().run([id](QSqlDatabase &db) -> Result<Conversation> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (auto done = execute(query, u"SELECT %1 FROM conversations WHERE id = ?"_s.arg(conversationColumns()), {id},
                                loadFailed());
            !done)
            return std::unexpected(done.error());
        if (!query.next())
            return std::unexpected(Error{Error::Kind::Database,
                                         u"Could not load the conversation: conversation %1 no longer exists"_s.arg(id), {}, 0});
        return conversationFrom(query);
    });
}

QCoro::Task<Result<void>> ConversationStore::renameConversation(qint64 id, QString title)
{
    const auto database = m_database;
    // updated_at tracks activity, not edits, so a rename does not reorder the list.
    co_return co_await database->writer().run([id, title = std::move(title)](QSqlDatabase &db) -> Result<void> {
        return updateConversation(db, u"UPDATE conversations SET title = ? WHERE id = ? AND deleted_at IS NULL"_s,
                                  {SqlStatement::notNull(title), id}, id);
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
                                  {MessageRows::idOrNull(assistantId), conversationId}, conversationId);
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
                                u"SELECT %1 FROM messages WHERE conversation_id = ? ORDER BY id"_s.arg(MessageRows::columns()),
                                {conversationId}, loadFailed());
            !done)
            return std::unexpected(done.error());
        QList<MessageRecord> messages;
        while (query.next())
            messages.append(MessageRows::read(query));
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
        // The foreign key proves the parent exists; a tree must not reach into another conversation.
        if (message.parentId != 0) {
            QSqlQuery parent(db);
            if (auto done = execute(parent, u"SELECT conversation_id FROM messages WHERE id = ?"_s,
                                    {message.parentId}, saveFailed());
                !done)
                return std::unexpected(done.error());
            if (!parent.next())
                return std::unexpected(missing(u"message"_s, message.parentId));
            if (parent.value(0).toLongLong() != message.conversationId)
                return fail(Error::Kind::Database,
                            u"%1: the message it follows (%2) belongs to another conversation"_s.arg(saveFailed())
                                .arg(message.parentId));
        }
        auto id = MessageRows::insert(db, message, now, now, message.parentId);
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
        message.createdAt = SqlStatement::fromMs(now);
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
            update.bindValue(0, SqlStatement::notNull(entry.content));
            update.bindValue(1, SqlStatement::notNull(entry.reasoning));
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
        auto updated = MessageRows::finish(db, message, now);
        if (!updated)
            return std::unexpected(updated.error());
        if (!*updated)
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
            auto leaf = MessageRows::newestLeaf(db, conversationId, parentId);
            if (!leaf)
                return std::unexpected(leaf.error());
            if (auto done = updateConversation(db, u"UPDATE conversations SET active_leaf_id = ? WHERE id = ?"_s,
                                               {MessageRows::idOrNull(*leaf), conversationId}, conversationId);
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
    co_return co_await database->readers().run([match, limit](QSqlDatabase &db) {
        return ConversationSearch::run(db, match, limit);
    });
}

QCoro::Task<Result<Conversation>> ConversationStore::importConversation(Conversation conversation,
                                                                         QList<MessageRecord> messages)
{
    const auto database = m_database;
    co_return co_await database->writer().run(
        [conversation = std::move(conversation), messages = std::move(messages)](QSqlDatabase &db) mutable {
            return ConversationImport::run(db, std::move(conversation), std::move(messages));
        });
}

} // namespace ragdesk
