#pragma once

#include "core/foundation/Error.h"
#include "core/storage/KnowledgeBaseTypes.h"
#include "core/storage/SqlStatement.h"

namespace ragdesk {

/// Writes a batch of extraction results into index.db on the writer connection: one BEGIN
/// IMMEDIATE transaction, every statement prepared once and reused for every row of the batch.
/// Used by DocumentStore::storeIndexed; runs on the writer thread only.
class IndexedDocumentWriter
{
public:
    explicit IndexedDocumentWriter(QSqlDatabase &db);

    /// Replaces each document's chunks and text and marks it indexed. Ids that no longer exist
    /// (deleted while queued) are skipped; returns the ids actually stored. All or nothing.
    Result<QList<qint64>> write(const QList<IndexedDocument> &documents);

private:
    Result<void> prepare();
    /// False when the document row is gone.
    Result<bool> writeOne(const IndexedDocument &document, qint64 now);

    QSqlDatabase &m_db;
    SqlStatement m_updateDocument;
    SqlStatement m_deleteChunks;
    SqlStatement m_upsertText;
    SqlStatement m_insertChunk;
};

} // namespace ragdesk
