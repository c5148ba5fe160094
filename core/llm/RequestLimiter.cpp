#include "core/llm/RequestLimiter.h"

#include <QTimer>

#include <algorithm>
#include <coroutine>
#include <optional>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Error cancelledError()
{
    return Error{Error::Kind::Cancelled, u"Stopped while waiting for a free slot."_s, {}, 0};
}

} // namespace

/// One queued acquire(). Shared between the queue, the awaiting frame and (weakly) the cancel
/// callback and the resume timer, so whichever of them outlives the others finds valid state.
struct RequestLimiter::Waiter {
    quint64 ticket = 0;
    RequestLimiter *limiter = nullptr; ///< set while queued; cleared on grant, cancel or limiter death
    std::coroutine_handle<> handle;    ///< the suspended acquire() frame, if it is suspended
    bool resolved = false;             ///< granted or failed; the frame may go on
    std::optional<Slot> slot;
    std::optional<Error> error;
};

/// Suspends acquire() until its Waiter is resolved. Resuming comes from a zero timer that
/// holds only a weak reference, and a frame destroyed while suspended takes itself out of the
/// queue, so no path resumes a dead frame or grants a slot nobody will use.
class RequestLimiter::WaitAwaitable
{
public:
    explicit WaitAwaitable(std::shared_ptr<Waiter> waiter) : m_waiter(std::move(waiter)) {}
    WaitAwaitable(const WaitAwaitable &) = delete;
    WaitAwaitable &operator=(const WaitAwaitable &) = delete;
    ~WaitAwaitable()
    {
        m_waiter->handle = {};
        if (!m_waiter->resolved && m_waiter->limiter)
            m_waiter->limiter->forgetWaiter(m_waiter.get());
    }

    bool await_ready() const noexcept { return m_waiter->resolved; }
    void await_suspend(std::coroutine_handle<> handle) noexcept { m_waiter->handle = handle; }
    void await_resume() const noexcept { m_waiter->handle = {}; }

private:
    std::shared_ptr<Waiter> m_waiter;
};

RequestLimiter::Slot::Slot(Slot &&other) noexcept : m_limiter(std::exchange(other.m_limiter, nullptr)) {}

RequestLimiter::Slot &RequestLimiter::Slot::operator=(Slot &&other) noexcept
{
    if (this != &other) {
        release();
        m_limiter = std::exchange(other.m_limiter, nullptr);
    }
    return *this;
}

RequestLimiter::Slot::~Slot()
{
    release();
}

void RequestLimiter::Slot::release()
{
    if (RequestLimiter *limiter = std::exchange(m_limiter, nullptr))
        limiter->releaseSlot();
}

RequestLimiter::RequestLimiter(int limit, QObject *parent) : QObject(parent), m_limit(std::max(1, limit)) {}

RequestLimiter::~RequestLimiter()
{
    // Waiters must not hang forever on a provider that is gone: they resume (later, from the
    // event loop) with a cancellation. No signal is emitted from a half-destroyed object.
    for (const std::shared_ptr<Waiter> &waiter : std::exchange(m_queue, {})) {
        waiter->limiter = nullptr;
        waiter->resolved = true;
        waiter->error = Error{Error::Kind::Cancelled,
                              u"The provider was removed while this request waited for a free slot."_s, {}, 0};
        scheduleResume(waiter);
    }
}

void RequestLimiter::setLimit(int limit)
{
    m_limit = std::max(1, limit);
    grantWaiting();
    Q_EMIT queueChanged();
}

int RequestLimiter::queuePosition(quint64 ticket) const
{
    const auto it = std::ranges::find_if(m_queue, [ticket](const auto &waiter) { return waiter->ticket == ticket; });
    return it == m_queue.end() ? -1 : static_cast<int>(it - m_queue.begin());
}

// GCC 14 reports a false -Wmaybe-uninitialized for the Error half of std::expected when a
// coroutine co_returns the value half (both co_returns of a Slot below); nothing is uninitialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
QCoro::Task<Result<RequestLimiter::Slot>> RequestLimiter::acquire(CancelToken cancel, quint64 ticket)
{
    if (cancel.isCancelled())
        co_return std::unexpected(cancelledError());
    if (m_queue.empty() && m_inFlight < m_limit) {
        ++m_inFlight;
        co_return Slot(this);
    }

    auto waiter = std::make_shared<Waiter>();
    waiter->ticket = ticket != 0 ? ticket : issueTicket();
    waiter->limiter = this;
    m_queue.push_back(waiter);

    const int cancelId = cancel.onCancel([weak = std::weak_ptr<Waiter>(waiter)] {
        const std::shared_ptr<Waiter> queued = weak.lock();
        if (queued && !queued->resolved && queued->limiter)
            queued->limiter->cancelWaiter(queued);
    });
    // Last use of `this`: a handler may even destroy the limiter, which resolves the waiter.
    Q_EMIT queueChanged();

    co_await WaitAwaitable(waiter);
    cancel.unsubscribe(cancelId);

    if (waiter->error)
        co_return std::unexpected(*waiter->error);
    // Cancelled between the grant and this resume: the slot goes back with the Waiter.
    if (cancel.isCancelled())
        co_return std::unexpected(cancelledError());
    co_return std::move(*waiter->slot);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void RequestLimiter::releaseSlot()
{
    --m_inFlight;
    grantWaiting();
    Q_EMIT queueChanged();
}

void RequestLimiter::grantWaiting()
{
    // The grant itself is immediate, so a newcomer can never overtake the queue between a
    // release and the waiter's resume; only the resume is deferred.
    while (!m_queue.empty() && m_inFlight < m_limit) {
        std::shared_ptr<Waiter> waiter = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_inFlight;
        waiter->limiter = nullptr;
        waiter->resolved = true;
        waiter->slot.emplace(Slot(this));
        scheduleResume(waiter);
    }
}

void RequestLimiter::cancelWaiter(const std::shared_ptr<Waiter> &waiter)
{
    forgetWaiter(waiter.get());
    waiter->resolved = true;
    waiter->error = cancelledError();
    // Resuming from the event loop keeps the frame from running inside CancelToken::cancel().
    scheduleResume(waiter);
}

void RequestLimiter::forgetWaiter(const Waiter *waiter)
{
    const auto it = std::ranges::find_if(m_queue, [waiter](const auto &queued) { return queued.get() == waiter; });
    if (it == m_queue.end())
        return;
    (*it)->limiter = nullptr;
    m_queue.erase(it);
    Q_EMIT queueChanged();
}

void RequestLimiter::scheduleResume(const std::shared_ptr<Waiter> &waiter)
{
    // No context object: the timer must fire even when the limiter is already gone.
    QTimer::singleShot(0, [weak = std::weak_ptr<Waiter>(waiter)] {
        if (const std::shared_ptr<Waiter> resumed = weak.lock(); resumed && resumed->handle)
            std::exchange(resumed->handle, {}).resume();
    });
}

} // namespace ragdesk
