// StallMonitor must see a blocked UI thread, both afterwards (figures) and while it is still
// blocked (watchdog), and report an idle loop as idle.

#include "core/diagnostics/StallMonitor.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using ragdesk::StallMonitor;

namespace {
void blockFor(std::chrono::milliseconds duration)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < duration.count()) {
        // Busy on purpose: this simulates SQL or parsing on the UI thread.
    }
}
/// Runs the event loop for @p duration. QTest::qWait would not do: it sleeps between event
/// batches, which is exactly the lag this monitor measures.
void spin(std::chrono::milliseconds duration)
{
    QEventLoop loop;
    QTimer::singleShot(duration, &loop, &QEventLoop::quit);
    loop.exec();
}
} // namespace

class TestStallMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void measuresABlockedLoop()
    {
        StallMonitor monitor(2ms, 50ms);
        monitor.start();
        spin(100ms);
        QTimer::singleShot(0, [] { blockFor(150ms); });
        spin(200ms);
        const auto figures = monitor.figures();
        QVERIFY2(figures.worstMs >= 140.0, qPrintable(QString::number(figures.worstMs)));
        QVERIFY(figures.worstMs < 1000.0);
        QVERIFY(figures.samples > 20);
        QVERIFY(figures.stallsOverBudget >= 1);
        // One stall among many on-time ticks: the median stays small.
        QVERIFY2(figures.p50Ms < 20.0, qPrintable(QString::number(figures.p50Ms)));
    }

    void watchdogSeesTheStallWhileStuck()
    {
        StallMonitor monitor(5ms, 40ms);
        monitor.start();
        spin(20ms);
        int reportsDuringBlock = -1;
        QTimer::singleShot(0, [&] {
            blockFor(250ms);
            // Read before the loop runs again: only the watchdog thread can have counted it.
            reportsDuringBlock = monitor.watchdogReports();
        });
        QTRY_VERIFY(reportsDuringBlock >= 0);
        QCOMPARE(reportsDuringBlock, 1);
    }

    void idleLoopHasNoStalls()
    {
        StallMonitor monitor(5ms, 100ms);
        monitor.start();
        spin(150ms);
        monitor.reset();
        spin(150ms);
        const auto figures = monitor.figures();
        QVERIFY(figures.samples >= 10);
        QCOMPARE(figures.stallsOverBudget, 0);
        QCOMPARE(monitor.watchdogReports(), 0);
    }

    void resetForgetsThePast()
    {
        StallMonitor monitor(2ms, 50ms);
        monitor.start();
        QTimer::singleShot(0, [] { blockFor(80ms); });
        spin(120ms);
        QVERIFY(monitor.figures().worstMs >= 70.0);
        monitor.reset();
        QCOMPARE(monitor.figures().samples, 0);
        QCOMPARE(monitor.figures().worstMs, 0.0);
    }

    void emitsUpdates()
    {
        StallMonitor monitor(5ms);
        QSignalSpy updated(&monitor, &StallMonitor::updated);
        monitor.start();
        QVERIFY(updated.wait(2000));
    }
};

QTEST_GUILESS_MAIN(TestStallMonitor)
#include "tst_stallmonitor.moc"
