#include "core/llm/ResilientStream.h"

#include "core/llm/ChatProvider.h"

#include <QCoroTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

ResilientStream::ResilientStream(ProviderHandle handle, RetryPolicy policy, QObject *parent)
    : QObject(parent)
    , m_handle(std::move(handle))
    , m_policy(std::move(policy))
{
}

QCoro::AsyncGenerator<StreamChunk> ResilientStream::run(ChatRequest request, CancelToken cancel)
{
    if (!m_handle.provider) {
        co_yield StreamChunk::failure({Error::Kind::Configuration, u"No model provider is configured. Open Settings to connect one."_s});
        co_return;
    }
    for (int attempt = 1;; ++attempt) {
        auto slot = co_await waitForSlot(cancel);
        if (!slot) {
            co_yield StreamChunk::failure(std::move(slot.error()));
            co_return;
        }
        bool anyAnswer = false;
        std::optional<Error> failure;
        auto stream = m_handle.provider->stream(request, cancel);
        auto it = co_await stream.begin();
        while (it != stream.end()) {
            StreamChunk &chunk = *it;
            if (chunk.error) {
                failure = std::move(chunk.error);
                break;
            }
            anyAnswer = anyAnswer || !chunk.content.isEmpty() || !chunk.reasoning.isEmpty();
            co_yield std::move(chunk);
            co_await ++it;
        }
        if (!failure)
            co_return;
        // The slot is not needed while counting down; another tab may use it meanwhile.
        slot->release();
        const RetryPolicy::RetryDecision decision = m_policy.decide(*failure, attempt, anyAnswer, failure->retryAfter);
        if (!decision.retry || cancel.isCancelled()) {
            co_yield StreamChunk::failure(std::move(*failure));
            co_return;
        }
        if (!co_await countDown(decision, attempt + 1, cancel)) {
            co_yield StreamChunk::failure({Error::Kind::Cancelled, u"Stopped."_s});
            co_return;
        }
    }
}

QCoro::Task<Result<RequestLimiter::Slot>> ResilientStream::waitForSlot(CancelToken cancel)
{
    const QPointer<RequestLimiter> limiter = m_handle.limiter;
    if (!limiter)
        co_return RequestLimiter::Slot();
    const quint64 ticket = limiter->issueTicket();
    const auto report = [this, limiter, ticket] {
        const int ahead = limiter ? limiter->queuePosition(ticket) : -1;
        if (ahead >= 0)
            Q_EMIT waiting({StreamWait::Reason::QueuedForSlot, ahead, {}, 0, {}});
    };
    const QMetaObject::Connection updates = connect(limiter, &RequestLimiter::queueChanged, this, report);
    // Tasks start eagerly: once acquire() returns, a queued request is in the queue.
    auto acquiring = limiter->acquire(cancel, ticket);
    const bool queued = limiter->queuePosition(ticket) >= 0;
    if (queued)
        report();
    auto slot = co_await std::move(acquiring);
    disconnect(updates);
    if (queued)
        Q_EMIT waiting({});
    co_return slot;
}

QCoro::Task<bool> ResilientStream::countDown(RetryPolicy::RetryDecision decision, int nextAttempt, CancelToken cancel)
{
    m_skipWait = false;
    Q_EMIT waiting({StreamWait::Reason::RetryBackoff, 0,
                    QDateTime::currentDateTimeUtc().addMSecs(decision.delay.count()), nextAttempt, decision.reason});
    // Short sleeps rather than one long timer, so retryNow() and cancel take effect within a tick.
    const auto deadline = std::chrono::steady_clock::now() + decision.delay;
    while (!m_skipWait && !cancel.isCancelled()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= 0ms)
            break;
        co_await QCoro::sleepFor(std::min<std::chrono::milliseconds>(left, 100ms));
    }
    Q_EMIT waiting({});
    co_return !cancel.isCancelled();
}

} // namespace ragdesk
