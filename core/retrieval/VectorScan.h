#pragma once

#include "core/retrieval/HitFusion.h"

#include <QList>
#include <QSet>

#include <span>
#include <vector>

class QThreadPool;

namespace ragdesk {

class VectorMatrix;

/// How the exact scan computes scores.
enum class VectorScanMode {
    /// float32 dot products over every row.
    Float32,
    /// int8 dot products over every row pick oversample * k candidates, which are then rescored
    /// in float32. A quarter of the memory traffic; returned scores are the exact float32 ones.
    Int8Rescored,
};

/// What one exact search asks for.
struct VectorScanOptions {
    int k = 50;
    VectorScanMode mode = VectorScanMode::Int8Rescored; ///< faster at equal recall (see the bench)
    int oversample = 4;                                 ///< Int8Rescored: candidates per hit kept
    /// Only rows of these documents; null or empty: every row. Not owned.
    const QSet<qint64> *allowedDocumentIds = nullptr;
    /// Threads that scan, the caller included; 0: as many as the pool has, but no more than one
    /// per minRowsPerThread rows (below that the thread hop costs more than it saves).
    int threads = 0;
    QThreadPool *pool = nullptr; ///< null: QThreadPool::globalInstance()
};

/// One query of a batch (VectorScan::searchMany).
struct VectorQuery {
    std::span<const float> vector; ///< any length > 0, normalised by the scan
    int k = 50;
    /// Only rows of these documents; null or empty: every row. Not owned.
    const QSet<qint64> *allowedDocumentIds = nullptr;
};

/// Exact nearest-neighbour search over a VectorMatrix: every row is scored with SIMD dot
/// products on several threads, each keeping its own top k, and the tops are merged.
/// Pure with respect to the matrix (const reads only), so it runs under the owner's read lock.
class VectorScan
{
public:
    static constexpr qsizetype minRowsPerThread = 16'384;

    /// The @p options.k rows most similar to @p query (any length > 0, normalised here), best
    /// first by cosine similarity, ties by row order. Empty when the query has the wrong
    /// dimension or no direction.
    static QList<StageHit> search(const VectorMatrix &matrix, std::span<const float> query,
                                  const VectorScanOptions &options = {});

    /// Each of @p queries, as search() would answer it, in one pass over the matrix: a block of
    /// rows is read from memory once and scored for every query while it is in the core's cache,
    /// so n queries together cost less than n alone (docs/BENCHMARKS.md).
    /// From @p options only the mode, oversampling, threads and pool apply; k and the document
    /// filter are each query's own. Results are in the order of @p queries.
    static std::vector<QList<StageHit>> searchMany(const VectorMatrix &matrix, std::span<const VectorQuery> queries,
                                                   const VectorScanOptions &options = {});
};

} // namespace ragdesk
