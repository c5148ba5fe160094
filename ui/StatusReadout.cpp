#include "ui/StatusReadout.h"

#include "core/diagnostics/StallMonitor.h"

#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace ragdesk {

StatusReadout::StatusReadout(StallMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_streaming(new QLabel(this))
    , m_latency(new QLabel(this))
{
    m_streaming->setObjectName(u"streamingLabel"_s);
    m_latency->setObjectName(u"latencyLabel"_s);
    m_latency->setToolTip(tr("How late the window's event loop runs. Under 16 ms feels instant."));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 8, 0);
    layout->setSpacing(20);
    layout->addWidget(m_streaming);
    layout->addWidget(m_latency);
    if (m_monitor)
        connect(m_monitor, &StallMonitor::updated, this, &StatusReadout::updateLatency);
    m_latency->setVisible(m_monitor != nullptr);
    setStreamingCount(0);
    updateLatency();
}

void StatusReadout::setStreamingCount(int count)
{
    m_streaming->setText(count == 0 ? tr("Ready")
            : count == 1            ? tr("1 answer streaming")
                                    : tr("%1 answers streaming").arg(count));
}

void StatusReadout::updateLatency()
{
    if (!m_monitor)
        return;
    m_latency->setText(tr("UI latency: %1 ms (worst %2 ms)")
                           .arg(m_monitor->currentLagMs(), 0, 'f', 0)
                           .arg(m_monitor->figures().worstMs, 0, 'f', 0));
}

} // namespace ragdesk
