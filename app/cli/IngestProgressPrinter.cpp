#include "app/cli/IngestProgressPrinter.h"

#include <QDir>
#include <QLocale>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {
QString duration(int seconds)
{
    if (seconds < 60)
        return u"%1 s"_s.arg(seconds);
    if (seconds < 3600)
        return u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1 h %2 min"_s.arg(seconds / 3600).arg((seconds % 3600) / 60);
}
} // namespace

IngestProgressPrinter::IngestProgressPrinter(bool interactive)
    : m_interactive(interactive)
    , m_out(stdout)
{
    m_sinceLine.start();
}

bool IngestProgressPrinter::stdoutIsTerminal()
{
    return ::isatty(::fileno(stdout)) == 1 && qEnvironmentVariable("TERM") != u"dumb"_s;
}

QString IngestProgressPrinter::figuresText(const IngestProgress &progress)
{
    const QLocale locale;
    QString line = u"%1/%2 files  %3/%4  %5 chunks"_s.arg(progress.filesDone())
                       .arg(progress.filesTotal())
                       .arg(locale.formattedDataSize(progress.counts.bytesDone), locale.formattedDataSize(progress.counts.bytesTotal))
                       .arg(locale.toString(progress.counts.chunks));
    if (progress.counts.failed > 0)
        line += u"  %1 failed"_s.arg(progress.counts.failed);
    if (progress.etaSeconds >= 0)
        line += u"  ETA %1"_s.arg(duration(progress.etaSeconds));
    return line;
}

QString IngestProgressPrinter::barText(const IngestProgress &progress)
{
    constexpr int width = 28;
    const int filled = int(qint64(width) * progress.filesDone() / std::max(1, progress.filesTotal()));
    return u"[%1%2] "_s.arg(QString(filled, u'#'), QString(width - filled, u'-')) + figuresText(progress);
}

void IngestProgressPrinter::update(const IngestProgress &progress)
{
    m_last = progress;
    if (m_interactive) {
        // \r plus "erase to end of line" redraws in place without leaving stubs of a longer line.
        m_out << '\r' << barText(progress) << "\x1b[K";
        m_out.flush();
        m_barShown = true;
    } else if (m_sinceLine.elapsed() >= 5000) {
        m_out << "progress: " << figuresText(progress) << '\n';
        m_out.flush();
        m_sinceLine.restart();
    }
}

void IngestProgressPrinter::clearBar()
{
    if (m_barShown) {
        m_out << "\r\x1b[K";
        m_barShown = false;
    }
}

void IngestProgressPrinter::fileFinished(const IngestOutcome &outcome)
{
    clearBar();
    const QString path = QDir::toNativeSeparators(outcome.path);
    switch (outcome.status) {
    case DocumentStatus::Indexed:
        m_out << "indexed  " << path << "  (" << outcome.chunks << " chunks"
              << (outcome.pages > 0 ? u", %1 pages"_s.arg(outcome.pages) : QString()) << ")\n";
        break;
    case DocumentStatus::Failed:
        m_out << "failed   " << path << ": " << outcome.reason << '\n';
        break;
    case DocumentStatus::Skipped:
        m_out << "skipped  " << path << ": " << outcome.reason << '\n';
        break;
    case DocumentStatus::Queued:
    case DocumentStatus::Extracting:
        return;
    }
    if (m_interactive)
        update(m_last);
    m_out.flush();
}

void IngestProgressPrinter::finish()
{
    clearBar();
    m_out.flush();
}

} // namespace ragdesk::cli
