#pragma once

#include <QWidget>

class QLabel;

namespace ragdesk {

class StallMonitor;

/// The status bar's live figures: how many answers are streaming, and how late the UI thread's
/// event loop runs right now and at worst (from StallMonitor, about twice a second).
class StatusReadout : public QWidget
{
    Q_OBJECT
public:
    /// @p monitor may be null (no latency shown); it must outlive the readout.
    explicit StatusReadout(StallMonitor *monitor, QWidget *parent = nullptr);

    void setStreamingCount(int count);

private:
    void updateLatency();

    StallMonitor *m_monitor;
    QLabel *m_streaming;
    QLabel *m_latency;
};

} // namespace ragdesk
