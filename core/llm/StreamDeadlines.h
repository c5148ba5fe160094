#pragma once

#include "core/llm/ChatTypes.h"

#include <chrono>

namespace ragdesk {

/// The four clocks a streamed answer runs against, as a pure value so each can be tested:
/// - connect: until the request is written to the socket (DNS, TCP, TLS, proxy);
/// - first byte: from sending until the first byte of the response;
/// - idle: the longest gap between received bytes, long for reasoning models that think quietly;
/// - total: the whole answer. Keep-alive comments reset the idle clock (the server is alive),
///   so only this one ends a server that drips them forever.
class StreamDeadlines
{
public:
    using Clock = std::chrono::steady_clock;
    enum class Limit { Connect, FirstByte, Idle, Total };

    struct Next {
        Limit limit;
        std::chrono::milliseconds remaining; ///< zero or less: this limit has expired
    };

    StreamDeadlines(const ProviderSettings &settings, Clock::time_point start);

    void noteRequestSent(Clock::time_point now);
    void noteBytes(Clock::time_point now);
    [[nodiscard]] bool anyByte() const { return m_lastByte.has_value(); }

    /// The limit that expires first in the current phase, and the time left until it does.
    [[nodiscard]] Next next(Clock::time_point now) const;

    /// What the user reads when @p limit expired: which clock, how long, what to do.
    [[nodiscard]] QString explain(Limit limit, const QString &where) const;

private:
    std::chrono::milliseconds m_connect;
    std::chrono::milliseconds m_firstByte;
    std::chrono::milliseconds m_idle;
    std::chrono::milliseconds m_total;
    Clock::time_point m_start;
    std::optional<Clock::time_point> m_sent;
    std::optional<Clock::time_point> m_lastByte;
};

} // namespace ragdesk
