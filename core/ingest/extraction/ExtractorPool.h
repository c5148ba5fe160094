#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

#include <QCoroTask>
#include <QList>
#include <QObject>

#include <deque>
#include <memory>

namespace ragdesk {

class ExtractionJob;
class ExtractorWorker;

/// Runs up to N ragdesk-extract processes and hands them files, first come first served.
/// Lives on the UI thread and never blocks it: processes are driven by signals, replies are
/// decoded on the CPU pool. Whatever a helper does (crash, hang, garbage), the file gets an
/// Error and the next file gets a fresh helper.
class ExtractorPool : public QObject
{
    Q_OBJECT

public:
    ExtractorPool(QString helperPath, int workers, ExtractionLimits limits, QObject *parent = nullptr);
    /// Kills the helpers; extractions still awaited resolve as Cancelled.
    ~ExtractorPool() override;

    /// Queues @p path; resolves when a helper has answered, failed, timed out, or @p cancel fired.
    QCoro::Task<Result<ExtractedDocument>> extract(QString path, CancelToken cancel = {});
    /// Kills helpers now; pending and running extractions resolve as Cancelled, later ones at once.
    void shutdown();

    [[nodiscard]] int busyWorkers() const;
    [[nodiscard]] int queuedCount() const;
    [[nodiscard]] const ExtractionLimits &limits() const { return m_limits; }

    /// ragdesk-extract next to the running program (build trees), else in ../libexec/ragdesk/
    /// relative to it (installed); the first candidate when neither exists, so errors name it.
    static QString defaultHelperPath();

private:
    void dispatch();
    /// The cancel callback's second half, on this object's thread: drop the job from the queue,
    /// or kill the helper reading it.
    void withdraw(const std::shared_ptr<ExtractionJob> &job);

    QString m_helperPath;
    ExtractionLimits m_limits;
    QList<ExtractorWorker *> m_workers;
    std::deque<std::shared_ptr<ExtractionJob>> m_queue;
    bool m_shutDown = false;
};

} // namespace ragdesk
