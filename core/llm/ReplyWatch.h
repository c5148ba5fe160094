#pragma once

#include <QList>
#include <QSslError>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkReply;

namespace ragdesk {

/// What happened to a reply besides its body, recorded from its signals so the awaiting
/// coroutine can read it after each wake-up.
struct ReplyWatch {
    bool requestSent = false;
    /// A redirect to another origin that was refused, so no credential ever travelled there.
    std::optional<QUrl> refusedRedirect;
    /// The certificate errors that failed the TLS handshake. They are never ignored.
    QList<QSslError> sslErrors;
};

/// Starts watching @p reply (which must use QNetworkRequest::UserVerifiedRedirectPolicy):
/// same-origin redirects are followed; any other aborts the reply. The watch lives as long as
/// the returned pointer, independent of the reply.
std::shared_ptr<ReplyWatch> watchReply(QNetworkReply *reply);

/// True when both URLs share scheme, host and port, the origin that credentials belong to.
bool isSameOrigin(const QUrl &a, const QUrl &b);

} // namespace ragdesk
