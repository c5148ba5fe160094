#include "ui/IngestStatusReadout.h"

#include "core/ingest/IngestQueue.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QProgressBar>

using namespace Qt::StringLiterals;

namespace ragdesk {

IngestStatusReadout::IngestStatusReadout(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
{
    setObjectName(u"ingestStatusReadout"_s);
    m_label->setObjectName(u"ingestStatusLabel"_s);
    m_bar->setObjectName(u"ingestStatusBar"_s);
    m_bar->setTextVisible(false);
    m_bar->setFixedSize(90, 10);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Show the knowledge bases (Ctrl+Shift+K)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 12, 0);
    layout->setSpacing(6);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    hide();
}

void IngestStatusReadout::setProgress(const IngestProgress &progress)
{
    const bool busy = progress.counts.queued + progress.counts.extracting > 0;
    setVisible(busy);
    if (!busy)
        return;
    const QLocale locale;
    const int total = progress.filesTotal();
    m_label->setText(tr("Indexing %1/%2 files").arg(locale.toString(progress.filesDone()), locale.toString(total)));
    m_bar->setRange(0, std::max(1, total));
    m_bar->setValue(progress.filesDone());
}

QString IngestStatusReadout::text() const
{
    return isVisibleTo(parentWidget()) ? m_label->text() : QString();
}

void IngestStatusReadout::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        Q_EMIT clicked();
    QWidget::mouseReleaseEvent(event);
}

} // namespace ragdesk
