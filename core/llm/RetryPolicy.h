#pragma once

#include "core/foundation/Error.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace ragdesk {

/// Pure decision whether a failed provider request may be sent again, and after how long.
/// Only failures where a retry cannot duplicate or mangle an answer qualify: a connection
/// failure before any byte arrived, and HTTP 429, 502, 503 and 504. The wait is exponential
/// backoff with jitter, capped, unless the server's Retry-After says otherwise.
class RetryPolicy
{
public:
    struct Settings {
        int maxAttempts = 4; ///< attempts in total, the first one included
        std::chrono::milliseconds initialDelay{1000};
        std::chrono::milliseconds maxDelay{30000}; ///< cap of the computed backoff
        /// Share of the backoff that jitter may take away: 0.5 waits between 50% and 100%.
        double jitter = 0.5;
        /// A Retry-After longer than this is not waited for; the error goes to the user instead.
        std::chrono::milliseconds maxRetryAfter{120000};
    };

    struct RetryDecision {
        bool retry = false;
        std::chrono::milliseconds delay{0};
        QString reason; ///< why (not), for the countdown text and the log
    };

    /// Returns a value in [0, 1); tests inject a fixed one.
    using RandomSource = std::function<double()>;
    /// Returns the current time; tests inject a fixed one.
    using Clock = std::function<QDateTime()>;

    RetryPolicy();
    explicit RetryPolicy(Settings settings, RandomSource random = {}, Clock clock = {});

    /// @p attempt is the 1-based number of the attempt that just failed with @p error.
    /// @p anyByteReceived: some of the answer already reached the user, so a retry would
    /// repeat it. @p retryAfterHeader is the raw Retry-After value, empty if absent.
    [[nodiscard]] RetryDecision decide(const Error &error, int attempt, bool anyByteReceived,
                                       const QByteArray &retryAfterHeader = {}) const;

    /// Parses Retry-After as delay-seconds or an HTTP-date (IMF-fixdate, and the obsolete
    /// RFC 850 and asctime forms RFC 9110 asks recipients to accept). A date in the past
    /// means no wait. Returns nullopt for anything else.
    static std::optional<std::chrono::milliseconds> parseRetryAfter(QByteArrayView value, const QDateTime &now);

    /// The jittered, capped backoff before attempt @p attempt + 1.
    [[nodiscard]] std::chrono::milliseconds backoff(int attempt) const;

    [[nodiscard]] const Settings &settings() const { return m_settings; }

private:
    static bool isRetryableStatus(int status);

    Settings m_settings;
    RandomSource m_random;
    Clock m_clock;
};

} // namespace ragdesk
