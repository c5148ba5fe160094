#include "core/llm/ReplyWatch.h"

#include <QNetworkReply>

namespace ragdesk {

bool isSameOrigin(const QUrl &a, const QUrl &b)
{
    const auto defaultPort = [](const QUrl &url) { return url.scheme() == QLatin1String("https") ? 443 : 80; };
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
        && a.port(defaultPort(a)) == b.port(defaultPort(b));
}

std::shared_ptr<ReplyWatch> watchReply(QNetworkReply *reply)
{
    auto watch = std::make_shared<ReplyWatch>();
    const std::weak_ptr<ReplyWatch> weak = watch;
    QObject::connect(reply, &QNetworkReply::requestSent, reply, [weak] {
        if (auto w = weak.lock())
            w->requestSent = true;
    });
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [weak](const QList<QSslError> &errors) {
        if (auto w = weak.lock())
            w->sslErrors = errors;
    });
    // Qt would carry every header, the key included, to wherever the server points; only the
    // origin the user configured may see it.
    QObject::connect(reply, &QNetworkReply::redirected, reply, [weak, reply](const QUrl &target) {
        const QUrl resolved = reply->url().resolved(target);
        if (isSameOrigin(reply->url(), resolved)) {
            Q_EMIT reply->redirectAllowed();
            return;
        }
        if (auto w = weak.lock())
            w->refusedRedirect = resolved;
        reply->abort();
    });
    return watch;
}

} // namespace ragdesk
