#pragma once

#include "core/foundation/Error.h"

#include <QCoroTask>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <span>

namespace ragdesk {

class IndexDatabase;

/// A chunk that still needs its vector.
struct ChunkText {
    qint64 chunkId = 0;
    qint64 documentId = 0;
    QString text;
};

/// How far a knowledge base's chunks are embedded with one model.
struct EmbeddingCoverage {
    qint64 embedded = 0;
    qint64 total = 0; ///< enabled chunks
    [[nodiscard]] bool isComplete() const { return embedded >= total; }
};

/// Embedding vectors in index.db (chunk_vectors), per chunk and model. Vectors are float32 in
/// the machine's byte order: index.db is a local cache that never moves between machines.
class VectorStore
{
public:
    explicit VectorStore(std::shared_ptr<IndexDatabase> database);

    /// The id of @p model, created on first use with @p dimensions. A model that answers with a
    /// different dimension than it did before is refused: its old vectors would not compare.
    QCoro::Task<Result<qint64>> modelId(QString model, int dimensions);

    /// Up to @p limit enabled chunks of @p knowledgeBaseId without a vector of @p model, in id
    /// order after @p afterChunkId (a cursor, so a long backfill never rescans what it did).
    QCoro::Task<Result<QList<ChunkText>>> unembedded(qint64 knowledgeBaseId, QString model, qint64 afterChunkId,
                                                     int limit);

    /// Stores one vector per chunk; chunks deleted since they were read are skipped.
    QCoro::Task<Result<int>> store(qint64 modelId, QList<qint64> chunkIds, QList<QList<float>> vectors);

    QCoro::Task<Result<EmbeddingCoverage>> coverage(qint64 knowledgeBaseId, QString model);

    /// Drops every vector of @p model (a knowledge base moved to another one).
    QCoro::Task<Result<int>> removeModel(QString model);

    /// One row of loadModel(): a chunk, its document and its vector.
    using RowSink = std::function<void(qint64 chunkId, qint64 documentId, std::span<const float> vector)>;
    /// Streams every vector of @p model to @p sink, in chunk order; for VectorIndex's lazy load.
    /// Returns the model's dimension (0 if it has no vectors yet). Reader threads only.
    static Result<int> loadModel(QSqlDatabase &db, const QString &model, const RowSink &sink);

private:
    std::shared_ptr<IndexDatabase> m_database;
};

} // namespace ragdesk
