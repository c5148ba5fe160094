// StreamDeadlines: which clock governs each phase of a streamed answer, and that the overall
// limit still ends a stream whose bytes (keep-alive comments) keep the idle clock reset.

#include "core/llm/StreamDeadlines.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using Limit = StreamDeadlines::Limit;

class TestStreamDeadlines : public QObject
{
    Q_OBJECT

private:
    static ProviderSettings settings()
    {
        ProviderSettings s;
        s.connectTimeout = 10s;
        s.firstByteTimeout = 60s;
        s.idleTimeout = 30s;
        s.totalTimeout = 300s;
        return s;
    }
    const StreamDeadlines::Clock::time_point t0 = StreamDeadlines::Clock::now();

private Q_SLOTS:
    void connectGovernsUntilTheRequestIsSent()
    {
        const StreamDeadlines deadlines(settings(), t0);
        const auto next = deadlines.next(t0 + 4s);
        QCOMPARE(next.limit, Limit::Connect);
        QCOMPARE(next.remaining, 6000ms);
        QVERIFY(deadlines.next(t0 + 11s).remaining <= 0ms);
    }

    void firstByteCountsFromSending()
    {
        StreamDeadlines deadlines(settings(), t0);
        deadlines.noteRequestSent(t0 + 2s);
        const auto next = deadlines.next(t0 + 12s);
        QCOMPARE(next.limit, Limit::FirstByte);
        QCOMPARE(next.remaining, 50000ms);
    }

    void idleCountsFromTheLastByte()
    {
        StreamDeadlines deadlines(settings(), t0);
        deadlines.noteRequestSent(t0 + 1s);
        deadlines.noteBytes(t0 + 5s);
        deadlines.noteBytes(t0 + 40s);
        QVERIFY(deadlines.anyByte());
        const auto next = deadlines.next(t0 + 50s);
        QCOMPARE(next.limit, Limit::Idle);
        QCOMPARE(next.remaining, 20000ms);
    }

    void bytesImplyTheRequestWasSent()
    {
        StreamDeadlines deadlines(settings(), t0);
        deadlines.noteBytes(t0 + 20s); // "sent" was never noticed, yet the answer is arriving
        QCOMPARE(deadlines.next(t0 + 21s).limit, Limit::Idle);
    }

    void aDripThatResetsIdleForeverMeetsTheTotalLimit()
    {
        StreamDeadlines deadlines(settings(), t0);
        deadlines.noteRequestSent(t0);
        auto now = t0;
        for (int i = 0; i < 29; ++i) {
            now += 10s;
            deadlines.noteBytes(now); // a keep-alive comment every 10 s
            QVERIFY(deadlines.next(now).remaining > 0ms);
        }
        now += 10s + 1ms;
        deadlines.noteBytes(now);
        const auto next = deadlines.next(now);
        QCOMPARE(next.limit, Limit::Total);
        QVERIFY(next.remaining <= 0ms);
    }

    void explanationsNameTheClockAndTheSetting()
    {
        const StreamDeadlines deadlines(settings(), t0);
        QVERIFY(deadlines.explain(Limit::Connect, u"h:1"_s).contains(u"Could not connect to h:1 within 10 s"_s));
        QVERIFY(deadlines.explain(Limit::FirstByte, u"h:1"_s).contains(u"60 s"_s));
        QVERIFY(deadlines.explain(Limit::Idle, u"h:1"_s).contains(u"idle timeout"_s));
        QVERIFY(deadlines.explain(Limit::Total, u"h:1"_s).contains(u"overall limit of 300 s"_s));
        ProviderSettings quick = settings();
        quick.firstByteTimeout = 300ms;
        QVERIFY(StreamDeadlines(quick, t0).explain(Limit::FirstByte, u"h:1"_s).contains(u"for 0.3 s"_s));
    }
};

QTEST_GUILESS_MAIN(TestStreamDeadlines)
#include "tst_streamdeadlines.moc"
