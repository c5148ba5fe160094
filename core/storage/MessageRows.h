#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

class QSqlDatabase;
class QSqlQuery;

namespace ragdesk {

/// The messages table of profile.db, row by row: reading a row into a MessageRecord (with its
/// JSON columns), inserting one, and the walk down the tree that ConversationStore and
/// ConversationImport share. Runs on the connection it is given.
class MessageRows
{
public:
    /// The columns read() expects, in its order, for "SELECT %1 FROM messages".
    static QString columns();
    /// A damaged JSON column loses only what it held (numbers, citations), never the message.
    static MessageRecord read(const QSqlQuery &row);
    /// Inserts @p message with these times and parent (0: a root); returns its new id.
    static Result<qint64> insert(QSqlDatabase &db, const MessageRecord &message, qint64 createdAt, qint64 updatedAt,
                                 qint64 parentId);
    /// Writes the final content, reasoning, status, error text and JSON columns of @p message
    /// (by id); false when there is no such message.
    static Result<bool> finish(QSqlDatabase &db, const MessageRecord &message, qint64 updatedAt);
    /// Follows the newest child down from @p start (0: from the conversation's newest root) and
    /// returns where it ends; 0 when the conversation has no messages.
    static Result<qint64> newestLeaf(QSqlDatabase &db, qint64 conversationId, qint64 start);

    /// NULL for 0, so ids that mean "none" never dangle.
    static QVariant idOrNull(qint64 id);

    MessageRows() = delete;
};

} // namespace ragdesk
