#pragma once

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <chrono>

namespace ragdesk::testing {

/// Proves the current thread's event loop kept turning while a test waited on something: a timer
/// ticks every few milliseconds, counting ticks and the longest gap between them. A blocked loop
/// shows up as few ticks and a long gap. Create it right before the wait, check it right after.
class EventLoopChecker
{
public:
    /// @p minTicks is what `operator bool` demands.
    explicit EventLoopChecker(std::chrono::milliseconds interval = std::chrono::milliseconds(5), int minTicks = 3)
        : m_minTicks(minTicks)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(interval);
        // The timer is the context object, so the lambda cannot outlive this checker.
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { tick(); });
        m_clock.start();
        m_timer.start();
    }

    EventLoopChecker(const EventLoopChecker &) = delete;
    EventLoopChecker &operator=(const EventLoopChecker &) = delete;

    /// Stops ticking; the figures stay as they are (so a later gap is not blamed on the loop).
    void stop()
    {
        if (!m_timer.isActive())
            return;
        recordGap();
        m_timer.stop();
    }

    [[nodiscard]] int ticks() const { return m_ticks; }
    [[nodiscard]] bool turned(int minTicks) const { return m_ticks >= minTicks; }
    explicit operator bool() const { return turned(m_minTicks); }

    /// The longest time the loop went without running the timer, in milliseconds. While running,
    /// the time since the last tick counts too, so a loop blocked right now is not missed.
    [[nodiscard]] qint64 maxGapMs() const
    {
        if (!m_timer.isActive())
            return m_maxGapMs;
        return std::max(m_maxGapMs, m_clock.elapsed() - m_lastTickMs);
    }

private:
    void tick()
    {
        recordGap();
        ++m_ticks;
    }

    void recordGap()
    {
        const qint64 now = m_clock.elapsed();
        m_maxGapMs = std::max(m_maxGapMs, now - m_lastTickMs);
        m_lastTickMs = now;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = 0;
    qint64 m_maxGapMs = 0;
    int m_ticks = 0;
    int m_minTicks;
};

} // namespace ragdesk::testing
