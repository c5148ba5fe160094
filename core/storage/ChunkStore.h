#pragma once

#include "core/foundation/Error.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class IndexDatabase;

/// The stored chunks of documents in index.db, as the chunk browser sees and edits them.
/// Enabling, disabling and editing keep the keyword index in step through the schema's
/// triggers: a disabled chunk is absent from it. Writes on the writer thread, reads on readers.
class ChunkStore
{
public:
    explicit ChunkStore(std::shared_ptr<IndexDatabase> database);

    /// In ordinal order.
    QCoro::Task<Result<QList<ChunkRecord>>> chunks(qint64 documentId);
    /// The extracted text the chunks' offsets point into; an error when the document has none.
    QCoro::Task<Result<QString>> documentText(qint64 documentId);
    QCoro::Task<Result<void>> setEnabled(qint64 chunkId, bool enabled);
    /// Replaces the chunk's text (the offsets keep pointing at the original extract).
    QCoro::Task<Result<void>> updateText(qint64 chunkId, QString text, int tokenCount);
    /// Stored chunks of a knowledge base, enabled or not.
    QCoro::Task<Result<qint64>> chunkCount(qint64 knowledgeBaseId);

private:
    QCoro::Task<Result<void>> updateChunk(qint64 chunkId, QString sql, QVariantList values);

    std::shared_ptr<IndexDatabase> m_database;
};

} // namespace ragdesk
