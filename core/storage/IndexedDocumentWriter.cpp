#include "core/storage/IndexedDocumentWriter.h"

#include "core/storage/SqlTransaction.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString what()
{
    return u"Could not store the indexed documents"_s;
}
} // namespace

IndexedDocumentWriter::IndexedDocumentWriter(QSqlDatabase &db)
    : m_db(db)
    , m_updateDocument(db, what())
    , m_deleteChunks(db, what())
    , m_upsertText(db, what())
    , m_insertChunk(db, what())
{
}

Result<void> IndexedDocumentWriter::prepare()
{
    // A row that went back to 'queued' while it was being read (the file changed again) keeps
    // its status and its newer size/mtime: the chunks stored now keep it searchable until the
    // re-index replaces them.
    for (auto [statement, sql] : {
             std::pair{&m_updateDocument,
                       u"UPDATE documents SET title = ?, mime = ?, hash = ?, page_count = ?, chunk_count = ?,"
                       " error = NULL, indexed_at = ?, updated_at = ?,"
                       " size = CASE WHEN status = 'queued' THEN size ELSE ? END,"
                       " mtime = CASE WHEN status = 'queued' THEN mtime ELSE ? END,"
                       " status = CASE WHEN status = 'queued' THEN 'queued' ELSE 'indexed' END"
                       " WHERE id = ?"_s},
             std::pair{&m_deleteChunks, u"DELETE FROM chunks WHERE document_id = ?"_s},
             std::pair{&m_upsertText, u"INSERT INTO document_text (document_id, text) VALUES (?, ?)"
                                      " ON CONFLICT (document_id) DO UPDATE SET text = excluded.text"_s},
             // Indexed below for the whole batch in one statement; see write().
             std::pair{&m_insertChunk, u"INSERT INTO chunks (document_id, ordinal, text, heading_path, page,"
                                       " start_offset, end_offset, token_count, enabled, language)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"_s},
         }) {
        if (auto prepared = statement->prepare(sql); !prepared)
            return prepared;
    }
    return {};
}

Result<QList<qint64>> IndexedDocumentWriter::write(const QList<IndexedDocument> &documents)
{
    SqlTransaction transaction(m_db, what());
    if (auto begun = transaction.begin(); !begun)
        return std::unexpected(begun.error());
    if (auto prepared = prepare(); !prepared)
        return std::unexpected(prepared.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<qint64> stored;
    for (const IndexedDocument &document : documents) {
        auto written = writeOne(document, now);
        if (!written)
            return std::unexpected(written.error());
        if (*written)
            stored.append(document.documentId);
    }
    // The chunks enter the keyword index here, in one INSERT ... SELECT for the whole batch:
    // FTS5 flushes its in-memory index at the end of every statement, so indexing row by row
    // (a trigger per insert) wrote many tiny segments and was several times slower (measured).
    SqlStatement index(m_db, what());
    if (auto done = index.exec(u"INSERT INTO chunks_fts(rowid, text, heading_path)"
                               " SELECT id, char(1) || language || char(1) || text,"
                               "  char(1) || language || char(1) || heading_path FROM chunks"
                               " WHERE document_id IN (SELECT value FROM json_each(?))"_s,
                               {SqlStatement::jsonIds(stored)});
        !done)
        return std::unexpected(done.error());
    if (auto committed = transaction.commit(); !committed)
        return std::unexpected(committed.error());
    return stored;
}

Result<bool> IndexedDocumentWriter::writeOne(const IndexedDocument &document, qint64 now)
{
    const auto &chunks = document.chunked.chunks;
    if (auto done = m_updateDocument.run({SqlStatement::notNull(document.title),
                                          SqlStatement::notNull(document.mimeType),
                                          SqlStatement::textOrNull(QString::fromLatin1(document.contentHash)),
                                          document.pageCount, int(chunks.size()), now, now, document.size,
                                          SqlStatement::toMs(document.modifiedAt), document.documentId});
        !done)
        return std::unexpected(done.error());
    if (m_updateDocument.rowsAffected() == 0)
        return false; // deleted while it was being read: nothing to attach the chunks to
    // Deleting through the trigger removes the old chunks from the keyword index too.
    if (auto done = m_deleteChunks.run({document.documentId}); !done)
        return std::unexpected(done.error());
    if (auto done = m_upsertText.run({document.documentId, SqlStatement::notNull(document.chunked.text)}); !done)
        return std::unexpected(done.error());
    for (const ChunkDraft &chunk : chunks) {
        if (auto done = m_insertChunk.run({document.documentId, chunk.ordinal, SqlStatement::notNull(chunk.text),
                                           SqlStatement::notNull(chunk.headingPath), chunk.page, qint64(chunk.start),
                                           qint64(chunk.end), chunk.tokenCount,
                                           SqlStatement::notNull(document.language)});
            !done)
            return std::unexpected(done.error());
    }
    return true;
}

} // namespace ragdesk
