#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

class QSqlDatabase;

namespace ragdesk {

/// The transaction behind ConversationStore::importConversation, run on the writer connection.
class ConversationImport
{
public:
    /// Stores @p conversation and @p messages under new ids in one transaction (see
    /// ConversationStore::importConversation).
    static Result<Conversation> run(QSqlDatabase &db, Conversation conversation, QList<MessageRecord> messages);

    /// The indexes of @p messages with every parent before its children, so each insert can
    /// refer to its parent's new id. A message whose parent is missing (or is itself, or lies on a
    /// cycle) is taken as a root; each message appears once. Pure.
    static QList<qsizetype> insertOrder(const QList<MessageRecord> &messages);

    ConversationImport() = delete;
};

} // namespace ragdesk
