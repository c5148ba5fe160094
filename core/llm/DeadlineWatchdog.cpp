#include "core/llm/DeadlineWatchdog.h"

#include <QNetworkReply>

using namespace std::chrono_literals;

namespace ragdesk {

DeadlineWatchdog::DeadlineWatchdog(QNetworkReply *reply, const ProviderSettings &settings)
    : m_reply(reply)
    , m_deadlines(settings, StreamDeadlines::Clock::now())
{
    m_timer.setSingleShot(true);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { rearm(); });
    QObject::connect(reply, &QNetworkReply::requestSent, &m_timer, [this] {
        m_deadlines.noteRequestSent(StreamDeadlines::Clock::now());
        rearm();
    });
    rearm();
}

void DeadlineWatchdog::noteBytes()
{
    m_deadlines.noteBytes(StreamDeadlines::Clock::now());
    rearm();
}

void DeadlineWatchdog::rearm()
{
    if (m_expired || !m_reply || m_reply->isFinished())
        return;
    const StreamDeadlines::Next next = m_deadlines.next(StreamDeadlines::Clock::now());
    if (next.remaining > 0ms) {
        m_timer.start(next.remaining);
        return;
    }
    m_expired = next.limit;
    // Wakes the coroutine waiting on the reply, which then reads expired(). Queued, so the
    // coroutine (and this watchdog in its frame) never ends inside this timer's own signal.
    QMetaObject::invokeMethod(m_reply.data(), &QNetworkReply::abort, Qt::QueuedConnection);
}

} // namespace ragdesk
