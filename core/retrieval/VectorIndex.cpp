#include "core/retrieval/VectorIndex.h"

#include "core/retrieval/VectorMatrix.h"
#include "core/retrieval/VectorScan.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/VectorStore.h"

#include <QCoroFuture>
#include <QReadWriteLock>
#include <QPromise>
#include <QtConcurrentRun>

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace ragdesk {

/// A search waiting for the next pass over its model's matrix.
struct VectorIndex::WaitingSearch {
    WaitingSearch(QList<float> vector, int count, std::optional<QSet<qint64>> documents)
        : query(std::move(vector))
        , k(count)
        , allowed(std::move(documents))
    {
    }

    QList<float> query;
    int k;
    std::optional<QSet<qint64>> allowed;
    QPromise<Result<QList<StageHit>>> promise;
};

/// One model's matrix, the changes queued for it and the searches waiting for a scan.
struct VectorIndex::Model {
    QReadWriteLock lock;             ///< readers: scans; writer: load and queued changes
    std::unique_ptr<VectorMatrix> matrix;
    std::atomic<bool> loaded = false; ///< set once; read without a lock to skip the reader hop
    QMutex loadMutex;                ///< one load at a time; searches meanwhile skip vectors

    QMutex pendingMutex;             ///< guards the two queues below, held only to swap them
    QList<VectorRow> pendingRows;
    QSet<qint64> pendingForgets;

    /// Searches that arrive while a scan runs wait for the next one and are then answered by a
    /// single pass over the matrix (VectorScan::searchMany): twenty concurrent chat turns cost
    /// one pass that reads each block of rows once, instead of twenty scans queued on the pool
    /// (21 ms against 36 ms at 10^5 rows, docs/BENCHMARKS.md). At most one scanner runs per model.
    QMutex waitingMutex;             ///< guards the two members below
    std::vector<std::shared_ptr<WaitingSearch>> waiting;
    bool scanning = false;

    /// Runs on a pool thread until no search waits; each round scans for every waiting search.
    void scanWhileSearchesWait()
    {
        for (;;) {
            std::vector<std::shared_ptr<WaitingSearch>> batch;
            {
                QMutexLocker locker(&waitingMutex);
                if (waiting.empty()) {
                    scanning = false;
                    return;
                }
                batch.swap(waiting);
            }
            answer(batch);
        }
    }

    void answer(const std::vector<std::shared_ptr<WaitingSearch>> &batch)
    {
        {
            QWriteLocker writer(&lock);
            applyPending();
        }
        QReadLocker reader(&lock);
        std::vector<VectorQuery> queries;
        std::vector<WaitingSearch *> asking;
        for (const auto &search : batch) {
            if (!matrix || matrix->isEmpty()) {
                answerWith(*search, {});
            } else if (search->query.size() != matrix->dimensions()) {
                refuse(*search, Error{Error::Kind::Configuration,
                                      u"The query vector has %1 dimensions but the stored vectors have %2; the "
                                      "embedding model answers differently than when the documents were embedded."_s
                                          .arg(search->query.size())
                                          .arg(matrix->dimensions())});
            } else {
                queries.push_back({std::span<const float>(search->query.constData(), size_t(search->query.size())),
                                   search->k, search->allowed ? &*search->allowed : nullptr});
                asking.push_back(search.get());
            }
        }
        if (queries.empty())
            return;
        std::vector<QList<StageHit>> hits = VectorScan::searchMany(*matrix, queries);
        for (size_t i = 0; i < asking.size(); ++i)
            answerWith(*asking[i], std::move(hits[i]));
    }

    // Built in place rather than moved in as a Result: GCC 14 warns, wrongly, that the moved
    // std::expected may be uninitialised (see the other -Wmaybe-uninitialized notes).
    static void answerWith(WaitingSearch &search, QList<StageHit> hits)
    {
        search.promise.emplaceResult(std::move(hits));
        search.promise.finish();
    }

    static void refuse(WaitingSearch &search, Error error)
    {
        search.promise.emplaceResult(std::unexpect, std::move(error));
        search.promise.finish();
    }

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

    // The first search of a model loads it on a reader thread. Later ones skip the hop: under
    // load the reader threads are busy with keyword searches, and waiting behind them for a
    // check that cannot fail added tens of milliseconds to every vector search.
    if (!target->loaded.load(std::memory_order_acquire)) {
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
            target->loaded.store(true, std::memory_order_release);
            return {};
        });
        if (!loaded)
            co_return std::unexpected(loaded.error());
    }

    if (allowedDocuments && allowedDocuments->isEmpty())
        co_return QList<StageHit>{};
    auto waiting = std::make_shared<WaitingSearch>(std::move(query), k, std::move(allowedDocuments));
    QFuture<Result<QList<StageHit>>> answer = waiting->promise.future();
    waiting->promise.start();
    bool startScanner = false;
    {
        QMutexLocker locker(&target->waitingMutex);
        target->waiting.push_back(std::move(waiting));
        startScanner = !std::exchange(target->scanning, true);
    }
    if (startScanner)
        QThreadPool::globalInstance()->start([target] { target->scanWhileSearchesWait(); });
    co_return co_await answer;
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
