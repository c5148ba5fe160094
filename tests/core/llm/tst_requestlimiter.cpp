#include "core/llm/RequestLimiter.h"

#include <QCoroTimer>
#include <QSignalSpy>
#include <QTest>

#include <map>
#include <numeric>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using ragdesk::CancelToken;
using ragdesk::Error;
using ragdesk::RequestLimiter;
using ragdesk::Result;

namespace {

/// What the acquiring coroutines report back to the test.
struct Log {
    std::vector<int> grants;                   ///< request ids in the order they got a slot
    std::map<int, RequestLimiter::Slot> held;  ///< slots the test releases explicitly
    std::map<int, Error> errors;
    int finished = 0;
};

/// Acquires a slot for request @p id and parks it in @p log, where the test releases it.
QCoro::Task<> acquireInto(RequestLimiter *limiter, CancelToken cancel, quint64 ticket, int id, std::shared_ptr<Log> log)
{
    Result<RequestLimiter::Slot> slot = co_await limiter->acquire(cancel, ticket);
    if (slot) {
        log->grants.push_back(id);
        log->held.emplace(id, std::move(*slot));
    } else {
        log->errors.emplace(id, slot.error());
    }
    ++log->finished;
}

/// A request that holds its slot for a couple of event-loop turns, counting how many run at once.
QCoro::Task<> work(RequestLimiter *limiter, quint64 ticket, int id, std::shared_ptr<Log> log, std::shared_ptr<int> running,
                   std::shared_ptr<int> maxRunning)
{
    Result<RequestLimiter::Slot> slot = co_await limiter->acquire(CancelToken(), ticket);
    if (!slot) {
        log->errors.emplace(id, slot.error());
        ++log->finished;
        co_return;
    }
    log->grants.push_back(id);
    *maxRunning = std::max(*maxRunning, ++*running);
    co_await QCoro::sleepFor(1ms);
    co_await QCoro::sleepFor(0ms);
    --*running;
    ++log->finished;
}

} // namespace

/// RequestLimiter: the cap, FIFO order, queue positions, cancellation, limit changes, deferred
/// resumption and destruction with waiters.
class TestRequestLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grantsAtOnceWhenFree();
    void twentyRequestsLimitTwo();
    void queuePositionsAndSignal();
    void cancellingQueuedRequestRemovesIt();
    void alreadyCancelledTokenFailsAtOnce();
    void cancelAfterGrantBeforeResumeGivesSlotBack();
    void releaseResumesNextWaiterLater();
    void raisingLimitGrantsWaiters();
    void loweringLimitLetsRunningFinish();
    void destroyingLimiterCancelsWaiters();
    void slotIsMoveOnlyAndReleasesOnce();
};

void TestRequestLimiter::grantsAtOnceWhenFree()
{
    RequestLimiter limiter(2);
    auto first = QCoro::waitFor(limiter.acquire(CancelToken()));
    QVERIFY(first);
    QVERIFY(first->isHeld());
    auto second = QCoro::waitFor(limiter.acquire(CancelToken()));
    QVERIFY(second);
    QCOMPARE(limiter.inFlight(), 2);
    first->release();
    QVERIFY(!first->isHeld());
    QCOMPARE(limiter.inFlight(), 1);
    *second = RequestLimiter::Slot();
    QCOMPARE(limiter.inFlight(), 0);
}

void TestRequestLimiter::twentyRequestsLimitTwo()
{
    RequestLimiter limiter(2);
    auto log = std::make_shared<Log>();
    auto running = std::make_shared<int>(0);
    auto maxRunning = std::make_shared<int>(0);
    std::vector<QCoro::Task<>> tasks;
    std::vector<quint64> tickets;
    for (int id = 0; id < 20; ++id) {
        tickets.push_back(limiter.issueTicket());
        tasks.push_back(work(&limiter, tickets.back(), id, log, running, maxRunning));
    }
    QCOMPARE(limiter.inFlight(), 2);
    QCOMPARE(limiter.queueLength(), 18);
    for (int id = 0; id < 20; ++id)
        QCOMPARE(limiter.queuePosition(tickets[static_cast<size_t>(id)]), id < 2 ? -1 : id - 2);

    QTRY_COMPARE_WITH_TIMEOUT(log->finished, 20, 10000);
    QCOMPARE(*maxRunning, 2);
    std::vector<int> expectedOrder(20);
    std::iota(expectedOrder.begin(), expectedOrder.end(), 0);
    QCOMPARE(log->grants, expectedOrder);
    QVERIFY(log->errors.empty());
    QCOMPARE(limiter.inFlight(), 0);
    QCOMPARE(limiter.queueLength(), 0);
}

void TestRequestLimiter::queuePositionsAndSignal()
{
    RequestLimiter limiter(1);
    QSignalSpy changed(&limiter, &RequestLimiter::queueChanged);
    auto log = std::make_shared<Log>();
    const quint64 a = limiter.issueTicket();
    const quint64 b = limiter.issueTicket();
    const quint64 c = limiter.issueTicket();
    QVERIFY(a != b && b != c);
    auto ta = acquireInto(&limiter, CancelToken(), a, 0, log);
    QCOMPARE(log->grants, std::vector<int>{0});
    auto tb = acquireInto(&limiter, CancelToken(), b, 1, log);
    auto tc = acquireInto(&limiter, CancelToken(), c, 2, log);
    QCOMPARE(changed.count(), 2); // one per request that had to queue
    QCOMPARE(limiter.queuePosition(a), -1);
    QCOMPARE(limiter.queuePosition(b), 0);
    QCOMPARE(limiter.queuePosition(c), 1);
    QCOMPARE(limiter.queuePosition(9999), -1);

    log->held.erase(0);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(limiter.queuePosition(b), -1);
    QCOMPARE(limiter.queuePosition(c), 0);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1}));
    log->held.erase(1);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 2}));
    QCOMPARE(limiter.queuePosition(c), -1);
}

void TestRequestLimiter::cancellingQueuedRequestRemovesIt()
{
    RequestLimiter limiter(1);
    auto log = std::make_shared<Log>();
    CancelToken cancelC;
    const quint64 tickets[] = {limiter.issueTicket(), limiter.issueTicket(), limiter.issueTicket(), limiter.issueTicket()};
    auto ta = acquireInto(&limiter, CancelToken(), tickets[0], 0, log);
    auto tb = acquireInto(&limiter, CancelToken(), tickets[1], 1, log);
    auto tc = acquireInto(&limiter, cancelC, tickets[2], 2, log);
    auto td = acquireInto(&limiter, CancelToken(), tickets[3], 3, log);
    QCOMPARE(limiter.queuePosition(tickets[3]), 2);

    cancelC.cancel();
    QCOMPARE(limiter.queueLength(), 2);
    QCOMPARE(limiter.queuePosition(tickets[2]), -1);
    QCOMPARE(limiter.queuePosition(tickets[3]), 1);
    QCOMPARE(log->finished, 1); // the cancelled frame resumes from the event loop, not inside cancel()
    QTRY_COMPARE(log->errors.size(), size_t(1));
    QCOMPARE(log->errors.at(2).kind, Error::Kind::Cancelled);

    log->held.erase(0);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1}));
    log->held.erase(1);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 3}));
    log->held.clear();
    QCOMPARE(limiter.inFlight(), 0);
    QCOMPARE(log->errors.size(), size_t(1)); // cancelling again later changes nothing
    cancelC.cancel();
    QCOMPARE(log->finished, 4);
}

void TestRequestLimiter::alreadyCancelledTokenFailsAtOnce()
{
    RequestLimiter limiter(1);
    CancelToken cancel;
    cancel.cancel();
    const auto result = QCoro::waitFor(limiter.acquire(cancel));
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Cancelled);
    QCOMPARE(limiter.inFlight(), 0);
}

void TestRequestLimiter::cancelAfterGrantBeforeResumeGivesSlotBack()
{
    RequestLimiter limiter(1);
    auto log = std::make_shared<Log>();
    CancelToken cancelB;
    auto ta = acquireInto(&limiter, CancelToken(), limiter.issueTicket(), 0, log);
    auto tb = acquireInto(&limiter, cancelB, limiter.issueTicket(), 1, log);
    log->held.erase(0); // b is granted now, resumed later
    QCOMPARE(limiter.inFlight(), 1);
    cancelB.cancel();
    QTRY_COMPARE(log->finished, 2);
    QCOMPARE(log->errors.at(1).kind, Error::Kind::Cancelled);
    QCOMPARE(limiter.inFlight(), 0);
    QCOMPARE(log->grants, std::vector<int>{0});
}

void TestRequestLimiter::releaseResumesNextWaiterLater()
{
    RequestLimiter limiter(1);
    auto log = std::make_shared<Log>();
    auto ta = acquireInto(&limiter, CancelToken(), limiter.issueTicket(), 0, log);
    auto tb = acquireInto(&limiter, CancelToken(), limiter.issueTicket(), 1, log);
    auto tc = acquireInto(&limiter, CancelToken(), limiter.issueTicket(), 2, log);
    log->held.erase(0);
    // Granted at once (so nobody can overtake it) but not yet running: no recursion into b's
    // frame from inside the slot's destructor.
    QCOMPARE(limiter.inFlight(), 1);
    QCOMPARE(limiter.queueLength(), 1);
    QCOMPARE(log->grants, std::vector<int>{0});
    // A newcomer joins behind c even though b has not resumed yet.
    auto td = acquireInto(&limiter, CancelToken(), limiter.issueTicket(), 3, log);
    QCOMPARE(limiter.queueLength(), 2);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1}));
    log->held.erase(1);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 2}));
    log->held.erase(2);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 2, 3}));
}

void TestRequestLimiter::raisingLimitGrantsWaiters()
{
    RequestLimiter limiter(1);
    auto log = std::make_shared<Log>();
    std::vector<QCoro::Task<>> tasks;
    for (int id = 0; id < 4; ++id)
        tasks.push_back(acquireInto(&limiter, CancelToken(), limiter.issueTicket(), id, log));
    QCOMPARE(limiter.queueLength(), 3);
    limiter.setLimit(3);
    QCOMPARE(limiter.limit(), 3);
    QCOMPARE(limiter.inFlight(), 3);
    QCOMPARE(limiter.queueLength(), 1);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 2}));
    limiter.setLimit(0); // clamped: a provider always gets at least one request through
    QCOMPARE(limiter.limit(), 1);
    log->held.clear();
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 2, 3}));
}

void TestRequestLimiter::loweringLimitLetsRunningFinish()
{
    RequestLimiter limiter(3);
    auto log = std::make_shared<Log>();
    std::vector<QCoro::Task<>> tasks;
    for (int id = 0; id < 4; ++id)
        tasks.push_back(acquireInto(&limiter, CancelToken(), limiter.issueTicket(), id, log));
    QCOMPARE(limiter.inFlight(), 3);
    limiter.setLimit(1);
    QCOMPARE(limiter.inFlight(), 3); // running requests are not interrupted
    log->held.erase(0);
    log->held.erase(1);
    QCOMPARE(limiter.inFlight(), 1);
    QCOMPARE(limiter.queueLength(), 1); // 1 running == limit: still no grant
    log->held.erase(2);
    QCOMPARE(limiter.inFlight(), 1);
    QCOMPARE(limiter.queueLength(), 0);
    QTRY_COMPARE(log->grants, (std::vector<int>{0, 1, 2, 3}));
}

void TestRequestLimiter::destroyingLimiterCancelsWaiters()
{
    auto limiter = std::make_unique<RequestLimiter>(1);
    auto log = std::make_shared<Log>();
    auto ta = acquireInto(limiter.get(), CancelToken(), limiter->issueTicket(), 0, log);
    CancelToken cancelB;
    auto tb = acquireInto(limiter.get(), cancelB, limiter->issueTicket(), 1, log);
    auto tc = acquireInto(limiter.get(), CancelToken(), limiter->issueTicket(), 2, log);
    limiter.reset();

    QTRY_COMPARE(log->finished, 3);
    QCOMPARE(log->grants, std::vector<int>{0});
    QCOMPARE(log->errors.at(1).kind, Error::Kind::Cancelled);
    QCOMPARE(log->errors.at(2).kind, Error::Kind::Cancelled);
    QVERIFY(log->errors.at(2).message.contains(u"removed"_s));
    // The slot that outlived its limiter is inert; releasing and cancelling touch nothing freed.
    QVERIFY(!log->held.at(0).isHeld());
    log->held.clear();
    cancelB.cancel();
}

void TestRequestLimiter::slotIsMoveOnlyAndReleasesOnce()
{
    static_assert(!std::is_copy_constructible_v<RequestLimiter::Slot>);
    static_assert(std::is_nothrow_move_constructible_v<RequestLimiter::Slot>);
    RequestLimiter limiter(2);
    auto a = QCoro::waitFor(limiter.acquire(CancelToken()));
    auto b = QCoro::waitFor(limiter.acquire(CancelToken()));
    QVERIFY(a && b);
    RequestLimiter::Slot moved(std::move(*a));
    QVERIFY(!a->isHeld());
    QVERIFY(moved.isHeld());
    QCOMPARE(limiter.inFlight(), 2);
    moved = std::move(*b); // the assigned-over slot is released, the moved one carried over
    QCOMPARE(limiter.inFlight(), 1);
    QVERIFY(!b->isHeld());
    moved.release();
    moved.release();
    QCOMPARE(limiter.inFlight(), 0);
}

QTEST_GUILESS_MAIN(TestRequestLimiter)
#include "tst_requestlimiter.moc"
