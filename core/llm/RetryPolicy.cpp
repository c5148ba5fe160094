#include "core/llm/RetryPolicy.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

namespace {

int monthFromName(QStringView name)
{
    static const QStringList months{u"Jan"_s, u"Feb"_s, u"Mar"_s, u"Apr"_s, u"May"_s, u"Jun"_s,
                                    u"Jul"_s, u"Aug"_s, u"Sep"_s, u"Oct"_s, u"Nov"_s, u"Dec"_s};
    return static_cast<int>(months.indexOf(name.toString())) + 1; // 0 when unknown
}

QString secondsText(std::chrono::milliseconds delay)
{
    return QString::number((delay.count() + 999) / 1000);
}

/// The three HTTP-date forms of RFC 9110 §5.6.7, always in GMT.
std::optional<QDateTime> parseHttpDate(const QString &text, const QDateTime &now)
{
    static const QString dayNames = u"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"_s;
    static const QString longDayNames = u"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"_s;
    static const QString time = u"(\\d\\d):(\\d\\d):(\\d\\d)"_s;
    static const QRegularExpression imfFixdate(
        u"^%1, (\\d\\d) ([A-Z][a-z]{2}) (\\d{4}) %2 GMT$"_s.arg(dayNames, time));
    static const QRegularExpression rfc850(
        u"^%1, (\\d\\d)-([A-Z][a-z]{2})-(\\d\\d) %2 GMT$"_s.arg(longDayNames, time));
    static const QRegularExpression asctime(
        u"^%1 ([A-Z][a-z]{2}) ([ \\d]\\d) %2 (\\d{4})$"_s.arg(dayNames, time));

    int day = 0;
    int month = 0;
    int year = 0;
    int timeGroup = 0;
    QRegularExpressionMatch match;
    if ((match = imfFixdate.match(text)).hasMatch()) {
        day = match.captured(1).toInt();
        month = monthFromName(match.capturedView(2));
        year = match.captured(3).toInt();
        timeGroup = 4;
    } else if ((match = rfc850.match(text)).hasMatch()) {
        day = match.captured(1).toInt();
        month = monthFromName(match.capturedView(2));
        // A two-digit year more than 50 years ahead means the most recent past century.
        year = 2000 + match.captured(3).toInt();
        if (year > now.toUTC().date().year() + 50)
            year -= 100;
        timeGroup = 4;
    } else if ((match = asctime.match(text)).hasMatch()) {
        month = monthFromName(match.capturedView(1));
        day = match.captured(2).trimmed().toInt();
        year = match.captured(6).toInt();
        timeGroup = 3;
    } else {
        return std::nullopt;
    }

    const QDate date(year, month, day);
    const QTime clock(match.captured(timeGroup).toInt(), match.captured(timeGroup + 1).toInt(),
                      match.captured(timeGroup + 2).toInt());
    if (month == 0 || !date.isValid() || !clock.isValid())
        return std::nullopt;
    return QDateTime(date, clock, QTimeZone::UTC);
}

} // namespace

RetryPolicy::RetryPolicy() : RetryPolicy(Settings{}) {}

RetryPolicy::RetryPolicy(Settings settings, RandomSource random, Clock clock)
    : m_settings(settings), m_random(std::move(random)), m_clock(std::move(clock))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
    if (!m_clock)
        m_clock = [] { return QDateTime::currentDateTimeUtc(); };
}

bool RetryPolicy::isRetryableStatus(int status)
{
    // 429 and 503 say "later"; 502 and 504 come from a proxy whose upstream did not answer,
    // so the model never started. Any other status will fail the same way again.
    return status == 429 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds RetryPolicy::backoff(int attempt) const
{
    // Doubling in floating point and clamping before converting avoids overflow for a
    // large attempt number.
    const double exponent = std::clamp(attempt - 1, 0, 62);
    const double uncapped = static_cast<double>(m_settings.initialDelay.count()) * std::pow(2.0, exponent);
    const double capped = std::min(uncapped, static_cast<double>(m_settings.maxDelay.count()));
    // Jitter only shortens the wait, so the cap holds; it spreads the tabs that failed
    // together so they do not all hit the server again in the same instant.
    const double jitter = std::clamp(m_settings.jitter, 0.0, 1.0);
    const double random = std::clamp(m_random(), 0.0, 1.0);
    return std::chrono::milliseconds(std::llround(capped * (1.0 - jitter * random)));
}

RetryPolicy::RetryDecision RetryPolicy::decide(const Error &error, int attempt, bool anyByteReceived,
                                               const QByteArray &retryAfterHeader) const
{
    RetryDecision decision;
    if (error.kind == Error::Kind::Cancelled) {
        decision.reason = u"cancelled"_s;
        return decision;
    }
    if (anyByteReceived) {
        decision.reason = u"part of the answer already arrived, so a retry would repeat it"_s;
        return decision;
    }

    const bool connectionFailed = error.kind == Error::Kind::Network;
    const bool retryableStatus = error.kind == Error::Kind::Http && isRetryableStatus(error.httpStatus);
    if (!connectionFailed && !retryableStatus) {
        decision.reason = error.kind == Error::Kind::Http
            ? u"HTTP %1 will not change on a retry"_s.arg(error.httpStatus)
            : u"this kind of failure is not safe to retry"_s;
        return decision;
    }
    if (attempt >= m_settings.maxAttempts) {
        decision.reason = u"gave up after %1 attempts"_s.arg(attempt);
        return decision;
    }

    const QString what = connectionFailed ? u"the connection failed"_s
                                          : (error.httpStatus == 429 ? u"rate limited (HTTP 429)"_s
                                                                     : u"server unavailable (HTTP %1)"_s.arg(error.httpStatus));

    if (retryableStatus && !retryAfterHeader.isEmpty()) {
        if (const std::optional<std::chrono::milliseconds> wait = parseRetryAfter(retryAfterHeader, m_clock())) {
            if (*wait > m_settings.maxRetryAfter) {
                decision.reason = u"%1; the server asks to wait %2 s, longer than the %3 s we wait for"_s
                                      .arg(what, secondsText(*wait), secondsText(m_settings.maxRetryAfter));
                return decision;
            }
            decision.retry = true;
            decision.delay = *wait;
            decision.reason = u"%1; retrying in %2 s as the server asked"_s.arg(what, secondsText(*wait));
            return decision;
        }
        // An unreadable Retry-After is ignored rather than fatal: backoff still protects the server.
    }

    decision.retry = true;
    decision.delay = backoff(attempt);
    decision.reason = u"%1; retrying in %2 s (attempt %3 of %4)"_s.arg(what, secondsText(decision.delay))
                          .arg(attempt + 1)
                          .arg(m_settings.maxAttempts);
    return decision;
}

std::optional<std::chrono::milliseconds> RetryPolicy::parseRetryAfter(QByteArrayView value, const QDateTime &now)
{
    const QByteArrayView trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;

    if (std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // Saturate rather than overflow: any absurd number just means "too long to wait".
        constexpr qint64 MaxSeconds = 1'000'000'000;
        qint64 seconds = 0;
        for (const char c : trimmed) {
            seconds = seconds * 10 + (c - '0');
            if (seconds > MaxSeconds) {
                seconds = MaxSeconds;
                break;
            }
        }
        return std::chrono::seconds(seconds);
    }

    const std::optional<QDateTime> date = parseHttpDate(QString::fromLatin1(trimmed), now);
    if (!date)
        return std::nullopt;
    const qint64 ms = now.msecsTo(*date);
    return std::chrono::milliseconds(std::max<qint64>(0, ms));
}

} // namespace ragdesk
