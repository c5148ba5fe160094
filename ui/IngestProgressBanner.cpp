#include "ui/IngestProgressBanner.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kBarScale = 1000; ///< QProgressBar takes ints; bytes can exceed them
} // namespace

IngestProgressBanner::IngestProgressBanner(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
    , m_bar(new QProgressBar(this))
{
    setObjectName(u"ingestProgressBanner"_s);
    m_text->setObjectName(u"ingestProgressText"_s);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bar->setObjectName(u"ingestProgressBar"_s);
    m_bar->setRange(0, kBarScale);
    m_bar->setTextVisible(false);
    m_bar->setMaximumHeight(8);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_bar);
    layout->addWidget(m_text);
    setProgress({});
}

QString IngestProgressBanner::describeEta(int seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("less than a minute left");
    if (seconds < 3600)
        return tr("about %1 min left").arg((seconds + 30) / 60);
    return tr("about %1 h %2 min left").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString IngestProgressBanner::describe(const IngestProgress &progress, const QLocale &locale)
{
    const KnowledgeBaseProgress &counts = progress.counts;
    const int total = progress.filesTotal();
    const QString separator = u" · "_s;
    if (total == 0)
        return tr("No files yet. Add files or folders, or drop them here.");
    QString problems;
    if (counts.failed > 0)
        problems += separator + tr("%1 failed").arg(locale.toString(counts.failed));
    if (counts.skipped > 0)
        problems += separator + tr("%1 skipped").arg(locale.toString(counts.skipped));
    if (counts.queued + counts.extracting == 0) {
        return tr("All %1 files indexed").arg(locale.toString(total)) + separator
            + tr("%1 chunks").arg(locale.toString(counts.chunks)) + problems;
    }
    const auto size = [&locale](qint64 bytes) {
        return locale.formattedDataSize(bytes, 0, QLocale::DataSizeTraditionalFormat);
    };
    QString line = tr("%1 of %2 files").arg(locale.toString(progress.filesDone()), locale.toString(total));
    if (counts.bytesTotal > 0)
        line += separator + tr("%1 of %2").arg(size(counts.bytesDone), size(counts.bytesTotal));
    line += separator + tr("%1 chunks").arg(locale.toString(counts.chunks));
    const QString eta = describeEta(progress.etaSeconds);
    if (!eta.isEmpty())
        line += separator + eta;
    return line + problems;
}

void IngestProgressBanner::setProgress(const IngestProgress &progress)
{
    const KnowledgeBaseProgress &counts = progress.counts;
    const bool busy = counts.queued + counts.extracting > 0;
    m_text->setText(describe(progress));
    m_bar->setVisible(busy);
    if (!busy)
        return;
    // Bytes track the work better than file counts (one large PDF vs. many notes).
    const double fraction = counts.bytesTotal > 0 ? double(counts.bytesDone) / double(counts.bytesTotal)
                                                  : double(progress.filesDone()) / std::max(1, progress.filesTotal());
    m_bar->setValue(int(std::clamp(fraction, 0.0, 1.0) * kBarScale));
}

QString IngestProgressBanner::text() const
{
    return m_text->text();
}

bool IngestProgressBanner::isBusy() const
{
    return !m_bar->isHidden();
}

} // namespace ragdesk
