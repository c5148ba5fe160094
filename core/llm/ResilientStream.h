#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/RequestLimiter.h"
#include "core/llm/RetryPolicy.h"

#include <QCoroAsyncGenerator>
#include <QObject>
#include <QPointer>

#include <memory>

namespace ragdesk {

class ChatProvider;

/// A provider ready for one request, with the limiter that caps its concurrency.
struct ProviderHandle {
    std::shared_ptr<ChatProvider> provider;
    QPointer<RequestLimiter> limiter; ///< null: no cap
};

/// One chat request the way a turn runs it: first a slot of the provider's RequestLimiter
/// (its queue position reported while waiting), then the stream; a failure RetryPolicy calls
/// safe (no byte of the answer arrived yet; connection failure, 429, 502, 503, 504) is retried
/// after a visible countdown that retryNow() cuts short and the cancel token ends. The slot is
/// given back during the countdown so other tabs are not held up by this one's wait.
/// Lives on the UI thread; owned by the turn that runs it.
class ResilientStream : public QObject
{
    Q_OBJECT
public:
    ResilientStream(ProviderHandle handle, RetryPolicy policy, QObject *parent = nullptr);

    /// The answer's chunks; a final failure arrives as a last chunk with `error` set.
    QCoro::AsyncGenerator<StreamChunk> run(ChatRequest request, CancelToken cancel);

    /// Ends the current backoff countdown at once; the next attempt starts now.
    void retryNow() { m_skipWait = true; }

Q_SIGNALS:
    /// The request waits (queued or counting down), or stopped waiting (Reason::None).
    void waiting(const ragdesk::StreamWait &wait);

private:
    QCoro::Task<Result<RequestLimiter::Slot>> waitForSlot(CancelToken cancel);
    /// False when the wait ended by cancel rather than by time or retryNow().
    QCoro::Task<bool> countDown(RetryPolicy::RetryDecision decision, int nextAttempt, CancelToken cancel);

    ProviderHandle m_handle;
    RetryPolicy m_policy;
    bool m_skipWait = false;
};

} // namespace ragdesk
