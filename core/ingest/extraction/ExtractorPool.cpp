#include "core/ingest/extraction/ExtractorPool.h"

#include "core/ingest/extraction/ExtractionJob.h"
#include "core/ingest/extraction/ExtractorWorker.h"

#include <QCoreApplication>
#include <QCoroFuture>
#include <QDir>
#include <QFileInfo>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString cancelledByUser()
{
    return u"Reading the file was cancelled."_s;
}

QString shutDownMessage()
{
    return u"ragdesk stopped the extractor before this file was read."_s;
}
} // namespace

ExtractorPool::ExtractorPool(QString helperPath, int workers, ExtractionLimits limits, QObject *parent)
    : QObject(parent)
    , m_helperPath(std::move(helperPath))
    , m_limits(limits)
{
    for (int i = 0; i < std::max(1, workers); ++i) {
        auto *worker = new ExtractorWorker(m_helperPath, m_limits, this);
        // Queued: the next file starts from the event loop, not from inside a QProcess signal.
        connect(worker, &ExtractorWorker::idle, this, &ExtractorPool::dispatch, Qt::QueuedConnection);
        m_workers.append(worker);
    }
}

ExtractorPool::~ExtractorPool()
{
    shutdown();
}

QCoro::Task<Result<ExtractedDocument>> ExtractorPool::extract(QString path, CancelToken cancel)
{
    if (cancel.isCancelled())
        co_return ExtractionJob::cancelled(cancelledByUser());
    if (m_shutDown)
        co_return ExtractionJob::cancelled(shutDownMessage());

    auto job = std::make_shared<ExtractionJob>(std::move(path), cancel);
    QFuture<Result<ExtractedDocument>> future = job->future();
    // The awaiter wakes at once from any thread; the pool tidies up later on its own thread.
    // Both halves hold only weak references, so a dead pool or a finished job is fine.
    const int subscription = cancel.onCancel([guard = QPointer<ExtractorPool>(this), weak = std::weak_ptr(job)] {
        const std::shared_ptr<ExtractionJob> cancelled = weak.lock();
        if (!cancelled || !cancelled->settle(ExtractionJob::cancelled(cancelledByUser())))
            return;
        if (guard)
            QMetaObject::invokeMethod(guard.data(), [guard, cancelled] { if (guard) guard->withdraw(cancelled); },
                                      Qt::QueuedConnection);
    });
    m_queue.push_back(std::move(job));
    dispatch();

    // No `this` after this point: the pool may be gone, and the future alone carries the result.
    Result<ExtractedDocument> result = co_await future;
    cancel.unsubscribe(subscription);
    co_return result;
}

void ExtractorPool::shutdown()
{
    m_shutDown = true;
    for (const auto &job : std::exchange(m_queue, {}))
        job->settle(ExtractionJob::cancelled(shutDownMessage()));
    for (ExtractorWorker *worker : std::as_const(m_workers))
        worker->stop();
}

int ExtractorPool::busyWorkers() const
{
    return int(std::ranges::count_if(m_workers, [](const ExtractorWorker *worker) { return worker->isBusy(); }));
}

int ExtractorPool::queuedCount() const
{
    return int(std::ranges::count_if(m_queue, [](const auto &job) { return !job->isSettled(); }));
}

void ExtractorPool::dispatch()
{
    if (m_shutDown)
        return;
    for (ExtractorWorker *worker : std::as_const(m_workers)) {
        while (!worker->isBusy() && !m_queue.empty()) {
            std::shared_ptr<ExtractionJob> job = std::move(m_queue.front());
            m_queue.pop_front();
            if (!job->isSettled()) // cancelled while queued
                worker->start(std::move(job));
        }
    }
}

void ExtractorPool::withdraw(const std::shared_ptr<ExtractionJob> &job)
{
    std::erase(m_queue, job);
    for (ExtractorWorker *worker : std::as_const(m_workers)) {
        if (worker->job() == job.get())
            worker->abort(Error{Error::Kind::Cancelled, cancelledByUser(), {}, 0});
    }
}

QString ExtractorPool::defaultHelperPath()
{
    const QDir here(QCoreApplication::applicationDirPath());
    const QString name = u"ragdesk-extract"_s;
    const QStringList candidates{here.filePath(name), QDir::cleanPath(here.filePath(u"../libexec/ragdesk/"_s + name))};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    }
    return candidates.first();
}

} // namespace ragdesk
