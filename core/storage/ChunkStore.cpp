#include "core/storage/ChunkStore.h"

#include "core/storage/IndexDatabase.h"
#include "core/storage/SqlStatement.h"

#include <QCoroFuture>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString loadFailed()
{
    return u"Could not load the chunks"_s;
}

ChunkRecord readChunk(const SqlStatement &row)
{
    ChunkRecord chunk;
    chunk.id = row.value(0).toLongLong();
    chunk.documentId = row.value(1).toLongLong();
    chunk.draft.ordinal = row.value(2).toInt();
    chunk.draft.text = row.value(3).toString();
    chunk.draft.headingPath = row.value(4).toString();
    chunk.draft.page = row.value(5).toInt();
    chunk.draft.start = row.value(6).toLongLong();
    chunk.draft.end = row.value(7).toLongLong();
    chunk.draft.tokenCount = row.value(8).toInt();
    chunk.enabled = row.value(9).toBool();
    return chunk;
}
} // namespace

ChunkStore::ChunkStore(std::shared_ptr<IndexDatabase> database)
    : m_database(std::move(database))
{
}

// Each call copies m_database into its frame before the first await, so the frame keeps the
// database alive on its own and never touches this store again.

QCoro::Task<Result<QList<ChunkRecord>>> ChunkStore::chunks(qint64 documentId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([documentId](QSqlDatabase &db) -> Result<QList<ChunkRecord>> {
        SqlStatement select(db, loadFailed());
        return select.selectAll<ChunkRecord>(
            u"SELECT id, document_id, ordinal, text, heading_path, page, start_offset, end_offset, token_count, enabled"
            " FROM chunks WHERE document_id = ? ORDER BY ordinal"_s,
            {documentId}, readChunk);
    });
}

QCoro::Task<Result<QString>> ChunkStore::documentText(qint64 documentId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([documentId](QSqlDatabase &db) -> Result<QString> {
        SqlStatement select(db, u"Could not load the document's text"_s);
        if (auto done = select.exec(u"SELECT text FROM document_text WHERE document_id = ?"_s, {documentId}); !done)
            return std::unexpected(done.error());
        if (!select.next()) {
            return fail(Error::Kind::Database,
                        u"Could not load the document's text: it has not been indexed yet, or it was removed."_s,
                        u"no document_text row for %1"_s.arg(documentId));
        }
        return select.value(0).toString();
    });
}

QCoro::Task<Result<void>> ChunkStore::updateChunk(qint64 chunkId, QString sql, QVariantList values)
{
    const auto database = m_database;
    co_return co_await database->writer().run(
        [chunkId, sql = std::move(sql), values = std::move(values)](QSqlDatabase &db) -> Result<void> {
            SqlStatement update(db, u"Could not change the chunk"_s);
            if (auto done = update.exec(sql, values); !done)
                return done;
            if (update.rowsAffected() == 0) {
                return fail(Error::Kind::Database,
                            u"Could not change the chunk: it no longer exists (its document was re-indexed or "
                            "removed). Reload the document and try again."_s,
                            u"no chunk %1"_s.arg(chunkId));
            }
            return {};
        });
}

QCoro::Task<Result<void>> ChunkStore::setEnabled(qint64 chunkId, bool enabled)
{
    // Setting the same value again re-runs the trigger (delete + insert of the same entry), which
    // is harmless, and keeps "no such chunk" distinguishable from "nothing to do".
    return updateChunk(chunkId, u"UPDATE chunks SET enabled = ? WHERE id = ?"_s, {enabled ? 1 : 0, chunkId});
}

QCoro::Task<Result<void>> ChunkStore::updateText(qint64 chunkId, QString text, int tokenCount)
{
    return updateChunk(chunkId, u"UPDATE chunks SET text = ?, token_count = ? WHERE id = ?"_s,
                       {SqlStatement::notNull(text), tokenCount, chunkId});
}

QCoro::Task<Result<qint64>> ChunkStore::chunkCount(qint64 knowledgeBaseId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([knowledgeBaseId](QSqlDatabase &db) -> Result<qint64> {
        SqlStatement select(db, loadFailed());
        // The knowledge base's documents first, then their chunks through chunks_by_document.
        if (auto done = select.exec(u"SELECT count(*) FROM chunks WHERE document_id IN"
                                    " (SELECT id FROM documents WHERE knowledge_base_id = ?)"_s,
                                    {knowledgeBaseId});
            !done)
            return std::unexpected(done.error());
        return select.next() ? select.value(0).toLongLong() : 0;
    });
}

} // namespace ragdesk
