#include "core/ingest/extraction/ExtractorWorker.h"

#include "core/ingest/extraction/ExtractionProtocol.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QtConcurrentRun>

#include <csignal>

using namespace Qt::StringLiterals;

namespace ragdesk {

Q_LOGGING_CATEGORY(lcExtractor, "ragdesk.extractor")

namespace {
// A helper that floods stderr must not flood the app's log; one file's worth of warnings is plenty.
constexpr int StderrLinesPerProcess = 200;
constexpr qsizetype StderrLineChars = 500;

QString signalName(int signal)
{
    switch (signal) {
    case SIGSEGV: return u", SIGSEGV"_s;
    case SIGABRT: return u", SIGABRT"_s;
    case SIGBUS: return u", SIGBUS"_s;
    case SIGFPE: return u", SIGFPE"_s;
    case SIGILL: return u", SIGILL"_s;
    case SIGKILL: return u", SIGKILL"_s;
    default: return {};
    }
}

QString fileName(const QString &path)
{
    return QFileInfo(path).fileName();
}
} // namespace

ExtractorWorker::ExtractorWorker(QString helperPath, ExtractionLimits limits, QObject *parent)
    : QObject(parent)
    , m_helperPath(std::move(helperPath))
    , m_limits(limits)
    , m_reader(ExtractionProtocol::maxReplyBytes(limits))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ExtractorWorker::onTimeout);
}

ExtractorWorker::~ExtractorWorker()
{
    stop();
    // The one wait in here: every helper got SIGKILL above, so reaping it takes microseconds,
    // and ~QProcess would otherwise do the same wait with a warning.
    for (QProcess *process : findChildren<QProcess *>(Qt::FindDirectChildrenOnly)) {
        process->disconnect();
        process->kill();
        process->waitForFinished(1000);
    }
}

void ExtractorWorker::start(std::shared_ptr<ExtractionJob> job)
{
    Q_ASSERT(!isBusy() && !m_stopped);
    m_job = std::move(job);
    m_awaitingReply = true;
    // The clock includes a fresh helper's start-up: a helper that never starts is a hang too.
    m_timer.start(std::chrono::seconds(std::max(1, m_limits.secondsPerFile)));
    const QString path = m_job->path();
    ensureProcess();
    // A start that fails at once has settled the job and dropped the process already.
    if (m_process)
        m_process->write(ExtractionProtocol::encodeRequest({path, m_limits, ++m_requestId}));
}

void ExtractorWorker::abort(Error error)
{
    discardProcess();
    finish(std::unexpected(std::move(error)));
}

void ExtractorWorker::stop()
{
    m_stopped = true;
    discardProcess();
    if (m_job)
        m_job->settle(ExtractionJob::cancelled(u"ragdesk stopped the extractor before this file was read."_s));
    m_job.reset();
    m_awaitingReply = false;
}

void ExtractorWorker::ensureProcess()
{
    if (m_process)
        return;
    m_process = new QProcess(this);
    m_process->setProgram(m_helperPath);
    m_process->setArguments({u"--max-memory=%1"_s.arg(m_limits.maxMemoryBytes)});
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ExtractorWorker::onStandardOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &ExtractorWorker::onStandardError);
    connect(m_process, &QProcess::finished, this, &ExtractorWorker::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, &ExtractorWorker::onProcessError);
    m_reader = FrameReader(ExtractionProtocol::maxReplyBytes(m_limits));
    m_stderrLine.clear();
    m_stderrLinesLeft = StderrLinesPerProcess;
    m_process->start(QIODevice::ReadWrite);
}

void ExtractorWorker::discardProcess()
{
    m_timer.stop();
    QProcess *process = std::exchange(m_process, nullptr);
    if (!process)
        return;
    disconnect(process, nullptr, this, nullptr);
    if (process->state() == QProcess::NotRunning) {
        process->deleteLater();
        return;
    }
    // Reaped without blocking: the object goes once the kernel reports the child gone.
    connect(process, &QProcess::finished, process, &QObject::deleteLater);
    process->kill();
}

void ExtractorWorker::finish(Result<ExtractedDocument> result)
{
    m_timer.stop();
    m_awaitingReply = false;
    if (!m_job)
        return;
    if (!result && !result.error().isCancelled())
        qCInfo(lcExtractor).noquote() << "could not read" << m_job->path() << "|" << result.error().detail;
    std::exchange(m_job, nullptr)->settle(std::move(result));
    if (!m_stopped)
        Q_EMIT idle();
}

void ExtractorWorker::onStandardOutput()
{
    m_reader.feed(m_process->readAllStandardOutput());
    Result<std::optional<QByteArray>> frame = m_reader.next();
    if (!frame)
        return protocolFailure(frame.error());
    if (!frame->has_value())
        return;
    // One request, one reply: anything more would be taken for the next file's answer.
    if (!m_awaitingReply || m_reader.hasBufferedBytes())
        return protocolFailure(Error{Error::Kind::Protocol,
                                     u"The extractor sent more than one reply, so it was restarted. "
                                     u"Try the file again; if this repeats, reinstall ragdesk."_s,
                                     u"unexpected frame"_s, 0});
    m_awaitingReply = false;
    m_timer.stop();
    // Decoding a reply with tens of megabytes of text would stall the window; it runs on the
    // CPU pool, and the worker stays busy (its job unsettled) until it is done.
    QtConcurrent::run([payload = std::move(**frame)] { return ExtractionProtocol::decodeReply(payload); })
        .then(this, [this, id = m_requestId](Result<ExtractionReply> reply) { onDecoded(id, std::move(reply)); });
}

void ExtractorWorker::onDecoded(quint64 requestId, Result<ExtractionReply> reply)
{
    // Ids, not job pointers: a cancelled job's memory may already hold the next job.
    if (!m_job || requestId != m_requestId)
        return; // cancelled or stopped while decoding: that job is settled already
    if (!reply)
        return protocolFailure(reply.error());
    if (reply->id != requestId)
        return protocolFailure(Error{Error::Kind::Protocol,
                                     u"The extractor answered a different request, so it was restarted. "
                                     u"Try the file again; if this repeats, reinstall ragdesk."_s,
                                     u"reply id %1, expected %2"_s.arg(reply->id).arg(m_requestId), 0});
    finish(std::move(reply->result));
}

void ExtractorWorker::protocolFailure(Error error)
{
    qCWarning(lcExtractor).noquote() << "extractor protocol failure:" << error.detail;
    discardProcess();
    finish(std::unexpected(std::move(error)));
}

void ExtractorWorker::onStandardError()
{
    m_stderrLine.append(m_process->readAllStandardError());
    qsizetype newline;
    while ((newline = m_stderrLine.indexOf('\n')) >= 0 || m_stderrLine.size() > StderrLineChars) {
        const qsizetype end = newline >= 0 ? newline : StderrLineChars;
        const QByteArray line = m_stderrLine.left(std::min(end, StderrLineChars));
        m_stderrLine.remove(0, newline >= 0 ? newline + 1 : end);
        if (m_stderrLinesLeft > 0) {
            --m_stderrLinesLeft;
            qCInfo(lcExtractor).noquote() << "helper:" << QString::fromUtf8(line);
            if (m_stderrLinesLeft == 0)
                qCInfo(lcExtractor) << "helper: further output of this process is not logged";
        }
    }
}

void ExtractorWorker::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    const bool mid = m_awaitingReply;
    discardProcess();
    if (!mid) {
        // Idle helpers exit only if something is wrong with them; the next file starts a new one.
        qCWarning(lcExtractor) << "extractor exited while idle, code" << exitCode << "status" << status;
        return;
    }
    const QString name = m_job ? fileName(m_job->path()) : QString();
    if (status == QProcess::CrashExit) {
        // On Unix QProcess reports the terminating signal as the exit code of a crash.
        finish(fail(Error::Kind::Extraction,
                    u"The extractor crashed while reading %1 (signal %2%3). The file may be malformed or "
                    u"need more than the %4 MB memory cap; it is skipped until it changes."_s.arg(name)
                        .arg(exitCode)
                        .arg(signalName(exitCode))
                        .arg(m_limits.maxMemoryBytes >> 20),
                    u"helper crashed with signal %1"_s.arg(exitCode)));
        return;
    }
    finish(fail(Error::Kind::Extraction,
                u"The extractor stopped unexpectedly while reading %1 (exit code %2). "
                u"The file is skipped until it changes."_s.arg(name).arg(exitCode),
                u"helper exited with code %1 mid-request"_s.arg(exitCode)));
}

void ExtractorWorker::onProcessError(QProcess::ProcessError error)
{
    // Crashes and kills also arrive through finished(); only a helper that never ran ends here.
    if (error != QProcess::FailedToStart)
        return;
    const QString reason = m_process->errorString();
    discardProcess();
    finish(fail(Error::Kind::Extraction,
                u"Could not start the document extractor (%1): %2. Reinstall ragdesk to restore it."_s
                    .arg(m_helperPath, reason),
                u"QProcess::FailedToStart"_s));
}

void ExtractorWorker::onTimeout()
{
    if (!m_job)
        return;
    const QString name = fileName(m_job->path());
    discardProcess();
    finish(fail(Error::Kind::Timeout,
                u"Reading %1 took longer than %2 s; it may be huge or malformed. It is skipped until it changes."_s
                    .arg(name)
                    .arg(m_limits.secondsPerFile),
                u"time cap of %1 s hit; helper killed"_s.arg(m_limits.secondsPerFile)));
}

} // namespace ragdesk
