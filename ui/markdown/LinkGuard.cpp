#include "ui/markdown/LinkGuard.h"

#include <QDesktopServices>
#include <QMessageBox>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace ragdesk {

LinkGuard::Verdict LinkGuard::classify(const QUrl &url)
{
    return refusalReason(url).isEmpty() ? Verdict::Allowed : Verdict::Refused;
}

QString LinkGuard::refusalReason(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || scheme.isEmpty())
        return tr("This link has no web address (http or https), so ragdesk does not open it.");
    if (scheme != u"http"_s && scheme != u"https"_s)
        return tr("Links of the kind \"%1:\" are never opened from answers or documents; only web links "
                  "(http, https) are.")
            .arg(scheme);
    if (url.host().isEmpty())
        return tr("This web link names no server, so ragdesk does not open it.");
    return {};
}

QString LinkGuard::shownTarget(const QUrl &url)
{
    return QString::fromUtf8(url.toEncoded());
}

LinkGuard::LinkGuard(QWidget *dialogParent)
    : QObject(dialogParent)
    , m_dialogParent(dialogParent)
    , m_opener([](const QUrl &url) { QDesktopServices::openUrl(url); })
{
}

void LinkGuard::activate(const QUrl &url)
{
    const QString reason = refusalReason(url);
    if (!reason.isEmpty()) {
        Q_EMIT refused(url, reason);
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Link not opened"), reason, QMessageBox::Ok,
            m_dialogParent);
        box->setObjectName(u"linkRefusedBox"_s);
        box->setTextFormat(Qt::PlainText);
        box->setInformativeText(tr("Target: %1").arg(shownTarget(url).left(2000)));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    if (m_confirmer) {
        if (m_confirmer(url))
            open(url);
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Open link?"),
        tr("Open this address in your web browser?"), QMessageBox::Open | QMessageBox::Cancel, m_dialogParent);
    box->setObjectName(u"linkConfirmBox"_s);
    box->setTextFormat(Qt::PlainText);
    // The full target, never the link's text: that is what the model or document chose to show.
    box->setInformativeText(shownTarget(url));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, url](int result) {
        if (result == QMessageBox::Open)
            open(url);
    });
    box->open();
}

void LinkGuard::open(const QUrl &url)
{
    m_opener(url);
    Q_EMIT opened(url);
}

} // namespace ragdesk
