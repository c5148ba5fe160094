#pragma once

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QWidget;

namespace ragdesk {

/// The link policy for rendered model and document text: a link opens only when the user
/// clicked it, saw its full target in a confirmation and agreed; only http and https open at
/// all. Everything else (javascript:, file:, data:, relative links...) is refused with a message.
class LinkGuard : public QObject
{
    Q_OBJECT
public:
    enum class Verdict { Allowed, Refused };

    /// Pure: whether @p url may be offered for opening at all.
    static Verdict classify(const QUrl &url);
    /// Why @p url is refused, for people; empty when it is allowed.
    static QString refusalReason(const QUrl &url);
    /// The target as shown before opening: encoded, so look-alike hosts show as punycode.
    static QString shownTarget(const QUrl &url);

    /// Dialogs are shown window-modal over @p dialogParent (no nested event loop).
    explicit LinkGuard(QWidget *dialogParent);

    /// Test seam: answers the confirmation instead of a dialog (true opens the link).
    void setConfirmer(std::function<bool(const QUrl &)> confirmer) { m_confirmer = std::move(confirmer); }
    /// Test seam: what opens a confirmed link; QDesktopServices::openUrl by default.
    void setOpener(std::function<void(const QUrl &)> opener) { m_opener = std::move(opener); }

    /// The user clicked @p url: refuse it, or ask and then open it.
    void activate(const QUrl &url);

Q_SIGNALS:
    void refused(const QUrl &url, const QString &reason);
    void opened(const QUrl &url);

private:
    void open(const QUrl &url);

    QPointer<QWidget> m_dialogParent;
    std::function<bool(const QUrl &)> m_confirmer;
    std::function<void(const QUrl &)> m_opener;
};

} // namespace ragdesk
