#include "core/retrieval/VectorScan.h"

#include "core/retrieval/PoolFanOut.h"
#include "core/retrieval/VectorKernels.h"
#include "core/retrieval/VectorMatrix.h"

#include <QThreadPool>

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <vector>

namespace ragdesk {

namespace {

/// Rows scored per kernel call: the scores stay in L1 and the shared counter is touched rarely.
constexpr qsizetype blockRows = 1024;

struct Candidate {
    float score;
    qsizetype row;
};

/// The one total order every stage ranks by, so the result never depends on which thread
/// scanned which block.
bool ranksBefore(const Candidate &a, const Candidate &b)
{
    return a.score > b.score || (a.score == b.score && a.row < b.row);
}

/// A bounded heap whose top is the worst candidate kept.
class TopCandidates
{
public:
    explicit TopCandidates(qsizetype capacity)
        : m_capacity(size_t(capacity))
    {
        m_heap.reserve(m_capacity);
    }

    /// Scores below this cannot enter; lets the scan skip the filter lookup for most rows.
    [[nodiscard]] float floor() const
    {
        return m_heap.size() < m_capacity ? -std::numeric_limits<float>::infinity() : m_heap.front().score;
    }

    void offer(Candidate candidate)
    {
        if (m_heap.size() < m_capacity) {
            m_heap.push_back(candidate);
            std::push_heap(m_heap.begin(), m_heap.end(), ranksBefore);
        } else if (ranksBefore(candidate, m_heap.front())) {
            std::pop_heap(m_heap.begin(), m_heap.end(), ranksBefore);
            m_heap.back() = candidate;
            std::push_heap(m_heap.begin(), m_heap.end(), ranksBefore);
        }
    }

    std::vector<Candidate> &items() { return m_heap; }

private:
    size_t m_capacity;
    std::vector<Candidate> m_heap;
};

/// Caches the last lookup: rows of one document are usually adjacent.
class DocumentFilter
{
public:
    DocumentFilter(const VectorMatrix &matrix, const QSet<qint64> *allowed)
        : m_matrix(matrix)
        , m_allowed(allowed && !allowed->isEmpty() ? allowed : nullptr)
    {
    }

    bool admits(qsizetype row)
    {
        if (!m_allowed)
            return true;
        const qint64 documentId = m_matrix.documentId(row);
        if (documentId != m_lastDocument) {
            m_lastDocument = documentId;
            m_lastAdmitted = m_allowed->contains(documentId);
        }
        return m_lastAdmitted;
    }

private:
    const VectorMatrix &m_matrix;
    const QSet<qint64> *m_allowed;
    qint64 m_lastDocument = std::numeric_limits<qint64>::min();
    bool m_lastAdmitted = false;
};

/// The query in every layout the kernels want.
struct PreparedQuery {
    std::vector<float> floats; ///< unit length, padded to the float stride
    std::vector<std::int16_t> even;
    std::vector<std::int16_t> odd;
};

std::vector<Candidate> scanAll(const VectorMatrix &matrix, const PreparedQuery &query, bool int8,
                               qsizetype keep, const VectorScanOptions &options)
{
    const VectorKernels &kernels = VectorKernels::best();
    const qsizetype rows = matrix.size();
    const qsizetype blocks = (rows + blockRows - 1) / blockRows;
    QThreadPool *pool = options.pool ? options.pool : QThreadPool::globalInstance();
    // An explicit count is obeyed (the benchmark measures it); otherwise small matrices stay on
    // the calling thread, where a hop to the pool would cost more than the scan.
    int threads = options.threads;
    if (threads <= 0)
        threads = int(std::clamp<qsizetype>(rows / VectorScan::minRowsPerThread, 1,
                                             std::max(pool->maxThreadCount(), 1)));
    threads = int(std::min<qsizetype>(threads, std::max<qsizetype>(blocks, 1)));

    std::vector<TopCandidates> tops(size_t(threads), TopCandidates{keep});
    std::atomic<qsizetype> nextBlock{0};
    PoolFanOut::run(pool, threads, [&](int participant) {
        TopCandidates &top = tops[size_t(participant)];
        DocumentFilter filter(matrix, options.allowedDocumentIds);
        std::array<float, blockRows> scores;
        std::array<std::int32_t, blockRows> dots;
        for (qsizetype block = nextBlock++; block < blocks; block = nextBlock++) {
            const qsizetype first = block * blockRows;
            const qsizetype count = std::min(blockRows, rows - first);
            if (int8) {
                kernels.dotsInt8(query.even.data(), query.odd.data(),
                                 matrix.int8Data() + first * matrix.int8Stride(), size_t(count),
                                 size_t(matrix.int8Stride()), dots.data());
                const float *scales = matrix.int8Scales() + first;
                // The query's own scale is the same for every row, so it cannot change the order.
                for (qsizetype i = 0; i < count; ++i)
                    scores[size_t(i)] = float(dots[size_t(i)]) * scales[i];
            } else {
                kernels.dotsFloat(query.floats.data(), matrix.floatData() + first * matrix.floatStride(),
                                  size_t(count), size_t(matrix.floatStride()), scores.data());
            }
            for (qsizetype i = 0; i < count; ++i) {
                const float score = scores[size_t(i)];
                if (score < top.floor() || !filter.admits(first + i))
                    continue;
                top.offer({score, first + i});
            }
        }
    });

    std::vector<Candidate> merged;
    for (TopCandidates &top : tops)
        merged.insert(merged.end(), top.items().begin(), top.items().end());
    std::sort(merged.begin(), merged.end(), ranksBefore);
    if (qsizetype(merged.size()) > keep)
        merged.resize(size_t(keep));
    return merged;
}

} // namespace

QList<StageHit> VectorScan::search(const VectorMatrix &matrix, std::span<const float> query,
                                   const VectorScanOptions &options)
{
    if (options.k <= 0 || matrix.isEmpty() || qsizetype(query.size()) != matrix.dimensions())
        return {};
    PreparedQuery prepared;
    prepared.floats.resize(size_t(matrix.floatStride()));
    if (!VectorMatrix::normalise(query, prepared.floats))
        return {};

    const bool int8 = options.mode == VectorScanMode::Int8Rescored;
    qsizetype keep = options.k;
    if (int8) {
        std::vector<qint8> quantised(size_t(matrix.int8Stride()), 0);
        VectorMatrix::quantise(std::span<const float>(prepared.floats).first(size_t(matrix.dimensions())),
                               quantised);
        prepared.even.resize(quantised.size() / 2);
        prepared.odd.resize(quantised.size() / 2);
        for (size_t i = 0; i < prepared.even.size(); ++i) {
            prepared.even[i] = quantised[2 * i];
            prepared.odd[i] = quantised[2 * i + 1];
        }
        keep = qsizetype(options.k) * std::max(options.oversample, 1);
    }

    std::vector<Candidate> candidates = scanAll(matrix, prepared, int8, keep, options);
    if (int8) {
        // Rescore the short list exactly: the int8 pass only has to get the right rows into it.
        const VectorKernels &kernels = VectorKernels::best();
        for (Candidate &candidate : candidates)
            kernels.dotsFloat(prepared.floats.data(), matrix.floatData() + candidate.row * matrix.floatStride(), 1,
                              size_t(matrix.floatStride()), &candidate.score);
        std::sort(candidates.begin(), candidates.end(), ranksBefore);
        if (qsizetype(candidates.size()) > options.k)
            candidates.resize(size_t(options.k));
    }

    QList<StageHit> hits;
    hits.reserve(qsizetype(candidates.size()));
    for (const Candidate &candidate : candidates)
        hits.append({matrix.chunkId(candidate.row), double(candidate.score)});
    return hits;
}

} // namespace ragdesk
