#include "core/retrieval/HnswVectorIndex.h"

#include "core/retrieval/PoolFanOut.h"
#include "core/retrieval/VectorMatrix.h"

#include <QThreadPool>

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>

namespace ragdesk {

namespace {
/// Admits a label when its row's document is in the allowed set.
class DocumentFilterFunctor : public hnswlib::BaseFilterFunctor
{
public:
    DocumentFilterFunctor(const std::vector<qint64> &documentIds, const QSet<qint64> &allowed)
        : m_documentIds(documentIds)
        , m_allowed(allowed)
    {
    }

    bool operator()(hnswlib::labeltype label) override
    {
        return m_allowed.contains(m_documentIds[label]);
    }

private:
    const std::vector<qint64> &m_documentIds;
    const QSet<qint64> &m_allowed;
};

/// Fixed so that a rebuild of the same data gives the same graph (on one thread).
constexpr size_t levelSeed = 100;
} // namespace

HnswVectorIndex::HnswVectorIndex(HnswParameters parameters)
    : m_parameters(parameters)
{
}

HnswVectorIndex::~HnswVectorIndex() = default;

void HnswVectorIndex::build(const VectorMatrix &matrix, int threads, QThreadPool *pool)
{
    m_graph.reset();
    m_dimensions = matrix.dimensions();
    m_space = std::make_unique<hnswlib::InnerProductSpace>(size_t(m_dimensions));
    const qsizetype rows = matrix.size();
    m_chunkIds.resize(size_t(rows));
    m_documentIds.resize(size_t(rows));
    for (qsizetype row = 0; row < rows; ++row) {
        m_chunkIds[size_t(row)] = matrix.chunkId(row);
        m_documentIds[size_t(row)] = matrix.documentId(row);
    }
    // hnswlib wants room for at least one element.
    m_graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
        m_space.get(), size_t(std::max<qsizetype>(rows, 1)), size_t(m_parameters.m),
        size_t(m_parameters.efConstruction), levelSeed);
    m_graph->setEf(size_t(m_parameters.efSearch));

    if (!pool)
        pool = QThreadPool::globalInstance();
    if (threads <= 0)
        threads = std::max(pool->maxThreadCount(), 1);
    // hnswlib allows concurrent addPoint with distinct labels; the first point goes in alone so
    // the others find an entry point.
    if (rows > 0)
        m_graph->addPoint(matrix.row(0).data(), 0);
    std::atomic<qsizetype> nextRow{1};
    PoolFanOut::run(pool, threads, [&](int) {
        for (qsizetype row = nextRow++; row < rows; row = nextRow++)
            m_graph->addPoint(matrix.row(row).data(), hnswlib::labeltype(row));
    });
}

void HnswVectorIndex::setEfSearch(int ef)
{
    m_parameters.efSearch = std::max(ef, 1);
    if (m_graph)
        m_graph->setEf(size_t(m_parameters.efSearch));
}

qint64 HnswVectorIndex::memoryBytes() const
{
    if (!m_graph)
        return 0;
    // Level-0 block plus the upper-level link lists, which hnswlib allocates per element.
    qint64 bytes = qint64(m_graph->max_elements_ * m_graph->size_data_per_element_);
    for (size_t i = 0; i < m_graph->cur_element_count; ++i)
        bytes += qint64(m_graph->element_levels_[i]) * qint64(m_graph->size_links_per_element_);
    return bytes + qint64(m_chunkIds.capacity() + m_documentIds.capacity()) * qint64(sizeof(qint64));
}

QList<StageHit> HnswVectorIndex::search(std::span<const float> query, int k,
                                        const QSet<qint64> *allowedDocumentIds) const
{
    if (!m_graph || k <= 0 || m_chunkIds.empty() || qsizetype(query.size()) != m_dimensions)
        return {};
    std::vector<float> unit(query.size());
    if (!VectorMatrix::normalise(query, unit))
        return {};
    std::unique_ptr<DocumentFilterFunctor> filter;
    if (allowedDocumentIds && !allowedDocumentIds->isEmpty())
        filter = std::make_unique<DocumentFilterFunctor>(m_documentIds, *allowedDocumentIds);
    auto nearest = m_graph->searchKnn(unit.data(), size_t(k), filter.get());
    // The queue pops the farthest first.
    QList<StageHit> hits(qsizetype(nearest.size()));
    for (qsizetype i = hits.size() - 1; i >= 0; --i) {
        const auto &[distance, label] = nearest.top();
        hits[i] = {m_chunkIds[label], 1.0 - double(distance)};
        nearest.pop();
    }
    return hits;
}

} // namespace ragdesk
