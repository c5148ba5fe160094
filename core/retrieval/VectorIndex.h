#pragma once

#include "core/foundation/Error.h"
#include "core/retrieval/HitFusion.h"

#include <QCoroTask>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QThreadPool>
#include <QSet>
#include <QString>

#include <map>
#include <memory>
#include <optional>

namespace ragdesk {

class IndexDatabase;

/// A vector on its way into the index: which chunk and document it belongs to.
struct VectorRow {
    qint64 chunkId = 0;
    qint64 documentId = 0;
    QList<float> vector;
};

/// The vector stage: each embedding model's vectors in memory (VectorMatrix), loaded from
/// index.db on the first search that needs them, and searched with the exact multi-threaded
/// scan (VectorScan) on the CPU pool. Searches that arrive while a scan runs share the next one.
///
/// Kept current without ever blocking the UI thread: add() and forgetDocuments() only queue
/// the change under a short mutex; the next search applies queued changes under the model's
/// write lock on its worker thread before it scans. Rows of chunks deleted in other ways (a
/// removed knowledge base) stay until the next load and are dropped when the hits are loaded.
class VectorIndex
{
public:
    explicit VectorIndex(std::shared_ptr<IndexDatabase> database);
    ~VectorIndex();

    VectorIndex(const VectorIndex &) = delete;
    VectorIndex &operator=(const VectorIndex &) = delete;

    /// The @p k rows of @p model most similar to @p query, among @p allowedDocuments (nullopt:
    /// all). The first call for a model loads its vectors on a reader thread; calls during that
    /// load fail at once (the retriever then answers by keywords) rather than wait for it.
    QCoro::Task<Result<QList<StageHit>>> search(QString model, QList<float> query,
                                                std::optional<QSet<qint64>> allowedDocuments, int k);

    /// Cosine similarity of @p query to each of @p chunkIds that has a vector of @p model (a
    /// pass over the chunk ids, no scoring of other rows). For a model not loaded yet: empty.
    QCoro::Task<QHash<qint64, double>> similarities(QString model, QList<float> query, QList<qint64> chunkIds);

    /// Vectors the backfill has just stored. Ignored for a model not loaded yet: its load reads them.
    void add(const QString &model, QList<VectorRow> rows);
    /// Rows of these documents are stale (their chunks were replaced or deleted).
    void forgetDocuments(const QSet<qint64> &documentIds);
    /// Rows of @p model held in memory; 0 until its first search.
    [[nodiscard]] qsizetype size(const QString &model) const;

private:
    struct WaitingSearch;
    struct Model;
    std::shared_ptr<Model> model(const QString &name);

    std::shared_ptr<IndexDatabase> m_database;
    mutable QMutex m_mutex; ///< guards m_models, never held across work
    std::map<QString, std::shared_ptr<Model>> m_models;
    /// similarities() runs here, not on the global pool: it is a few dozen dot products, and
    /// behind twenty concurrent scans on the global pool it waited longer than the scans took.
    QThreadPool m_lookupPool;
};

} // namespace ragdesk
