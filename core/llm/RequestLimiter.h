#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"

#include <QCoroTask>
#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>

namespace ragdesk {

/// Caps the requests one provider runs at once and queues the rest first come, first served,
/// across all tabs. Lives on the UI thread and uses no threads of its own.
///
/// Rules a caller can rely on:
/// - a granted Slot is held until it is destroyed or released; the next waiter is then
///   granted at once but resumed from the event loop, never from inside the Slot's destructor;
/// - cancelling a queued request's token removes it from the queue and its acquire() returns
///   Error::Kind::Cancelled; it is never granted. Cancel on the limiter's thread;
/// - destroying the limiter resumes every queued acquire() with Error::Kind::Cancelled, and
///   Slots that outlive it release nothing.
class RequestLimiter : public QObject
{
    Q_OBJECT

public:
    /// The right to run one request. Move-only; gives the slot back when destroyed.
    class Slot
    {
    public:
        Slot() = default;
        Slot(Slot &&other) noexcept;
        Slot &operator=(Slot &&other) noexcept;
        Slot(const Slot &) = delete;
        Slot &operator=(const Slot &) = delete;
        ~Slot();

        /// True while this handle holds a slot of a live limiter.
        [[nodiscard]] bool isHeld() const { return !m_limiter.isNull(); }
        /// Gives the slot back early; the handle is empty afterwards.
        void release();

    private:
        friend class RequestLimiter;
        explicit Slot(RequestLimiter *limiter) : m_limiter(limiter) {}

        // A QPointer, so a Slot that outlives its limiter (a provider removed mid-stream)
        // releases nothing instead of touching freed memory.
        QPointer<RequestLimiter> m_limiter;
    };

    explicit RequestLimiter(int limit, QObject *parent = nullptr);
    ~RequestLimiter() override;

    [[nodiscard]] int limit() const { return m_limit; }
    /// Changes the cap at once: a higher one grants waiters, a lower one lets running
    /// requests finish and grants nothing until fewer than @p limit run. At least 1.
    void setLimit(int limit);

    [[nodiscard]] int inFlight() const { return m_inFlight; }
    [[nodiscard]] int queueLength() const { return static_cast<int>(m_queue.size()); }

    /// A fresh id to pass to acquire(), so queuePosition() can find that request.
    quint64 issueTicket() { return m_nextTicket++; }
    /// How many queued requests are ahead of @p ticket (0: it is next), or -1 if it is not queued.
    [[nodiscard]] int queuePosition(quint64 ticket) const;

    /// Waits for a free slot. Returns at once when one is free and nobody is queued.
    QCoro::Task<Result<Slot>> acquire(CancelToken cancel, quint64 ticket = 0);

Q_SIGNALS:
    /// The queue or the number of running requests changed; queued tabs re-read queuePosition().
    void queueChanged();

private:
    struct Waiter;
    class WaitAwaitable;

    void releaseSlot();
    void grantWaiting();
    void cancelWaiter(const std::shared_ptr<Waiter> &waiter);
    void forgetWaiter(const Waiter *waiter);
    static void scheduleResume(const std::shared_ptr<Waiter> &waiter);

    int m_limit = 1;
    int m_inFlight = 0; ///< granted slots, including granted waiters not yet resumed
    quint64 m_nextTicket = 1;
    std::deque<std::shared_ptr<Waiter>> m_queue;
};

} // namespace ragdesk
