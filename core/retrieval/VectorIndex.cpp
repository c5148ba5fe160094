#include "core/retrieval/VectorIndex.h"

#include "core/retrieval/VectorMatrix.h"
#include "core/retrieval/VectorScan.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/VectorStore.h"

#include <QCoroFuture>
#include <QReadWriteLock>
#include <QtConcurrentRun>

#include <mutex>

using namespace Qt::StringLiterals;

namespace ragdesk {

/// One model's matrix and the changes queued for it.
struct VectorIndex::Model {
    QReadWriteLock lock;             ///< readers: scans; writer: load and queued changes
    std::unique_ptr<VectorMatrix> matrix;
    bool loaded = false;
    QMutex loadMutex;                ///< one load at a time; searches meanwhile skip vectors

    QMutex pendingMutex;             ///< guards the two queues below, held only to swap them
    QList<VectorRow> pendingRows;
    QSet<qint64> pendingForgets;

    /// Applies queued changes; the caller holds the write lock.
    void applyPending()
    {
        QList<VectorRow> rows;
        QSet<qint64> forgets;
        {
            QMutexLocker locker(&pendingMutex);
            rows.swap(pendingRows);
            forgets.swap(pendingForgets);
        }
        if (!matrix && !rows.isEmpty()) // the first vectors of a model that had none when loaded
            matrix = std::make_unique<VectorMatrix>(int(rows.first().vector.size()));
        if (!matrix)
            return;
        if (!forgets.isEmpty())
            matrix->removeDocuments(forgets);
        if (rows.isEmpty())
            return;
        // A chunk embedded again (a retried batch) replaces its row instead of doubling it.
        QSet<qint64> replaced;
        for (const VectorRow &row : std::as_const(rows))
            replaced.insert(row.chunkId);
        matrix->removeChunks(replaced);
        for (const VectorRow &row : std::as_const(rows))
            matrix->append(row.chunkId, row.documentId, row.vector);
    }
};

VectorIndex::VectorIndex(std::shared_ptr<IndexDatabase> database)
    : m_database(std::move(database))
{
}

VectorIndex::~VectorIndex() = default;

std::shared_ptr<VectorIndex::Model> VectorIndex::model(const QString &name)
{
    QMutexLocker locker(&m_mutex);
    auto &slot = m_models[name];
    if (!slot)
        slot = std::make_shared<Model>();
    return slot;
}

qsizetype VectorIndex::size(const QString &name) const
{
    std::shared_ptr<Model> found;
    {
        QMutexLocker locker(&m_mutex);
        const auto it = m_models.find(name);
        if (it == m_models.end())
            return 0;
        found = it->second;
    }
    // tryLockForRead: a caller on the UI thread must never wait behind a load or a scan.
    if (!found->lock.tryLockForRead())
        return -1;
    const qsizetype rows = found->matrix ? found->matrix->size() : 0;
    found->lock.unlock();
    return rows;
}

void VectorIndex::add(const QString &name, QList<VectorRow> rows)
{
    const auto target = model(name);
    QMutexLocker locker(&target->pendingMutex);
    target->pendingRows.append(std::move(rows));
}

void VectorIndex::forgetDocuments(const QSet<qint64> &documentIds)
{
    QMutexLocker locker(&m_mutex);
    for (auto &[name, entry] : m_models) {
        QMutexLocker pending(&entry->pendingMutex);
        entry->pendingForgets.unite(documentIds);
        // A queued vector of a forgotten document is stale too.
        entry->pendingRows.removeIf([&](const VectorRow &row) { return documentIds.contains(row.documentId); });
    }
}

QCoro::Task<Result<QList<StageHit>>> VectorIndex::search(QString name, QList<float> query,
                                                         std::optional<QSet<qint64>> allowedDocuments, int k)
{
    const auto target = model(name);
    const auto database = m_database;

    // The first search of a model loads it on a reader thread; later ones skip this at once.
    auto loaded = co_await database->readers().run([target, name](QSqlDatabase &db) -> Result<void> {
        // A second search while the first loads is answered by keywords instead of waiting: a
        // reader thread blocked here for seconds (10^6 vectors) would hold up every other read.
        std::unique_lock loading(target->loadMutex, std::try_to_lock);
        if (!loading.owns_lock())
            return fail(Error::Kind::Unknown, u"the vectors are still being loaded into memory."_s);
        if (target->loaded)
            return {};
        std::unique_ptr<VectorMatrix> matrix;
        auto dimensions = VectorStore::loadModel(db, name, [&matrix](qint64 chunk, qint64 document,
                                                                     std::span<const float> vector) {
            if (!matrix)
                matrix = std::make_unique<VectorMatrix>(int(vector.size()));
            matrix->append(chunk, document, vector);
        });
        if (!dimensions)
            return std::unexpected(dimensions.error());
        QWriteLocker writer(&target->lock);
        target->matrix = std::move(matrix);
        target->loaded = true;
        return {};
    });
    if (!loaded)
        co_return std::unexpected(loaded.error());

    co_return co_await QtConcurrent::run([target, query = std::move(query), allowed = std::move(allowedDocuments),
                                          k]() -> Result<QList<StageHit>> {
        {
            QWriteLocker writer(&target->lock);
            target->applyPending();
        }
        QReadLocker reader(&target->lock);
        if (!target->matrix || target->matrix->isEmpty() || (allowed && allowed->isEmpty()))
            return QList<StageHit>{};
        if (query.size() != target->matrix->dimensions()) {
            return fail(Error::Kind::Configuration,
                        u"The query vector has %1 dimensions but the stored vectors have %2; the embedding "
                        "model answers differently than when the documents were embedded."_s.arg(query.size())
                            .arg(target->matrix->dimensions()));
        }
        VectorScanOptions options;
        options.k = k;
        options.allowedDocumentIds = allowed ? &*allowed : nullptr;
        return VectorScan::search(*target->matrix, query, options);
    });
}

QCoro::Task<QHash<qint64, double>> VectorIndex::similarities(QString name, QList<float> query, QList<qint64> chunkIds)
{
    const auto target = model(name);
    co_return co_await QtConcurrent::run(&m_lookupPool, [target, query = std::move(query), chunkIds = std::move(chunkIds)] {
        QHash<qint64, double> result;
        QReadLocker reader(&target->lock);
        const VectorMatrix *matrix = target->matrix.get();
        if (!matrix || chunkIds.isEmpty() || query.size() != matrix->dimensions())
            return result;
        std::vector<float> unit(size_t(query.size()));
        if (!VectorMatrix::normalise(query, unit))
            return result;
        for (const qint64 chunkId : chunkIds) {
            const qsizetype row = matrix->rowOf(chunkId);
            if (row < 0)
                continue;
            const std::span<const float> values = matrix->row(row);
            double dot = 0;
            for (size_t i = 0; i < values.size(); ++i)
                dot += double(values[i]) * double(unit[i]);
            result.insert(chunkId, dot);
        }
        return result;
    });
}

} // namespace ragdesk
