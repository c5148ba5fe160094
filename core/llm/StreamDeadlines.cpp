#include "core/llm/StreamDeadlines.h"

using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace ragdesk {

namespace {

/// "90" for whole seconds, "0.3" below ten seconds otherwise, so a short limit never reads "0 s".
QString wholeSeconds(milliseconds duration)
{
    if (duration.count() % 1000 == 0 || duration >= 10s)
        return QString::number(duration_cast<std::chrono::seconds>(duration).count());
    return QString::number(double(duration.count()) / 1000.0, 'g', 2);
}

} // namespace

StreamDeadlines::StreamDeadlines(const ProviderSettings &settings, Clock::time_point start)
    : m_connect(settings.connectTimeout)
    , m_firstByte(settings.firstByteTimeout)
    , m_idle(settings.idleTimeout)
    , m_total(settings.totalTimeout)
    , m_start(start)
{
}

void StreamDeadlines::noteRequestSent(Clock::time_point now)
{
    if (!m_sent)
        m_sent = now;
}

void StreamDeadlines::noteBytes(Clock::time_point now)
{
    // Bytes prove the request went out even if the "sent" notification was missed.
    noteRequestSent(now);
    m_lastByte = now;
}

StreamDeadlines::Next StreamDeadlines::next(Clock::time_point now) const
{
    Next phase{Limit::Connect, duration_cast<milliseconds>(m_start + m_connect - now)};
    if (m_lastByte)
        phase = {Limit::Idle, duration_cast<milliseconds>(*m_lastByte + m_idle - now)};
    else if (m_sent)
        phase = {Limit::FirstByte, duration_cast<milliseconds>(*m_sent + m_firstByte - now)};
    const Next total{Limit::Total, duration_cast<milliseconds>(m_start + m_total - now)};
    return total.remaining < phase.remaining ? total : phase;
}

QString StreamDeadlines::explain(Limit limit, const QString &where) const
{
    switch (limit) {
    case Limit::Connect:
        return u"Could not connect to %1 within %2 s. Check the base URL, your network and the proxy setting."_s
            .arg(where, wholeSeconds(m_connect));
    case Limit::FirstByte:
        return u"%1 sent nothing for %2 s. It may be overloaded or still loading the model; press Retry, or raise the first-byte timeout in Settings."_s
            .arg(where, wholeSeconds(m_firstByte));
    case Limit::Idle:
        return u"%1 stopped sending for %2 s in the middle of the answer. The partial answer is kept; press Retry to ask again, or raise the idle timeout for slow reasoning models."_s
            .arg(where, wholeSeconds(m_idle));
    case Limit::Total:
        return u"The answer from %1 did not finish within the overall limit of %2 s, although the connection stayed open. The partial answer is kept; raise the total timeout in Settings if this model writes very long answers."_s
            .arg(where, wholeSeconds(m_total));
    }
    return {};
}

} // namespace ragdesk
