#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace ragdesk {

/// Shared cancellation flag with callbacks, so a tab can abort work it does not own
/// (a network reply inside a generator frame, a queued request) without holding pointers into it.
class CancelToken
{
public:
    CancelToken() : m_state(std::make_shared<State>()) {}

    void cancel()
    {
        std::vector<std::function<void()>> callbacks;
        {
            std::scoped_lock lock(m_state->mutex);
            if (m_state->cancelled)
                return;
            m_state->cancelled = true;
            callbacks.swap(m_state->callbacks);
        }
        for (auto &callback : callbacks)
            callback();
    }

    [[nodiscard]] bool isCancelled() const
    {
        std::scoped_lock lock(m_state->mutex);
        return m_state->cancelled;
    }

    /// Runs @p callback on cancel(), or at once if already cancelled. Returns an id for unsubscribe().
    int onCancel(std::function<void()> callback)
    {
        std::unique_lock lock(m_state->mutex);
        if (m_state->cancelled) {
            lock.unlock();
            callback();
            return -1;
        }
        m_state->callbacks.push_back(std::move(callback));
        return static_cast<int>(m_state->callbacks.size()) - 1;
    }

    /// Drops a callback whose captured objects are about to die.
    void unsubscribe(int id)
    {
        std::scoped_lock lock(m_state->mutex);
        if (id >= 0 && id < static_cast<int>(m_state->callbacks.size()))
            m_state->callbacks[static_cast<size_t>(id)] = [] {};
    }

private:
    struct State {
        mutable std::mutex mutex;
        bool cancelled = false;
        std::vector<std::function<void()>> callbacks;
    };
    std::shared_ptr<State> m_state;
};

} // namespace ragdesk
