#include "core/storage/ConversationImport.h"

#include "core/storage/MessageRows.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/SqlTransaction.h"

#include <QHash>
#include <QMultiHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString saveFailed()
{
    return u"Could not import the conversation"_s;
}
} // namespace

Result<Conversation> ConversationImport::run(QSqlDatabase &db, Conversation conversation, QList<MessageRecord> messages)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto msOr = [now](const QDateTime &time) { return time.isValid() ? time.toMSecsSinceEpoch() : now; };
    SqlTransaction transaction(db, saveFailed());
    if (auto begun = transaction.begin(); !begun)
        return std::unexpected(begun.error());
    SqlStatement insert(db, saveFailed());
    // An assistant id from another profile means nothing here; keep it only if it exists.
    // RETURNING reads back which one it kept.
    if (auto done = insert.exec(u"INSERT INTO conversations (title, created_at, updated_at, pinned, assistant_id)"
                                " VALUES (?, ?, ?, ?, (SELECT id FROM assistants WHERE id = ?))"
                                " RETURNING id, coalesce(assistant_id, 0)"_s,
                                {SqlStatement::notNull(conversation.title), msOr(conversation.createdAt),
                                 msOr(conversation.updatedAt), conversation.pinned ? 1 : 0,
                                 conversation.assistantId});
        !done)
        return std::unexpected(done.error());
    if (!insert.next())
        return fail(Error::Kind::Database, saveFailed(), u"INSERT ... RETURNING returned no row"_s);
    const qint64 conversationId = insert.value(0).toLongLong();
    conversation.assistantId = insert.value(1).toLongLong();
    insert.query().finish(); // a RETURNING statement left open would block the COMMIT

    QHash<qint64, qint64> newIds; // imported id -> stored id
    for (const qsizetype index : insertOrder(messages)) {
        MessageRecord &message = messages[index];
        message.conversationId = conversationId;
        if (message.status == MessageStatus::Streaming)
            message.status = MessageStatus::Interrupted; // nothing will ever finish it
        auto id = MessageRows::insert(db, message, msOr(message.createdAt), msOr(message.updatedAt),
                                      newIds.value(message.parentId, 0));
        if (!id)
            return std::unexpected(id.error());
        newIds.insert(message.id, *id);
    }
    qint64 leaf = newIds.value(conversation.activeLeafId, 0);
    if (leaf == 0) {
        auto newest = MessageRows::newestLeaf(db, conversationId, 0);
        if (!newest)
            return std::unexpected(newest.error());
        leaf = *newest;
    }
    SqlStatement update(db, saveFailed());
    if (auto done = update.exec(u"UPDATE conversations SET active_leaf_id = ? WHERE id = ?"_s,
                                {MessageRows::idOrNull(leaf), conversationId});
        !done)
        return std::unexpected(done.error());
    if (auto committed = transaction.commit(); !committed)
        return std::unexpected(committed.error());
    conversation.id = conversationId;
    conversation.createdAt = SqlStatement::fromMs(msOr(conversation.createdAt));
    conversation.updatedAt = SqlStatement::fromMs(msOr(conversation.updatedAt));
    conversation.activeLeafId = leaf;
    return conversation;
}

QList<qsizetype> ConversationImport::insertOrder(const QList<MessageRecord> &messages)
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
} // namespace ragdesk
