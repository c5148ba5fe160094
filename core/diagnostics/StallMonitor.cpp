#include "core/diagnostics/StallMonitor.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcStall, "ragdesk.stall")

namespace ragdesk {

namespace {
constexpr qint64 kNsPerMs = 1'000'000;
constexpr qint64 kUpdateEveryNs = 500 * kNsPerMs;
} // namespace

StallMonitor::StallMonitor(std::chrono::milliseconds resolution, std::chrono::milliseconds watchdogThreshold, QObject *parent)
    : QObject(parent)
    , m_resolution(std::max(resolution, std::chrono::milliseconds(1)))
    , m_threshold(watchdogThreshold)
    , m_histogram(std::make_unique<std::array<quint32, kBuckets>>())
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(m_resolution);
    connect(&m_timer, &QTimer::timeout, this, &StallMonitor::tick);
    m_clock.start();
    reset();
}

StallMonitor::~StallMonitor()
{
    stop();
}

void StallMonitor::start()
{
    if (m_running.exchange(true))
        return;
    m_expectedNs = m_clock.nsecsElapsed() + m_resolution.count() * kNsPerMs;
    m_heartbeatNs.store(m_clock.nsecsElapsed());
    m_timer.start();
    m_watchdog = std::thread([this] { watchdogLoop(); });
}

void StallMonitor::stop()
{
    if (!m_running.exchange(false))
        return;
    m_timer.stop();
    {
        std::scoped_lock lock(m_wakeMutex);
    }
    m_wake.notify_all();
    // Joining is bounded: the watchdog wakes within a fraction of the threshold.
    if (m_watchdog.joinable())
        m_watchdog.join();
}

void StallMonitor::reset()
{
    m_histogram->fill(0);
    m_worstMs = 0;
    m_samples = 0;
    m_overBudget = 0;
    m_lastLagMs = 0;
    m_expectedNs = m_clock.nsecsElapsed() + m_resolution.count() * kNsPerMs;
}

void StallMonitor::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_heartbeatNs.store(now, std::memory_order_relaxed);
    const qint64 lagNs = std::max<qint64>(0, now - m_expectedNs);
    m_expectedNs = now + m_resolution.count() * kNsPerMs;

    const double lagMs = double(lagNs) / double(kNsPerMs);
    m_lastLagMs = lagMs;
    m_worstMs = std::max(m_worstMs, lagMs);
    ++m_samples;
    const auto bucket = std::min<qint64>(lagNs / (kNsPerMs / 10), kBuckets - 1);
    ++(*m_histogram)[size_t(bucket)];
    if (lagNs >= m_threshold.count() * kNsPerMs) {
        ++m_overBudget;
        qCWarning(lcStall).nospace() << "UI thread was blocked for " << qRound(lagMs) << " ms";
    }
    if (now - m_lastUpdateNs >= kUpdateEveryNs) {
        m_lastUpdateNs = now;
        Q_EMIT updated();
    }
}

StallMonitor::Figures StallMonitor::figures() const
{
    Figures figures;
    figures.worstMs = m_worstMs;
    figures.samples = m_samples;
    figures.stallsOverBudget = m_overBudget;
    if (m_samples == 0)
        return figures;
    // Percentiles read the upper edge of their 0.1 ms bucket, so they never flatter the loop.
    auto percentile = [this](double fraction) {
        const auto rank = qint64(double(m_samples) * fraction);
        qint64 seen = 0;
        for (int i = 0; i < kBuckets; ++i) {
            seen += (*m_histogram)[size_t(i)];
            if (seen > rank)
                return std::min(m_worstMs, double(i + 1) / 10.0);
        }
        return m_worstMs;
    };
    figures.p50Ms = percentile(0.50);
    figures.p99Ms = percentile(0.99);
    return figures;
}

void StallMonitor::watchdogLoop()
{
    const auto poll = std::max(m_threshold / 4, std::chrono::milliseconds(5));
    qint64 reportedHeartbeat = -1;
    while (m_running.load()) {
        {
            std::unique_lock lock(m_wakeMutex);
            m_wake.wait_for(lock, poll, [this] { return !m_running.load(); });
        }
        if (!m_running.load())
            break;
        const qint64 heartbeat = m_heartbeatNs.load(std::memory_order_relaxed);
        const qint64 stuckNs = m_clock.nsecsElapsed() - heartbeat;
        // One report per stall: the heartbeat does not move while the loop is stuck.
        if (stuckNs > m_threshold.count() * kNsPerMs && heartbeat != reportedHeartbeat) {
            reportedHeartbeat = heartbeat;
            m_watchdogReports.fetch_add(1);
            qCWarning(lcStall).nospace() << "UI thread has been stuck for " << stuckNs / kNsPerMs
                                         << " ms and is still not responding";
        }
    }
}

} // namespace ragdesk
