#pragma once

#include "core/foundation/CancelToken.h"
#include "core/ingest/ExtractionLimits.h"
#include "core/ingest/IndexBatchWriter.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QFuture>
#include <QPromise>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace ragdesk {

class ExtractorPool;

/// Progress of one knowledge base's ingestion, as the panel and the CLI show it.
struct IngestProgress {
    KnowledgeBaseProgress counts;
    double bytesPerSecond = 0; ///< over the last few seconds of work; 0 while idle
    int etaSeconds = -1;       ///< -1 when unknown

    [[nodiscard]] int filesDone() const { return counts.indexed + counts.failed + counts.skipped; }
    [[nodiscard]] int filesTotal() const { return filesDone() + counts.queued + counts.extracting; }
};

/// How one file's ingestion ended, as reported to the panel and the CLI.
struct IngestOutcome {
    qint64 knowledgeBaseId = 0;
    qint64 documentId = 0;
    QString path;
    DocumentStatus status = DocumentStatus::Indexed; ///< Indexed, Failed or Skipped
    QString reason;                                  ///< Failed/Skipped: why, for people
    int chunks = 0;
    int pages = 0;
};

/// Works through the persisted ingestion queue (documents in state queued): fingerprint, skip
/// unchanged or duplicate content, extract in the helper process, chunk on the CPU pool, write
/// in batches. At most `parallelFiles` files are in flight; nothing here blocks the UI thread.
/// Quitting mid-file loses nothing: those files are still `extracting` and are redone at the next start.
class IngestQueue : public QObject
{
    Q_OBJECT
public:
    struct Settings {
        int parallelFiles = 2;
        ExtractionLimits limits;
        IndexBatchWriter::Settings writes;
        std::chrono::milliseconds progressInterval{250};
    };

    IngestQueue(std::shared_ptr<DocumentStore> documents, ExtractorPool *extractors, Settings settings,
                QObject *parent = nullptr);
    ~IngestQueue() override;

    /// How files of @p knowledgeBaseId are chunked, and in which language their words are
    /// stemmed, from now on (files already indexed keep theirs).
    void setChunking(qint64 knowledgeBaseId, ChunkingOptions options, QString language);

    /// Recovers what a previous run left half-done, then starts working. Resolves once recovery is done.
    QCoro::Task<Result<int>> start();
    /// New jobs were queued in the store: claim them.
    void wake();
    /// Cancels these documents: queued ones are skipped, running ones stop now.
    QCoro::Task<Result<int>> cancelDocuments(QList<qint64> documentIds);
    QCoro::Task<Result<int>> cancelKnowledgeBase(qint64 knowledgeBaseId);
    /// Stops claiming and aborts running files without waiting for them (they resume next start).
    void stop();

    [[nodiscard]] bool isIdle() const { return m_jobs.isEmpty() && !m_claiming && m_unwritten.isEmpty(); }
    [[nodiscard]] int runningCount() const { return int(m_jobs.size()); }
    /// Latest progress of @p knowledgeBaseId (all KBs for 0), refreshed while work runs.
    [[nodiscard]] IngestProgress progress(qint64 knowledgeBaseId) const { return m_progress.value(knowledgeBaseId); }

Q_SIGNALS:
    /// A document's status changed (claimed, indexed, failed, skipped).
    void documentChanged(qint64 knowledgeBaseId, qint64 documentId);
    /// A file is done: committed to the index, unchanged, failed or skipped. Not sent for
    /// cancelled files, nor for files in flight when the queue stops.
    void fileFinished(const IngestOutcome &outcome);
    /// Fresh progress figures for @p knowledgeBaseId (and for 0, all KBs together).
    void progressChanged(qint64 knowledgeBaseId, const IngestProgress &progress);
    /// The queue ran dry and everything claimed has been written.
    void idle();

private:
    struct Job {
        qint64 knowledgeBaseId = 0;
        CancelToken cancel;
    };

    QCoro::Task<> claimLoop();
    QCoro::Task<> process(DocumentRecord document);
    QCoro::Task<Result<std::optional<IndexedDocument>>> prepare(DocumentRecord document, CancelToken cancel);
    void finishJob(qint64 documentId, qint64 knowledgeBaseId, qint64 bytes);
    void reportWritten(const QList<qint64> &documentIds, const QString &failure);
    void releaseHash(qint64 documentId);
    QCoro::Task<> refreshProgress();
    QCoro::Task<> refreshProgressOnce();
    void checkIdle();

    std::shared_ptr<DocumentStore> m_documents;
    QPointer<ExtractorPool> m_extractors;
    Settings m_settings;
    IndexBatchWriter *m_writer;
    QHash<qint64, ChunkingOptions> m_chunking;
    QHash<qint64, QString> m_languages;
    QHash<qint64, Job> m_jobs;
    /// Documents handed to the writer but not committed yet, with what to report once they are.
    QHash<qint64, IngestOutcome> m_unwritten;
    /// Files prepare() settled without a write (unchanged, duplicate), reported when the job ends.
    QHash<qint64, IngestOutcome> m_settled;
    /// Content being extracted right now, per knowledge base and hash, so two copies of one file
    /// processed side by side are still stored once: the second waits for the first to finish.
    struct InFlight {
        QString path;
        QFuture<void> done;
    };
    QHash<qint64, QHash<QByteArray, InFlight>> m_hashesInFlight;
    struct HashClaim {
        qint64 knowledgeBaseId = 0;
        QByteArray hash;
        std::shared_ptr<QPromise<void>> settled;
    };
    /// By document id: the claim a file holds on its content hash until it is written or failed.
    QHash<qint64, HashClaim> m_hashClaims;
    /// Knowledge bases with work since the queue was last idle; their progress is refreshed.
    QSet<qint64> m_activeKnowledgeBases;
    QHash<qint64, IngestProgress> m_progress;
    QTimer m_progressTimer;
    bool m_claiming = false;
    bool m_wakePending = false;
    bool m_stopped = false;
    bool m_refreshing = false;
    /// A refresh was asked for while one ran: run once more, or the last figures (those at
    /// idle) could be read before the last write and stay stale.
    bool m_refreshAgain = false;
    // Throughput window for the ETA: bytes finished since the window started.
    QElapsedTimer m_rateClock;
    qint64 m_rateBytes = 0;
    double m_bytesPerSecond = 0;
};

} // namespace ragdesk
