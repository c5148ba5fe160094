#include "core/llm/RetryPolicy.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using ragdesk::Error;
using ragdesk::RetryPolicy;

namespace {

const QDateTime fixedNow(QDate(2025, 6, 1), QTime(12, 0, 0), QTimeZone::UTC);

RetryPolicy policyWith(double random, RetryPolicy::Settings settings = {})
{
    return RetryPolicy(settings, [random] { return random; }, [] { return fixedNow; });
}

Error httpError(int status)
{
    Error error{Error::Kind::Http, u"HTTP %1"_s.arg(status), {}, status};
    return error;
}

} // namespace

/// RetryPolicy: which failures are retried, the backoff curve with a fixed random source, and
/// Retry-After in its seconds and three date forms.
class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryOnlyWhenSafe_data();
    void retryOnlyWhenSafe();
    void backoffDoublesAndCaps();
    void jitterStaysWithinBounds();
    void maxAttempts();
    void retryAfterIsHonoured_data();
    void retryAfterIsHonoured();
    void retryAfterTooLongGivesUp();
    void unreadableRetryAfterFallsBackToBackoff();
    void parseRetryAfter_data();
    void parseRetryAfter();
};

void TestRetryPolicy::retryOnlyWhenSafe_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("anyByte");
    QTest::addColumn<bool>("retry");

    const int http = static_cast<int>(Error::Kind::Http);
    for (const int status : {429, 502, 503, 504}) {
        QTest::addRow("HTTP %d before any byte", status) << http << status << false << true;
        QTest::addRow("HTTP %d after bytes", status) << http << status << true << false;
    }
    for (const int status : {400, 401, 403, 404, 408, 413, 422, 500, 501, 505, 529})
        QTest::addRow("HTTP %d", status) << http << status << false << false;
    QTest::newRow("connection failed before any byte") << static_cast<int>(Error::Kind::Network) << 0 << false << true;
    QTest::newRow("connection broke mid-stream") << static_cast<int>(Error::Kind::Network) << 0 << true << false;
    QTest::newRow("timeout") << static_cast<int>(Error::Kind::Timeout) << 0 << false << false;
    QTest::newRow("cancelled") << static_cast<int>(Error::Kind::Cancelled) << 0 << false << false;
    QTest::newRow("protocol") << static_cast<int>(Error::Kind::Protocol) << 0 << false << false;
    QTest::newRow("server error in stream") << static_cast<int>(Error::Kind::Server) << 0 << false << false;
    QTest::newRow("configuration") << static_cast<int>(Error::Kind::Configuration) << 0 << false << false;
    QTest::newRow("status on a non-http kind") << static_cast<int>(Error::Kind::Protocol) << 503 << false << false;
}

void TestRetryPolicy::retryOnlyWhenSafe()
{
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(bool, anyByte);
    QFETCH(bool, retry);
    const Error error{static_cast<Error::Kind>(kind), u"failed"_s, {}, status};
    const RetryPolicy::RetryDecision decision = policyWith(0.0).decide(error, 1, anyByte, {});
    QCOMPARE(decision.retry, retry);
    QVERIFY(!decision.reason.isEmpty());
    if (retry)
        QCOMPARE(decision.delay, 1000ms);
    else
        QCOMPARE(decision.delay, 0ms);
}

void TestRetryPolicy::backoffDoublesAndCaps()
{
    RetryPolicy::Settings settings;
    settings.maxAttempts = 100;
    settings.initialDelay = 500ms;
    settings.maxDelay = 10s;
    const RetryPolicy policy = policyWith(0.0, settings); // no jitter taken: the raw curve
    QCOMPARE(policy.backoff(1), 500ms);
    QCOMPARE(policy.backoff(2), 1000ms);
    QCOMPARE(policy.backoff(3), 2000ms);
    QCOMPARE(policy.backoff(5), 8000ms);
    QCOMPARE(policy.backoff(6), 10000ms);
    QCOMPARE(policy.backoff(80), 10000ms); // no overflow for absurd attempt numbers
    QCOMPARE(policy.backoff(0), 500ms);
    QCOMPARE(policy.decide(httpError(503), 3, false).delay, 2000ms);
    QCOMPARE(policy.decide(httpError(503), 40, false).delay, 10000ms);
}

void TestRetryPolicy::jitterStaysWithinBounds()
{
    RetryPolicy::Settings settings;
    settings.initialDelay = 1000ms;
    settings.maxDelay = 4000ms;
    settings.jitter = 0.5;
    settings.maxAttempts = 10;
    QCOMPARE(policyWith(0.0, settings).backoff(2), 2000ms);
    QCOMPARE(policyWith(0.5, settings).backoff(2), 1500ms);
    QCOMPARE(policyWith(0.999, settings).backoff(2), 1001ms);
    QCOMPARE(policyWith(0.999, settings).backoff(9), 2002ms); // jitter applies below the cap too
    // A misbehaving random source cannot push the delay outside [50%, 100%].
    QCOMPARE(policyWith(7.0, settings).backoff(2), 1000ms);
    QCOMPARE(policyWith(-3.0, settings).backoff(2), 2000ms);

    // The default random source stays inside the bounds as well.
    const RetryPolicy real(settings);
    for (int i = 0; i < 200; ++i) {
        const auto delay = real.backoff(3);
        QVERIFY2(delay >= 2000ms && delay <= 4000ms, qPrintable(QString::number(delay.count())));
    }
}

void TestRetryPolicy::maxAttempts()
{
    RetryPolicy::Settings settings;
    settings.maxAttempts = 3;
    const RetryPolicy policy = policyWith(0.0, settings);
    QVERIFY(policy.decide(httpError(429), 1, false).retry);
    QVERIFY(policy.decide(httpError(429), 2, false).retry);
    const RetryPolicy::RetryDecision last = policy.decide(httpError(429), 3, false);
    QVERIFY(!last.retry);
    QCOMPARE(last.reason, u"gave up after 3 attempts"_s);
    QVERIFY(!policy.decide(httpError(429), 3, false, "1").retry);
}

void TestRetryPolicy::retryAfterIsHonoured_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("expectedMs");
    QTest::newRow("429 seconds") << 429 << "7"_ba << 7000;
    QTest::newRow("503 seconds") << 503 << "  30 "_ba << 30000;
    QTest::newRow("429 zero") << 429 << "0"_ba << 0;
    QTest::newRow("503 http-date") << 503 << "Sun, 01 Jun 2025 12:00:45 GMT"_ba << 45000;
    QTest::newRow("429 date in the past") << 429 << "Sun, 01 Jun 2025 11:00:00 GMT"_ba << 0;
    // Retry-After overrides the backoff even when it is longer than the backoff cap.
    QTest::newRow("502 above backoff cap") << 502 << "100"_ba << 100000;
}

void TestRetryPolicy::retryAfterIsHonoured()
{
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    QFETCH(int, expectedMs);
    const RetryPolicy::RetryDecision decision = policyWith(0.9).decide(httpError(status), 1, false, header);
    QVERIFY(decision.retry);
    QCOMPARE(decision.delay, std::chrono::milliseconds(expectedMs));
    QVERIFY2(decision.reason.contains(u"as the server asked"_s), qPrintable(decision.reason));
}

void TestRetryPolicy::retryAfterTooLongGivesUp()
{
    const RetryPolicy::RetryDecision decision = policyWith(0.0).decide(httpError(429), 1, false, "3600");
    QVERIFY(!decision.retry);
    QCOMPARE(decision.reason, u"rate limited (HTTP 429); the server asks to wait 3600 s, longer than the 120 s we wait for"_s);
    QVERIFY(!policyWith(0.0).decide(httpError(503), 1, false, "99999999999999999999").retry);
}

void TestRetryPolicy::unreadableRetryAfterFallsBackToBackoff()
{
    const RetryPolicy::RetryDecision decision = policyWith(0.0).decide(httpError(503), 2, false, "soon");
    QVERIFY(decision.retry);
    QCOMPARE(decision.delay, 2000ms);
    QCOMPARE(decision.reason, u"server unavailable (HTTP 503); retrying in 2 s (attempt 3 of 4)"_s);
    // Retry-After is only for the statuses that may carry it, not a bypass for anything else.
    QVERIFY(!policyWith(0.0).decide(httpError(500), 1, false, "1").retry);
}

void TestRetryPolicy::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs"); // -1: not parseable

    QTest::newRow("seconds") << "120"_ba << qint64(120000);
    QTest::newRow("zero") << "0"_ba << qint64(0);
    QTest::newRow("padded") << " 5\t"_ba << qint64(5000);
    QTest::newRow("huge saturates") << "123456789012345678901234567890"_ba << qint64(1'000'000'000'000);
    QTest::newRow("imf-fixdate") << "Sun, 01 Jun 2025 12:01:30 GMT"_ba << qint64(90000);
    QTest::newRow("imf-fixdate next day") << "Mon, 02 Jun 2025 12:00:00 GMT"_ba << qint64(86'400'000);
    QTest::newRow("imf-fixdate past") << "Sat, 31 May 2025 23:59:59 GMT"_ba << qint64(0);
    QTest::newRow("rfc 850") << "Sunday, 01-Jun-25 12:00:10 GMT"_ba << qint64(10000);
    QTest::newRow("asctime") << "Sun Jun  1 12:00:20 2025"_ba << qint64(20000);
    QTest::newRow("asctime two-digit day") << "Tue Jun 10 12:00:00 2025"_ba << qint64(9 * 86'400'000LL);
    QTest::newRow("empty") << ""_ba << qint64(-1);
    QTest::newRow("negative") << "-5"_ba << qint64(-1);
    QTest::newRow("fraction") << "1.5"_ba << qint64(-1);
    QTest::newRow("words") << "later"_ba << qint64(-1);
    QTest::newRow("not gmt") << "Sun, 01 Jun 2025 12:01:30 CET"_ba << qint64(-1);
    QTest::newRow("bad month") << "Sun, 01 Jux 2025 12:01:30 GMT"_ba << qint64(-1);
    QTest::newRow("bad day") << "Sun, 31 Feb 2025 12:01:30 GMT"_ba << qint64(-1);
    QTest::newRow("bad time") << "Sun, 01 Jun 2025 25:01:30 GMT"_ba << qint64(-1);
    QTest::newRow("lower-case month") << "Sun, 01 jun 2025 12:01:30 GMT"_ba << qint64(-1);
}

void TestRetryPolicy::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    const std::optional<std::chrono::milliseconds> parsed = RetryPolicy::parseRetryAfter(value, fixedNow);
    if (expectedMs < 0) {
        QVERIFY2(!parsed, qPrintable(QString::number(parsed.value_or(0ms).count())));
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(parsed->count(), expectedMs);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
