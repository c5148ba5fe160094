#include "core/storage/ConversationSearch.h"

#include "core/storage/FtsQuery.h"
#include "core/storage/SqlStatement.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString loadFailed()
{
    return u"Could not search the conversations"_s;
}
} // namespace

Result<QList<ConversationSearchHit>> ConversationSearch::run(QSqlDatabase &db, const QString &match, int limit)
{
    const QString open = FtsQuery::openMarker();
    const QString close = FtsQuery::closeMarker();
    SqlStatement select(db, loadFailed());
    select.query().setForwardOnly(true);
    // Each FTS table is searched in its own CTE, so MATCH drives the plan (DESIGN: a filter
    // beside MATCH can be far slower). The message hits are capped: a one-letter prefix over
    // a long history still answers fast, from the best 2000 messages.
    if (auto done = select.exec(u"WITH hits AS (SELECT rowid AS id, rank FROM messages_fts"
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
                                {match, open, close, match, limit});
        !done)
        return std::unexpected(done.error());
    QList<ConversationSearchHit> hits;
    while (select.next()) {
        ConversationSearchHit hit;
        hit.conversationId = select.value(0).toLongLong();
        hit.title = select.value(2).isNull() ? MatchedText{select.value(1).toString(), {}}
                                             : FtsQuery::fromMarked(select.value(2).toString());
        hit.pinned = select.value(3).toBool();
        hit.updatedAt = SqlStatement::fromMs(select.value(4));
        hit.messageId = select.value(5).toLongLong();
        hits.append(hit);
    }
    // Snippets only for the conversations returned: snippet() costs a re-tokenization each.
    SqlStatement snippet(db, loadFailed());
    if (auto prepared = snippet.prepare(u"SELECT snippet(messages_fts, 0, ?, ?, '\u2026', 16) FROM messages_fts"
                                        " WHERE messages_fts MATCH ? AND rowid = ?"_s);
        !prepared)
        return std::unexpected(prepared.error());
    for (ConversationSearchHit &hit : hits) {
        if (hit.messageId == 0)
            continue;
        if (auto done = snippet.run({open, close, match, hit.messageId}); !done)
            return std::unexpected(done.error());
        if (snippet.next())
            hit.snippet = FtsQuery::fromMarked(snippet.value(0).toString());
    }
    return hits;
}

} // namespace ragdesk
