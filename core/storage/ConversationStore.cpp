#include "core/storage/ConversationStore.h"

#include "core/storage/ProfileDatabase.h"
#include "core/storage/SqlError.h"
#include "core/storage/SqlTransaction.h"

#include <QCoroFuture>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTimeZone>

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

QVariant metricsToJson(const QJsonObject &metrics)
{
    if (metrics.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    return QString::fromUtf8(QJsonDocument(metrics).toJson(QJsonDocument::Compact));
}

QJsonObject metricsFromJson(const QVariant &json)
{
    // A damaged metrics blob loses only the numbers, never the message.
    return json.isNull() ? QJsonObject() : QJsonDocument::fromJson(json.toString().toUtf8()).object();
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
    message.metrics = metricsFromJson(query.value(9));
    return message;
}

Error missing(const QString &what, qint64 id)
{
    return Error{Error::Kind::Database, u"Could not save the conversation: %1 %2 no longer exists"_s.arg(what).arg(id),
                 {}, 0};
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
                                u"SELECT id, title, created_at, updated_at FROM conversations"
                                " ORDER BY updated_at DESC, id DESC LIMIT ?"_s,
                                {limit}, loadFailed());
            !done)
            return std::unexpected(done.error());
        QList<Conversation> conversations;
        while (query.next()) {
            conversations.append(Conversation{query.value(0).toLongLong(), query.value(1).toString(),
                                              fromMs(query.value(2)), fromMs(query.value(3))});
        }
        return conversations;
    });
}

QCoro::Task<Result<void>> ConversationStore::renameConversation(qint64 id, QString title)
{
    const auto database = m_database;
    // updated_at tracks activity, not edits, so a rename does not reorder the list.
    co_return co_await database->writer().run([id, title = std::move(title)](QSqlDatabase &db) -> Result<void> {
        QSqlQuery query(db);
        if (auto done = execute(query, u"UPDATE conversations SET title = ? WHERE id = ?"_s, {notNull(title), id},
                                saveFailed());
            !done)
            return done;
        if (query.numRowsAffected() == 0)
            return std::unexpected(missing(u"conversation"_s, id));
        return {};
    });
}

QCoro::Task<Result<void>> ConversationStore::deleteConversation(qint64 id)
{
    const auto database = m_database;
    // Messages go with it through ON DELETE CASCADE (foreign_keys is on for the writer).
    // Deleting an id that is already gone succeeds: the user's intent is met either way.
    co_return co_await database->writer().run([id](QSqlDatabase &db) -> Result<void> {
        QSqlQuery query(db);
        return execute(query, u"DELETE FROM conversations WHERE id = ?"_s, {id}, saveFailed());
    });
}

QCoro::Task<Result<QList<MessageRecord>>> ConversationStore::messages(qint64 conversationId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([conversationId](QSqlDatabase &db) -> Result<QList<MessageRecord>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (auto done = execute(query,
                                u"SELECT id, conversation_id, role, content, reasoning, status, error_text,"
                                " created_at, updated_at, metrics FROM messages"
                                " WHERE conversation_id = ? ORDER BY id"_s,
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
        QSqlQuery insert(db);
        if (auto done = execute(insert,
                                u"INSERT INTO messages (conversation_id, role, content, reasoning, status,"
                                " error_text, created_at, updated_at, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                                {message.conversationId, message.role, notNull(message.content),
                                 notNull(message.reasoning), messageStatusName(message.status),
                                 textOrNull(message.errorText), now, now, metricsToJson(message.metrics)},
                                saveFailed());
            !done)
            return std::unexpected(done.error());
        QSqlQuery bump(db);
        if (auto done = execute(bump, u"UPDATE conversations SET updated_at = ? WHERE id = ?"_s,
                                {now, message.conversationId}, saveFailed());
            !done)
            return std::unexpected(done.error());
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        message.id = insert.lastInsertId().toLongLong();
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
                                " metrics = ?, updated_at = ? WHERE id = ?"_s,
                                {notNull(message.content), notNull(message.reasoning),
                                 messageStatusName(message.status), textOrNull(message.errorText),
                                 metricsToJson(message.metrics), now, message.id},
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

} // namespace ragdesk
