#include "core/ingest/IngestQueue.h"

#include "core/foundation/Detach.h"
#include "core/ingest/Chunker.h"
#include "core/ingest/FileFingerprint.h"
#include "core/ingest/extraction/ExtractorPool.h"

#include <QCoroFuture>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
Q_LOGGING_CATEGORY(lcIngest, "ragdesk.ingest")
} // namespace

IngestQueue::IngestQueue(std::shared_ptr<DocumentStore> documents, ExtractorPool *extractors, Settings settings,
                         QObject *parent)
    : QObject(parent)
    , m_documents(std::move(documents))
    , m_extractors(extractors)
    , m_settings(settings)
    , m_writer(new IndexBatchWriter(m_documents, settings.writes, this))
{
    m_progressTimer.setInterval(m_settings.progressInterval);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] { detach(refreshProgress(), "ingest progress"); });

    connect(m_writer, &IndexBatchWriter::written, this, [this](const QList<qint64> &batch, const QList<qint64> &stored) {
        // Removed while queued: the store skipped them, and there is nothing to report.
        for (qint64 id : batch) {
            if (!stored.contains(id)) {
                m_unwritten.remove(id);
                releaseHash(id);
            }
        }
        reportWritten(stored, {});
    });
    connect(m_writer, &IndexBatchWriter::failed, this, [this](const QList<qint64> &ids, const QString &reason) {
        qCWarning(lcIngest) << "a batch of" << ids.size() << "documents could not be written:" << reason;
        const QString message = u"Could not save this file to the index: %1"_s.arg(reason);
        detach([](std::shared_ptr<DocumentStore> store, QList<qint64> failedIds, QString text) -> QCoro::Task<> {
            for (qint64 id : failedIds)
                co_await store->markFailed(id, text);
        }(m_documents, ids, message),
               "mark failed batch");
        reportWritten(ids, message);
    });
}

IngestQueue::~IngestQueue()
{
    // Running coroutines hold QPointers to this queue and stop at their next resume.
    for (auto &job : m_jobs)
        job.cancel.cancel();
}

void IngestQueue::setChunking(qint64 knowledgeBaseId, ChunkingOptions options, QString language)
{
    m_chunking.insert(knowledgeBaseId, options);
    m_languages.insert(knowledgeBaseId, std::move(language));
}

QCoro::Task<Result<int>> IngestQueue::start()
{
    QPointer self(this);
    auto recovered = co_await m_documents->recoverInterrupted();
    if (!self)
        co_return recovered;
    if (recovered && *recovered > 0)
        qCInfo(lcIngest) << "resuming" << *recovered << "files a previous run left half-done";
    m_stopped = false;
    wake();
    co_return recovered;
}

void IngestQueue::wake()
{
    if (m_stopped)
        return;
    detach(claimLoop(), "ingest claim");
}

void IngestQueue::stop()
{
    m_stopped = true;
    m_progressTimer.stop();
    // Files in flight stay `extracting` in the store, so the next start redoes them; what the
    // writer still holds is dropped for the same reason instead of delaying the quit.
    m_writer->discard(m_unwritten.keys());
    m_unwritten.clear();
    m_settled.clear();
    const QList<qint64> claimed = m_hashClaims.keys();
    for (qint64 id : claimed)
        releaseHash(id);
    for (auto &job : m_jobs)
        job.cancel.cancel();
}

QCoro::Task<Result<int>> IngestQueue::cancelDocuments(QList<qint64> documentIds)
{
    QPointer self(this);
    auto cancelled = co_await m_documents->cancel(documentIds);
    if (!self)
        co_return cancelled;
    m_writer->discard(documentIds);
    for (qint64 id : std::as_const(documentIds)) {
        if (auto job = m_jobs.find(id); job != m_jobs.end())
            job->cancel.cancel();
        if (m_unwritten.remove(id))
            releaseHash(id);
    }
    checkIdle();
    co_return cancelled;
}

QCoro::Task<Result<int>> IngestQueue::cancelKnowledgeBase(qint64 knowledgeBaseId)
{
    QPointer self(this);
    auto cancelled = co_await m_documents->cancelKnowledgeBase(knowledgeBaseId);
    if (!self)
        co_return cancelled;
    QList<qint64> ids;
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it) {
        if (it->knowledgeBaseId == knowledgeBaseId) {
            it->cancel.cancel();
            ids.append(it.key());
        }
    }
    for (auto it = m_unwritten.begin(); it != m_unwritten.end();) {
        if (it->knowledgeBaseId == knowledgeBaseId) {
            ids.append(it.key());
            releaseHash(it.key());
            it = m_unwritten.erase(it);
        } else {
            ++it;
        }
    }
    m_writer->discard(ids);
    checkIdle();
    co_return cancelled;
}

QCoro::Task<> IngestQueue::claimLoop()
{
    // One claimer at a time; a wake that arrives meanwhile makes it look once more.
    if (m_claiming) {
        m_wakePending = true;
        co_return;
    }
    QPointer self(this);
    m_claiming = true;
    do {
        m_wakePending = false;
        while (!m_stopped && m_jobs.size() < m_settings.parallelFiles) {
            auto claimed = co_await m_documents->claimNext(m_settings.parallelFiles - int(m_jobs.size()));
            if (!self)
                co_return;
            if (!claimed) {
                qCWarning(lcIngest) << "could not read the ingestion queue:" << claimed.error().detail;
                break;
            }
            if (claimed->isEmpty())
                break;
            if (!m_progressTimer.isActive() && !m_stopped)
                m_progressTimer.start();
            for (DocumentRecord &document : *claimed)
                detach(process(std::move(document)), "ingest file");
        }
    } while (m_wakePending && !m_stopped);
    m_claiming = false;
    checkIdle();
}

QCoro::Task<> IngestQueue::process(DocumentRecord document)
{
    QPointer self(this);
    const qint64 id = document.id;
    const qint64 knowledgeBaseId = document.knowledgeBaseId;
    // Inserted before the first co_await, so the claim loop counts this job at once.
    m_jobs.insert(id, Job{knowledgeBaseId, CancelToken()});
    m_activeKnowledgeBases.insert(knowledgeBaseId);
    const CancelToken cancel = m_jobs.value(id).cancel;
    Q_EMIT documentChanged(knowledgeBaseId, id);

    auto prepared = co_await prepare(document, cancel);
    if (!self)
        co_return;
    if (!prepared) {
        const Error &error = prepared.error();
        // Cancelled files were already marked by whoever cancelled them (or stay `extracting`
        // on quit, to be redone next start).
        if (!error.isCancelled()) {
            qCInfo(lcIngest) << document.path << "not indexed:" << error.message << error.detail;
            const bool unsupported = error.kind == Error::Kind::Unsupported;
            if (unsupported)
                co_await m_documents->markSkipped(id, error.message);
            else
                co_await m_documents->markFailed(id, error.message);
            if (!self)
                co_return;
            Q_EMIT fileFinished({knowledgeBaseId, id, document.path,
                                 unsupported ? DocumentStatus::Skipped : DocumentStatus::Failed, error.message, 0, 0});
        }
    } else if (!prepared->has_value()) {
        // Unchanged (still indexed as before) or a duplicate (skipped); prepare() recorded which.
        if (m_settled.contains(id))
            Q_EMIT fileFinished(m_settled.take(id));
    } else if (!cancel.isCancelled()) {
        const IndexedDocument &indexed = **prepared;
        m_unwritten.insert(id, {knowledgeBaseId, id, document.path, DocumentStatus::Indexed, {},
                                int(indexed.chunked.chunks.size()), indexed.pageCount});
        co_await m_writer->add(std::move(**prepared));
        if (!self)
            co_return;
    }
    finishJob(id, knowledgeBaseId, document.size);
}

QCoro::Task<Result<std::optional<IndexedDocument>>> IngestQueue::prepare(DocumentRecord document,
                                                                                           CancelToken cancel)
{
    using Prepared = std::optional<IndexedDocument>;
    QPointer self(this);
    const qint64 maxBytes = m_settings.limits.maxFileBytes;
    auto fingerprint = co_await QtConcurrent::run(
        [path = document.path, maxBytes, cancel] { return FileFingerprint::read(path, maxBytes, cancel); });
    if (!self || cancel.isCancelled())
        co_return fail(Error::Kind::Cancelled, u"Cancelled."_s);
    if (!fingerprint)
        co_return std::unexpected(fingerprint.error());

    // Touched but not changed (a copy, a checkout, `touch`): nothing to re-index.
    if (document.indexedAt.isValid() && document.contentHash == fingerprint->contentHash) {
        auto marked = co_await m_documents->markUnchanged(document.id, fingerprint->size, fingerprint->modifiedAt);
        if (!marked)
            co_return std::unexpected(marked.error());
        if (self)
            m_settled.insert(document.id, {document.knowledgeBaseId, document.id, document.path, DocumentStatus::Indexed,
                                           {}, document.chunkCount, document.pageCount});
        co_return Prepared();
    }

    // A copy of a file that is being extracted right now waits for it, then counts as its duplicate
    // if it got indexed (or is extracted itself if the original failed).
    while (m_hashesInFlight.value(document.knowledgeBaseId).contains(fingerprint->contentHash)) {
        QFuture<void> original = m_hashesInFlight.value(document.knowledgeBaseId).value(fingerprint->contentHash).done;
        co_await original;
        if (!self || cancel.isCancelled())
            co_return fail(Error::Kind::Cancelled, u"Cancelled."_s);
    }

    // Claimed before the next co_await, so a copy that arrives meanwhile waits for this file.
    // Settled when this file is written, skipped or has failed; waiting copies then look again.
    auto settled = std::make_shared<QPromise<void>>();
    settled->start();
    m_hashesInFlight[document.knowledgeBaseId].insert(fingerprint->contentHash, {document.path, settled->future()});
    m_hashClaims.insert(document.id, {document.knowledgeBaseId, fingerprint->contentHash, settled});

    // Identical content is stored once per knowledge base; the copy is listed as skipped.
    QString original;
    if (auto twin = co_await m_documents->findIndexedByHash(document.knowledgeBaseId, fingerprint->contentHash);
        twin && *twin && (*twin)->id != document.id)
        original = (*twin)->path;
    if (!self)
        co_return fail(Error::Kind::Cancelled, u"Cancelled."_s);
    if (!original.isEmpty()) {
        const QString reason = u"Same content as %1, which is indexed already."_s.arg(QDir::toNativeSeparators(original));
        auto marked = co_await m_documents->markSkipped(document.id, reason);
        if (!marked)
            co_return std::unexpected(marked.error());
        if (self)
            m_settled.insert(document.id, {document.knowledgeBaseId, document.id, document.path, DocumentStatus::Skipped,
                                           reason, 0, 0});
        co_return Prepared();
    }
    if (!m_extractors)
        co_return fail(Error::Kind::Cancelled, u"The extractor is shut down."_s);

    auto extracted = co_await m_extractors->extract(document.path, cancel);
    if (!self)
        co_return fail(Error::Kind::Cancelled, u"Cancelled."_s);
    if (!extracted)
        co_return std::unexpected(extracted.error());

    const ChunkingOptions options = m_chunking.value(document.knowledgeBaseId);
    ExtractedDocument content = std::move(*extracted);
    const QString title = content.title.isEmpty() ? QFileInfo(document.path).fileName() : content.title;
    const QString mimeType = content.mimeType;
    const int pageCount = content.pageCount;
    // Chunking a large document takes milliseconds to seconds: CPU pool, never the UI thread.
    auto chunked = co_await QtConcurrent::run(
        [content = std::move(content), options, cancel] { return Chunker(options).chunk(content, cancel); });
    if (!self || cancel.isCancelled())
        co_return fail(Error::Kind::Cancelled, u"Cancelled."_s);
    if (!chunked)
        co_return std::unexpected(chunked.error());

    co_return Prepared(IndexedDocument{document.id, title, mimeType, fingerprint->contentHash,
                                                      fingerprint->size, fingerprint->modifiedAt, pageCount,
                                                      std::move(*chunked), m_languages.value(document.knowledgeBaseId)});
}

void IngestQueue::releaseHash(qint64 documentId)
{
    const auto claim = m_hashClaims.find(documentId);
    if (claim == m_hashClaims.end())
        return;
    m_hashesInFlight[claim->knowledgeBaseId].remove(claim->hash);
    claim->settled->finish();
    m_hashClaims.erase(claim);
}

void IngestQueue::reportWritten(const QList<qint64> &documentIds, const QString &failure)
{
    for (qint64 id : documentIds) {
        // Absent: cancelled after it reached the writer.
        if (!m_unwritten.contains(id))
            continue;
        IngestOutcome outcome = m_unwritten.take(id);
        releaseHash(id);
        if (!failure.isEmpty()) {
            outcome.status = DocumentStatus::Failed;
            outcome.reason = failure;
        }
        Q_EMIT documentChanged(outcome.knowledgeBaseId, id);
        Q_EMIT fileFinished(outcome);
    }
    checkIdle();
}

void IngestQueue::finishJob(qint64 documentId, qint64 knowledgeBaseId, qint64 bytes)
{
    m_jobs.remove(documentId);
    m_rateBytes += bytes;
    if (!m_unwritten.contains(documentId)) {
        releaseHash(documentId);
        Q_EMIT documentChanged(knowledgeBaseId, documentId);
    }
    if (!m_stopped)
        wake();
    checkIdle();
}

void IngestQueue::checkIdle()
{
    if (!isIdle())
        return;
    m_progressTimer.stop();
    detach(refreshProgress(), "ingest progress");
    Q_EMIT idle();
}

QCoro::Task<> IngestQueue::refreshProgress()
{
    if (m_refreshing) {
        m_refreshAgain = true;
        co_return;
    }
    QPointer self(this);
    m_refreshing = true;
    do {
        m_refreshAgain = false;
        co_await refreshProgressOnce();
        if (!self)
            co_return;
    } while (m_refreshAgain);
    m_refreshing = false;
}

QCoro::Task<> IngestQueue::refreshProgressOnce()
{
    QPointer self(this);

    // Throughput for the ETA, smoothed so one large file does not make it jump around.
    const double seconds = m_rateClock.isValid() ? double(m_rateClock.restart()) / 1000.0 : 0.0;
    if (!m_rateClock.isValid())
        m_rateClock.start();
    if (seconds > 0) {
        const double sample = double(std::exchange(m_rateBytes, 0)) / seconds;
        m_bytesPerSecond = m_bytesPerSecond > 0 ? 0.8 * m_bytesPerSecond + 0.2 * sample : sample;
    }
    const bool busy = !isIdle();
    if (!busy) {
        m_bytesPerSecond = 0;
        m_rateClock.invalidate();
    }

    QList<qint64> knowledgeBases = m_activeKnowledgeBases.values();
    knowledgeBases.append(0);
    for (qint64 knowledgeBaseId : std::as_const(knowledgeBases)) {
        auto counts = co_await m_documents->progress(knowledgeBaseId);
        if (!self)
            co_return;
        if (!counts)
            continue;
        IngestProgress progress{*counts, busy ? m_bytesPerSecond : 0, -1};
        const qint64 remaining = counts->bytesTotal - counts->bytesDone;
        if (busy && m_bytesPerSecond > 1 && remaining > 0)
            progress.etaSeconds = int(double(remaining) / m_bytesPerSecond) + 1;
        m_progress.insert(knowledgeBaseId, progress);
        Q_EMIT progressChanged(knowledgeBaseId, progress);
    }
    if (!busy)
        m_activeKnowledgeBases.clear();
}

} // namespace ragdesk
