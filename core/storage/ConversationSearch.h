#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

class QSqlDatabase;

namespace ragdesk {

/// The queries behind ConversationStore::searchConversations, run on a reader connection.
class ConversationSearch
{
public:
    /// @p match: an FTS5 expression from FtsQuery::fromUserText. At most @p limit conversations,
    /// title matches first, then by their best message's BM25 rank; soft-deleted ones left out.
    static Result<QList<ConversationSearchHit>> run(QSqlDatabase &db, const QString &match, int limit);

    ConversationSearch() = delete;
};

} // namespace ragdesk
