#include "core/retrieval/EmbeddingBackfill.h"

#include "core/foundation/Detach.h"
#include "core/retrieval/EmbeddingService.h"
#include "core/retrieval/VectorIndex.h"
#include "core/storage/KnowledgeBaseStore.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int debounceMs = 1000;
} // namespace

EmbeddingBackfill::EmbeddingBackfill(Parts parts, QObject *parent)
    : QObject(parent)
    , m_parts(std::move(parts))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        if (m_running) {
            m_again = true;
            return;
        }
        detach(runPasses(), "embedding backfill");
    });
}

EmbeddingBackfill::~EmbeddingBackfill()
{
    m_stopped = true;
}

void EmbeddingBackfill::schedule()
{
    if (!m_stopped)
        m_debounce.start();
}

void EmbeddingBackfill::stop()
{
    m_stopped = true;
    m_debounce.stop();
}

std::optional<EmbeddingCoverage> EmbeddingBackfill::coverage(qint64 knowledgeBaseId) const
{
    const auto found = m_coverage.constFind(knowledgeBaseId);
    return found == m_coverage.constEnd() ? std::nullopt : std::optional(*found);
}

QCoro::Task<> EmbeddingBackfill::runPasses()
{
    QPointer self(this);
    m_running = true;
    do {
        m_again = false;
        const auto knowledgeBases = co_await m_parts.knowledgeBases->list();
        if (!self || m_stopped)
            co_return;
        if (!knowledgeBases)
            break;
        for (const KnowledgeBase &knowledgeBase : std::as_const(*knowledgeBases)) {
            if (knowledgeBase.embeddingModel.isEmpty()) {
                m_coverage.remove(knowledgeBase.id);
                m_errors.remove(knowledgeBase.id);
                continue;
            }
            auto done = co_await backfill(knowledgeBase.id, knowledgeBase.embeddingModel);
            if (!self || m_stopped)
                co_return;
            if (!done && done.error().kind != Error::Kind::Cancelled) {
                m_errors.insert(knowledgeBase.id, done.error().message);
                Q_EMIT failed(knowledgeBase.id, done.error().message);
            }
        }
    } while (m_again && !m_stopped);
    m_running = false;
    Q_EMIT finished();
}

QCoro::Task<Result<void>> EmbeddingBackfill::backfill(qint64 knowledgeBaseId, QString model)
{
    QPointer self(this);
    const Parts parts = m_parts; // the frame keeps the stores alive
    auto counted = co_await parts.vectors->coverage(knowledgeBaseId, model);
    if (!self || m_stopped)
        co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
    if (!counted)
        co_return std::unexpected(counted.error());
    EmbeddingCoverage coverage = *counted;
    m_coverage.insert(knowledgeBaseId, coverage);
    m_errors.remove(knowledgeBaseId);
    Q_EMIT progressChanged(knowledgeBaseId, coverage);

    qint64 cursor = 0;
    while (!coverage.isComplete()) {
        auto batch = co_await parts.vectors->unembedded(knowledgeBaseId, model, cursor, batchSize);
        if (!self || m_stopped)
            co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
        if (!batch)
            co_return std::unexpected(batch.error());
        if (batch->isEmpty())
            break; // chunks were deleted meanwhile; the count was an upper bound
        cursor = batch->last().chunkId;

        QStringList texts;
        for (const ChunkText &chunk : std::as_const(*batch))
            texts.append(chunk.text);
        auto vectors = co_await parts.embeddings->embed(model, texts);
        if (!self || m_stopped)
            co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
        if (!vectors)
            co_return std::unexpected(vectors.error());
        if (vectors->isEmpty() || vectors->first().isEmpty())
            co_return fail(Error::Kind::Protocol, u"The embedding server returned empty vectors for %1."_s.arg(model));

        auto modelId = co_await parts.vectors->modelId(model, int(vectors->first().size()));
        if (!self || m_stopped)
            co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
        if (!modelId)
            co_return std::unexpected(modelId.error());
        QList<qint64> chunkIds;
        QList<VectorRow> rows;
        for (qsizetype i = 0; i < batch->size(); ++i) {
            chunkIds.append(batch->at(i).chunkId);
            rows.append(VectorRow{batch->at(i).chunkId, batch->at(i).documentId, vectors->at(i)});
        }
        auto stored = co_await parts.vectors->store(*modelId, chunkIds, *vectors);
        if (!self || m_stopped)
            co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
        if (!stored)
            co_return std::unexpected(stored.error());
        parts.index->add(model, std::move(rows));
        coverage.embedded = std::min(coverage.total, coverage.embedded + *stored);
        m_coverage.insert(knowledgeBaseId, coverage);
        Q_EMIT progressChanged(knowledgeBaseId, coverage);
    }
    co_return {};
}

} // namespace ragdesk
