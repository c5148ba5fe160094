#pragma once

#include "core/ingest/ExtractionLimits.h"
#include "core/ingest/extraction/ExtractionJob.h"
#include "core/ingest/extraction/ExtractionReply.h"
#include "core/ingest/extraction/FrameReader.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

#include <memory>

namespace ragdesk {

/// One slot of the ExtractorPool: a ragdesk-extract process, started on first use and reused
/// across files, and the file it is reading. It enforces the time cap by killing the process
/// and turns every way a helper can fail (crash, exit, garbage, silence) into an Error for the
/// file at hand; the next file gets a fresh process.
class ExtractorWorker : public QObject
{
    Q_OBJECT

public:
    ExtractorWorker(QString helperPath, ExtractionLimits limits, QObject *parent = nullptr);
    ~ExtractorWorker() override;

    [[nodiscard]] bool isBusy() const { return m_job != nullptr; }
    [[nodiscard]] const ExtractionJob *job() const { return m_job.get(); }

    /// Sends @p job to the helper, starting one if needed. Only when !isBusy().
    void start(std::shared_ptr<ExtractionJob> job);
    /// Kills the helper now and settles the current job (if any) with @p error; emits idle().
    void abort(Error error);
    /// Kills the helper now, settles the current job as Cancelled, and never emits idle() again.
    void stop();

Q_SIGNALS:
    /// The current job is settled and the worker can take another one.
    void idle();

private:
    void ensureProcess();
    void discardProcess();
    void finish(Result<ExtractedDocument> result);
    void onStandardOutput();
    void onStandardError();
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void onTimeout();
    void onDecoded(quint64 requestId, Result<ExtractionReply> reply);
    void protocolFailure(Error error);

    QString m_helperPath;
    ExtractionLimits m_limits;
    QProcess *m_process = nullptr;
    FrameReader m_reader;
    QTimer m_timer;
    std::shared_ptr<ExtractionJob> m_job;
    bool m_awaitingReply = false; ///< the request is out and no frame has come back yet
    bool m_stopped = false;
    quint64 m_requestId = 0;
    QByteArray m_stderrLine;
    int m_stderrLinesLeft = 0;
};

} // namespace ragdesk
