#pragma once

#include <QNetworkReply>

#include <memory>

namespace ragdesk {

/// Deleting an unfinished reply must abort it first, or Qt keeps the transfer running.
struct ReplyDeleter {
    void operator()(QNetworkReply *reply) const
    {
        if (!reply->isFinished())
            reply->abort();
        reply->deleteLater();
    }
};

/// Owns a reply for the frame that awaits it: leaving the frame (cancelled, failed, done)
/// aborts and frees the request.
using ReplyPtr = std::unique_ptr<QNetworkReply, ReplyDeleter>;

} // namespace ragdesk
