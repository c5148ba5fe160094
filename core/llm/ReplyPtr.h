#pragma once

#include "core/foundation/Error.h"

#include <QNetworkReply>
#include <QPointer>

#include <utility>

namespace ragdesk {

/// Owns a reply for the frame that awaits it: leaving the frame (cancelled, failed, done)
/// aborts and frees the request.
///
/// The reply is also a child of its QNetworkAccessManager, which deletes it when it goes first.
/// QCoro resumes an awaiting coroutine through a queued connection, so a frame can wake after
/// its manager is gone (a cancelled request, then the owner torn down before the event loop
/// turns). The pointer is therefore weak: get() is null once the reply was deleted, and the
/// frame must check it after every co_await instead of touching freed memory.
class ReplyPtr
{
public:
    ReplyPtr() = default;
    explicit ReplyPtr(QNetworkReply *reply)
        : m_reply(reply)
    {
    }
    ~ReplyPtr() { reset(); }

    ReplyPtr(const ReplyPtr &) = delete;
    ReplyPtr &operator=(const ReplyPtr &) = delete;
    ReplyPtr(ReplyPtr &&other) noexcept
        : m_reply(std::exchange(other.m_reply, nullptr))
    {
    }
    ReplyPtr &operator=(ReplyPtr &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_reply = std::exchange(other.m_reply, nullptr);
        }
        return *this;
    }

    /// Deleting an unfinished reply must abort it first, or Qt keeps the transfer running.
    void reset()
    {
        if (QNetworkReply *reply = m_reply.data()) {
            if (!reply->isFinished())
                reply->abort();
            reply->deleteLater();
        }
        m_reply = nullptr;
    }

    /// Null once the reply was deleted, e.g. with its network access manager.
    [[nodiscard]] QNetworkReply *get() const { return m_reply.data(); }
    QNetworkReply *operator->() const { return m_reply.data(); }
    QNetworkReply &operator*() const { return *m_reply; }
    explicit operator bool() const { return !m_reply.isNull(); }

private:
    QPointer<QNetworkReply> m_reply;
};

/// What a frame ends with when its reply was deleted under it: its QNetworkAccessManager went
/// away, which happens only while its owner shuts down.
inline Error replyGoneError(bool cancelled)
{
    if (cancelled)
        return Error{Error::Kind::Cancelled, QStringLiteral("Stopped."), {}, 0};
    return Error{Error::Kind::Network,
                 QStringLiteral("The request ended because ragdesk's network access was shut down. Try again."), {}, 0};
}

} // namespace ragdesk
