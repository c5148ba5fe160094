#pragma once

#include "core/ingest/IngestQueue.h"

#include <QElapsedTimer>
#include <QString>
#include <QTextStream>

namespace ragdesk::cli {

/// Ingestion progress on the terminal: a redrawn bar on a TTY, plain lines otherwise (logs, CI),
/// so `kb add` is readable both ways. Finished files print one line each, above the bar.
class IngestProgressPrinter
{
public:
    explicit IngestProgressPrinter(bool interactive);

    /// Whether stdout is a terminal that understands carriage returns.
    static bool stdoutIsTerminal();

    void update(const IngestProgress &progress);
    void fileFinished(const IngestOutcome &outcome);
    /// Ends the bar's line so later output starts on a fresh one.
    void finish();

private:
    void clearBar();
    static QString barText(const IngestProgress &progress);
    static QString figuresText(const IngestProgress &progress);

    bool m_interactive;
    QTextStream m_out;
    bool m_barShown = false;
    IngestProgress m_last;
    QElapsedTimer m_sinceLine; ///< non-interactive: a progress line at most every few seconds
};

} // namespace ragdesk::cli
