#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace ragdesk {

/// Measures how late the UI thread's event loop runs ("event-loop lag"): a precise timer on the
/// monitored thread records how far behind schedule each tick fires. Worst and p99 come from a
/// fixed histogram (no allocation per tick). A watchdog thread notices a stall while the loop is
/// still stuck and logs it, which the loop itself cannot do.
class StallMonitor : public QObject
{
    Q_OBJECT
public:
    struct Figures {
        double worstMs = 0;
        double p99Ms = 0;
        double p50Ms = 0;
        qint64 samples = 0;
        qint64 stallsOverBudget = 0; ///< ticks later than the watchdog threshold
    };

    /// @p resolution is the tick interval: a stall is measured to within it.
    /// @p watchdogThreshold is how long the loop may be stuck before the watchdog logs.
    explicit StallMonitor(std::chrono::milliseconds resolution = std::chrono::milliseconds(10),
                          std::chrono::milliseconds watchdogThreshold = std::chrono::milliseconds(200),
                          QObject *parent = nullptr);
    ~StallMonitor() override;

    void start();
    void stop();
    /// Forgets the figures so far (e.g. after startup, before a benchmark).
    void reset();

    [[nodiscard]] Figures figures() const;
    /// Lateness of the most recent tick, for a live status-bar readout.
    [[nodiscard]] double currentLagMs() const { return m_lastLagMs; }
    /// Stalls the watchdog saw while the loop was stuck.
    [[nodiscard]] int watchdogReports() const { return m_watchdogReports.load(); }

Q_SIGNALS:
    /// Emitted about twice a second with fresh figures.
    void updated();

private:
    void tick();
    void watchdogLoop();

    static constexpr int kBuckets = 10001; ///< 0.1 ms buckets up to 1 s, last bucket is ">= 1 s"

    std::chrono::milliseconds m_resolution;
    std::chrono::milliseconds m_threshold;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_expectedNs = 0;
    qint64 m_lastUpdateNs = 0;
    double m_lastLagMs = 0;
    double m_worstMs = 0;
    qint64 m_samples = 0;
    qint64 m_overBudget = 0;
    std::unique_ptr<std::array<quint32, kBuckets>> m_histogram;

    std::atomic<qint64> m_heartbeatNs{0};
    std::atomic<bool> m_running{false};
    std::atomic<int> m_watchdogReports{0};
    std::mutex m_wakeMutex; ///< lets stop() wake the watchdog at once instead of waiting out its poll
    std::condition_variable m_wake;
    std::thread m_watchdog;
};

} // namespace ragdesk
