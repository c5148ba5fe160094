#include "core/retrieval/VectorScan.h"

#include "core/retrieval/PoolFanOut.h"
#include "core/retrieval/QuantisedQuery.h"
#include "core/retrieval/VectorKernels.h"
#include "core/retrieval/VectorMatrix.h"

#include <QThreadPool>

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <optional>
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

/// One query of the batch in every layout the kernels want, and what it keeps.
struct PreparedQuery {
    std::vector<float> floats; ///< unit length, padded to the float stride
    std::optional<QuantisedQuery> int8;
    qsizetype keep = 0; ///< candidates kept by the scan: k, or k * oversample before rescoring
    int k = 0;
    const QSet<qint64> *allowedDocumentIds = nullptr;
};

/// What one participant of the scan keeps for each query.
struct ParticipantState {
    std::vector<TopCandidates> tops;
    std::vector<DocumentFilter> filters;
};

/// The best keep candidates of every query, in one pass over the rows: each block is read from
/// memory once and scored for every query while it sits in the core's cache, so the second and
/// later queries cost only compute (see docs/BENCHMARKS.md).
std::vector<std::vector<Candidate>> scanAll(const VectorMatrix &matrix, const std::vector<PreparedQuery> &queries,
                                            bool int8, const VectorScanOptions &options)
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

    std::vector<ParticipantState> states(static_cast<size_t>(threads));
    for (ParticipantState &state : states) {
        for (const PreparedQuery &query : queries) {
            state.tops.emplace_back(query.keep);
            state.filters.emplace_back(matrix, query.allowedDocumentIds);
        }
    }
    std::atomic<qsizetype> nextBlock{0};
    PoolFanOut::run(pool, threads, [&](int participant) {
        ParticipantState &state = states[size_t(participant)];
        std::array<float, blockRows> scores;
        std::array<std::int32_t, blockRows> dots;
        for (qsizetype block = nextBlock++; block < blocks; block = nextBlock++) {
            const qsizetype first = block * blockRows;
            const qsizetype count = std::min(blockRows, rows - first);
            for (size_t q = 0; q < queries.size(); ++q) {
                const PreparedQuery &query = queries[q];
                if (int8) {
                    kernels.dotsInt8(query.int8->view(), matrix.int8Data() + first * matrix.int8Stride(),
                                     size_t(count), size_t(matrix.int8Stride()), dots.data());
                    const float *scales = matrix.int8Scales() + first;
                    // The query's own scale is the same for every row, so it cannot change the order.
                    for (qsizetype i = 0; i < count; ++i)
                        scores[size_t(i)] = float(dots[size_t(i)]) * scales[i];
                } else {
                    kernels.dotsFloat(query.floats.data(), matrix.floatData() + first * matrix.floatStride(),
                                      size_t(count), size_t(matrix.floatStride()), scores.data());
                }
                TopCandidates &top = state.tops[q];
                DocumentFilter &filter = state.filters[q];
                for (qsizetype i = 0; i < count; ++i) {
                    const float score = scores[size_t(i)];
                    if (score < top.floor() || !filter.admits(first + i))
                        continue;
                    top.offer({score, first + i});
                }
            }
        }
    });

    std::vector<std::vector<Candidate>> result(queries.size());
    for (size_t q = 0; q < queries.size(); ++q) {
        std::vector<Candidate> &merged = result[q];
        for (ParticipantState &state : states)
            merged.insert(merged.end(), state.tops[q].items().begin(), state.tops[q].items().end());
        std::sort(merged.begin(), merged.end(), ranksBefore);
        if (qsizetype(merged.size()) > queries[q].keep)
            merged.resize(size_t(queries[q].keep));
    }
    return result;
}

} // namespace

QList<StageHit> VectorScan::search(const VectorMatrix &matrix, std::span<const float> query,
                                   const VectorScanOptions &options)
{
    const VectorQuery one{query, options.k, options.allowedDocumentIds};
    return searchMany(matrix, std::span(&one, 1), options).front();
}

std::vector<QList<StageHit>> VectorScan::searchMany(const VectorMatrix &matrix, std::span<const VectorQuery> queries,
                                                    const VectorScanOptions &options)
{
    const bool int8 = options.mode == VectorScanMode::Int8Rescored;
    std::vector<QList<StageHit>> hits(queries.size());
    // Queries that cannot match anything stay out of the scan and get no hits.
    std::vector<PreparedQuery> prepared;
    std::vector<size_t> askedAt;
    for (size_t q = 0; q < queries.size(); ++q) {
        const VectorQuery &query = queries[q];
        if (query.k <= 0 || matrix.isEmpty() || qsizetype(query.vector.size()) != matrix.dimensions())
            continue;
        PreparedQuery ready;
        ready.floats.resize(size_t(matrix.floatStride()));
        if (!VectorMatrix::normalise(query.vector, ready.floats))
            continue;
        ready.k = query.k;
        ready.keep = query.k;
        ready.allowedDocumentIds = query.allowedDocumentIds;
        if (int8) {
            ready.int8 = QuantisedQuery::fromUnit(
                std::span<const float>(ready.floats).first(size_t(matrix.dimensions())), matrix.int8Stride());
            ready.keep = qsizetype(query.k) * std::max(options.oversample, 1);
        }
        prepared.push_back(std::move(ready));
        askedAt.push_back(q);
    }
    if (prepared.empty())
        return hits;

    std::vector<std::vector<Candidate>> candidates = scanAll(matrix, prepared, int8, options);
    const VectorKernels &kernels = VectorKernels::best();
    for (size_t p = 0; p < prepared.size(); ++p) {
        std::vector<Candidate> &found = candidates[p];
        if (int8) {
            // Rescore the short list exactly: the int8 pass only has to get the right rows into it.
            for (Candidate &candidate : found)
                kernels.dotsFloat(prepared[p].floats.data(), matrix.floatData() + candidate.row * matrix.floatStride(),
                                  1, size_t(matrix.floatStride()), &candidate.score);
            std::sort(found.begin(), found.end(), ranksBefore);
            if (qsizetype(found.size()) > prepared[p].k)
                found.resize(size_t(prepared[p].k));
        }
        QList<StageHit> &list = hits[askedAt[p]];
        list.reserve(qsizetype(found.size()));
        for (const Candidate &candidate : found)
            list.append({matrix.chunkId(candidate.row), double(candidate.score)});
    }
    return hits;
}

} // namespace ragdesk
