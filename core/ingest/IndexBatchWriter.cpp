#include "core/ingest/IndexBatchWriter.h"

#include "core/foundation/Detach.h"

#include <QCoroFuture>
#include <QPointer>
#include <QPromise>

namespace ragdesk {

IndexBatchWriter::IndexBatchWriter(std::shared_ptr<DocumentStore> documents, Settings settings, QObject *parent)
    : QObject(parent)
    , m_documents(std::move(documents))
    , m_settings(settings)
{
    m_delay.setSingleShot(true);
    m_delay.setInterval(m_settings.delay);
    connect(&m_delay, &QTimer::timeout, this, [this] {
        if (!m_writing && !m_pending.isEmpty())
            detach(writeLoop(), "index batch write");
    });
}

IndexBatchWriter::~IndexBatchWriter() = default;

QCoro::Task<> IndexBatchWriter::add(IndexedDocument document)
{
    m_pendingChunks += int(document.chunked.chunks.size());
    m_pending.append(std::move(document));
    // While a batch is being written, the running loop picks the new document up next.
    if (!m_writing) {
        if (m_pendingChunks >= m_settings.chunksPerBatch)
            detach(writeLoop(), "index batch write");
        else if (!m_delay.isActive())
            m_delay.start();
    }

    QPointer self(this);
    while (self && m_writing && m_pendingChunks > m_settings.maxPendingChunks) {
        QFuture<void> batch = m_currentBatch;
        co_await batch;
    }
}

void IndexBatchWriter::discard(const QList<qint64> &documentIds)
{
    for (qsizetype i = m_pending.size() - 1; i >= 0; --i) {
        if (documentIds.contains(m_pending.at(i).documentId)) {
            m_pendingChunks -= int(m_pending.at(i).chunked.chunks.size());
            m_pending.removeAt(i);
        }
    }
}

QCoro::Task<> IndexBatchWriter::flush()
{
    QPointer self(this);
    m_delay.stop();
    if (!m_writing && !m_pending.isEmpty())
        detach(writeLoop(), "index batch write");
    while (self && m_writing) {
        QFuture<void> batch = m_currentBatch;
        co_await batch;
    }
}

QCoro::Task<> IndexBatchWriter::writeLoop()
{
    QPointer self(this);
    m_writing = true;
    while (!m_pending.isEmpty()) {
        QList<IndexedDocument> batch;
        batch.swap(m_pending);
        m_pendingChunks = 0;
        QList<qint64> ids;
        ids.reserve(batch.size());
        for (const auto &document : std::as_const(batch))
            ids.append(document.documentId);

        QPromise<void> done;
        done.start();
        m_currentBatch = done.future();
        // The store is shared, so the write completes even if this writer is destroyed meanwhile.
        auto stored = co_await m_documents->storeIndexed(std::move(batch));
        done.finish();
        if (!self)
            co_return;
        if (stored)
            Q_EMIT written(ids, *stored);
        else
            Q_EMIT failed(ids, stored.error().message);
    }
    m_writing = false;
}

} // namespace ragdesk
