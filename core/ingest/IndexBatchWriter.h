#pragma once

#include "core/storage/DocumentStore.h"

#include <QCoroTask>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

namespace ragdesk {

/// Collects chunked documents and writes them in few, large transactions: one commit per
/// thousands of chunks instead of one per file, which is what makes small files cheap to index.
/// Lives on the UI thread; the writes run on the index writer thread.
class IndexBatchWriter : public QObject
{
    Q_OBJECT
public:
    struct Settings {
        int chunksPerBatch = 4000;                       ///< flush as soon as this many are pending
        std::chrono::milliseconds delay{150};            ///< flush what is pending after this quiet time
        int maxPendingChunks = 16000;                    ///< add() waits beyond this (backpressure)
    };

    IndexBatchWriter(std::shared_ptr<DocumentStore> documents, Settings settings, QObject *parent = nullptr);
    ~IndexBatchWriter() override;

    /// Queues @p document for the next batch; resolves at once unless too much is pending,
    /// in which case it waits for the running write so memory stays bounded.
    QCoro::Task<> add(IndexedDocument document);
    /// Drops pending documents of @p documentIds (cancelled before they were written).
    void discard(const QList<qint64> &documentIds);
    /// Writes everything pending now and resolves when it is committed.
    QCoro::Task<> flush();

    [[nodiscard]] int pendingChunks() const { return m_pendingChunks; }

Q_SIGNALS:
    /// A batch committed: @p stored are now indexed; the rest of @p batch no longer existed.
    void written(const QList<qint64> &batch, const QList<qint64> &stored);
    /// A batch failed as a whole (disk full, database locked); its documents are marked failed.
    void failed(const QList<qint64> &documentIds, const QString &reason);

private:
    QCoro::Task<> writeLoop();

    std::shared_ptr<DocumentStore> m_documents;
    Settings m_settings;
    QTimer m_delay;
    QList<IndexedDocument> m_pending;
    int m_pendingChunks = 0;
    bool m_writing = false;
    /// Finishes when the batch being written commits (or the writer dies). A QFuture because
    /// several coroutines may wait for the same batch, and a future outlives this object safely.
    QFuture<void> m_currentBatch;
};

} // namespace ragdesk
