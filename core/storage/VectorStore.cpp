#include "core/storage/VectorStore.h"

#include "core/storage/IndexDatabase.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/SqlTransaction.h"

#include <QCoroFuture>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QByteArray blobOf(const QList<float> &vector)
{
    return QByteArray(reinterpret_cast<const char *>(vector.constData()), vector.size() * qsizetype(sizeof(float)));
}
} // namespace

VectorStore::VectorStore(std::shared_ptr<IndexDatabase> database)
    : m_database(std::move(database))
{
}

QCoro::Task<Result<qint64>> VectorStore::modelId(QString model, int dimensions)
{
    const auto database = m_database;
    co_return co_await database->writer().run([model = std::move(model), dimensions](QSqlDatabase &db) -> Result<qint64> {
        SqlStatement select(db, u"Could not look up the embedding model"_s);
        if (auto done = select.exec(u"SELECT id, dimensions FROM embedding_models WHERE name = ?"_s, {model}); !done)
            return std::unexpected(done.error());
        if (select.next()) {
            const int stored = select.value(1).toInt();
            if (stored != dimensions) {
                return fail(Error::Kind::Configuration,
                            u"The embedding model %1 now returns vectors of %2 dimensions, but the stored ones have %3. "
                            "Choose the model again in the knowledge base settings to re-embed."_s.arg(model)
                                .arg(dimensions)
                                .arg(stored));
            }
            return select.value(0).toLongLong();
        }
        SqlStatement insert(db, u"Could not record the embedding model"_s);
        if (auto done = insert.exec(u"INSERT INTO embedding_models (name, dimensions) VALUES (?, ?)"_s, {model, dimensions});
            !done)
            return std::unexpected(done.error());
        return insert.lastInsertId();
    });
}

QCoro::Task<Result<QList<ChunkText>>> VectorStore::unembedded(qint64 knowledgeBaseId, QString model, qint64 afterChunkId,
                                                              int limit)
{
    const auto database = m_database;
    co_return co_await database->readers().run(
        [knowledgeBaseId, model = std::move(model), afterChunkId, limit](QSqlDatabase &db) -> Result<QList<ChunkText>> {
            SqlStatement select(db, u"Could not read the chunks to embed"_s);
            return select.selectAll<ChunkText>(
                u"SELECT c.id, c.document_id, c.text FROM documents d JOIN chunks c ON c.document_id = d.id"
                " WHERE d.knowledge_base_id = ? AND c.enabled AND c.id > ?"
                " AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id"
                "  AND v.model_id = (SELECT id FROM embedding_models WHERE name = ?))"
                " ORDER BY c.id LIMIT ?"_s,
                {knowledgeBaseId, afterChunkId, model, limit},
                [](const SqlStatement &row) {
                    return ChunkText{row.value(0).toLongLong(), row.value(1).toLongLong(), row.value(2).toString()};
                });
        });
}

QCoro::Task<Result<int>> VectorStore::store(qint64 modelId, QList<qint64> chunkIds, QList<QList<float>> vectors)
{
    if (chunkIds.size() != vectors.size())
        co_return fail(Error::Kind::Unknown, u"Each chunk needs exactly one vector."_s);
    const auto database = m_database;
    co_return co_await database->writer().run(
        [modelId, chunkIds = std::move(chunkIds), vectors = std::move(vectors)](QSqlDatabase &db) -> Result<int> {
            const QString what = u"Could not store the embedding vectors"_s;
            SqlTransaction transaction(db, what);
            if (auto begun = transaction.begin(); !begun)
                return std::unexpected(begun.error());
            // INSERT ... SELECT skips a chunk deleted (re-indexed) while it was being embedded.
            SqlStatement insert(db, what);
            if (auto prepared = insert.prepare(u"INSERT OR REPLACE INTO chunk_vectors (model_id, chunk_id, vector)"
                                               " SELECT ?, id, ? FROM chunks WHERE id = ?"_s);
                !prepared)
                return std::unexpected(prepared.error());
            int stored = 0;
            for (qsizetype i = 0; i < chunkIds.size(); ++i) {
                if (auto done = insert.run({modelId, blobOf(vectors.at(i)), chunkIds.at(i)}); !done)
                    return std::unexpected(done.error());
                stored += insert.rowsAffected() > 0 ? 1 : 0;
            }
            if (auto committed = transaction.commit(); !committed)
                return std::unexpected(committed.error());
            return stored;
        });
}

QCoro::Task<Result<EmbeddingCoverage>> VectorStore::coverage(qint64 knowledgeBaseId, QString model)
{
    const auto database = m_database;
    co_return co_await database->readers().run(
        [knowledgeBaseId, model = std::move(model)](QSqlDatabase &db) -> Result<EmbeddingCoverage> {
            SqlStatement select(db, u"Could not count the embedded chunks"_s);
            if (auto done = select.exec(
                    u"SELECT count(*), count(v.chunk_id) FROM documents d JOIN chunks c ON c.document_id = d.id"
                    " LEFT JOIN chunk_vectors v ON v.chunk_id = c.id"
                    "  AND v.model_id = (SELECT id FROM embedding_models WHERE name = ?)"
                    " WHERE d.knowledge_base_id = ? AND c.enabled"_s,
                    {model, knowledgeBaseId});
                !done)
                return std::unexpected(done.error());
            if (!select.next())
                return EmbeddingCoverage{};
            return EmbeddingCoverage{select.value(1).toLongLong(), select.value(0).toLongLong()};
        });
}

QCoro::Task<Result<int>> VectorStore::removeModel(QString model)
{
    const auto database = m_database;
    co_return co_await database->writer().run([model = std::move(model)](QSqlDatabase &db) -> Result<int> {
        SqlStatement remove(db, u"Could not remove the old embedding vectors"_s);
        // The vectors go with the model through ON DELETE CASCADE.
        if (auto done = remove.exec(u"DELETE FROM embedding_models WHERE name = ?"_s, {model}); !done)
            return std::unexpected(done.error());
        return remove.rowsAffected();
    });
}

Result<int> VectorStore::loadModel(QSqlDatabase &db, const QString &model, const RowSink &sink)
{
    SqlStatement dimensions(db, u"Could not load the embedding vectors"_s);
    if (auto done = dimensions.exec(u"SELECT id, dimensions FROM embedding_models WHERE name = ?"_s, {model}); !done)
        return std::unexpected(done.error());
    if (!dimensions.next())
        return 0;
    const qint64 modelId = dimensions.value(0).toLongLong();
    const int dimension = dimensions.value(1).toInt();
    SqlStatement select(db, u"Could not load the embedding vectors"_s);
    select.query().setForwardOnly(true); // millions of rows: stream them, never cache them
    if (auto done = select.exec(u"SELECT v.chunk_id, c.document_id, v.vector FROM chunk_vectors v"
                                " JOIN chunks c ON c.id = v.chunk_id WHERE v.model_id = ? AND c.enabled"
                                " ORDER BY v.chunk_id"_s,
                                {modelId});
        !done)
        return std::unexpected(done.error());
    while (select.next()) {
        const QByteArray blob = select.value(2).toByteArray();
        if (blob.size() != qsizetype(dimension) * qsizetype(sizeof(float)))
            continue; // a torn row can only come from a damaged file; the backfill re-embeds it
        sink(select.value(0).toLongLong(), select.value(1).toLongLong(),
             std::span<const float>(reinterpret_cast<const float *>(blob.constData()), size_t(dimension)));
    }
    return dimension;
}

} // namespace ragdesk
