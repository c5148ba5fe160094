#pragma once

#include "core/retrieval/HitFusion.h"

#include <QList>
#include <QSet>

#include <memory>
#include <span>
#include <vector>

class QThreadPool;

namespace hnswlib {
template<typename dist_t>
class HierarchicalNSW;
class InnerProductSpace;
} // namespace hnswlib

namespace ragdesk {

class VectorMatrix;

/// Graph parameters of the approximate index. Measured on clustered 384-d data with
/// ragdesk-bench-vectors: recall@10 against the exact scan was 0.85 at ef 96, 0.95 at ef 256 and
/// 0.98 at ef 384 for 10^6 rows (1.00 from ef 32 at 10^5), at about 1 ms a query.
struct HnswParameters {
    int m = 16;               ///< links per node: memory and build time against recall
    int efConstruction = 100; ///< candidate list while building
    int efSearch = 384;       ///< candidate list while searching (raised to k when smaller)
};

/// An approximate nearest-neighbour index (hnswlib, inner product over unit vectors, so
/// 1 - distance is the cosine) built from a snapshot of a VectorMatrix. Labels are the matrix's
/// row indices at build time; the index keeps its own copy of each row's chunk and document id,
/// so later writes to the matrix do not corrupt it, but it does not see them: the owner rebuilds
/// (or falls back to the exact scan) after writes.
///
/// Threading: search() may run on several threads at once; build() needs exclusive access.
class HnswVectorIndex
{
public:
    explicit HnswVectorIndex(HnswParameters parameters = {});
    ~HnswVectorIndex();
    HnswVectorIndex(const HnswVectorIndex &) = delete;
    HnswVectorIndex &operator=(const HnswVectorIndex &) = delete;

    /// Replaces the index with one over every row of @p matrix, inserting on @p threads threads
    /// (0: all of the pool's) of @p pool (null: the global pool).
    void build(const VectorMatrix &matrix, int threads = 0, QThreadPool *pool = nullptr);

    [[nodiscard]] qsizetype size() const { return qsizetype(m_chunkIds.size()); }
    [[nodiscard]] int dimensions() const { return m_dimensions; }
    [[nodiscard]] const HnswParameters &parameters() const { return m_parameters; }
    [[nodiscard]] qint64 memoryBytes() const;
    /// Changes the search candidate list (recall against latency); a write: no search may run.
    void setEfSearch(int ef);

    /// The about @p k rows most similar to @p query, best first, scores are cosine similarities.
    /// @p allowedDocumentIds (null or empty: all) is applied inside the graph walk; a filter that
    /// admits only a small share of rows lowers recall, so the owner should scan exactly then.
    [[nodiscard]] QList<StageHit> search(std::span<const float> query, int k,
                                         const QSet<qint64> *allowedDocumentIds = nullptr) const;

private:
    HnswParameters m_parameters;
    int m_dimensions = 0;
    std::unique_ptr<hnswlib::InnerProductSpace> m_space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> m_graph;
    std::vector<qint64> m_chunkIds;    ///< by label
    std::vector<qint64> m_documentIds; ///< by label
};

} // namespace ragdesk
