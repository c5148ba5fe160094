#include "ui/ErrorBanner.h"

#include "ui/AppTheme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace ragdesk {

ErrorBanner::ErrorBanner(QWidget *parent)
    : RoundedPanel(Tone::Error, parent)
    , m_icon(new QLabel(u"⚠"_s, this))
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_settings(new QPushButton(tr("Settings…"), this))
{
    setObjectName(u"errorBanner"_s);
    m_text->setObjectName(u"errorText"_s);
    m_retry->setObjectName(u"retryButton"_s);
    m_settings->setObjectName(u"errorSettingsButton"_s);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);
    QFont iconFont = m_icon->font();
    iconFont.setPointSizeF(iconFont.pointSizeF() * 1.4);
    m_icon->setFont(iconFont);
    m_icon->setAlignment(Qt::AlignTop);

    auto *dismiss = new QToolButton(this);
    dismiss->setText(u"✕"_s);
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Dismiss"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 8, 8);
    layout->setSpacing(10);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignVCenter);
    layout->addWidget(m_settings, 0, Qt::AlignVCenter);
    layout->addWidget(dismiss, 0, Qt::AlignTop);

    connect(m_retry, &QPushButton::clicked, this, &ErrorBanner::retryRequested);
    connect(m_settings, &QPushButton::clicked, this, &ErrorBanner::settingsRequested);
    connect(dismiss, &QToolButton::clicked, this, &QWidget::hide);
    updateIconColor();
    hide();
}

void ErrorBanner::showError(const QString &message, bool canRetry)
{
    m_text->setText(message);
    m_retry->setVisible(canRetry);
    show();
}

QString ErrorBanner::message() const
{
    return m_text->text();
}

void ErrorBanner::setSettingsVisible(bool visible)
{
    m_settings->setVisible(visible);
}

void ErrorBanner::changeEvent(QEvent *event)
{
    RoundedPanel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateIconColor();
}

void ErrorBanner::updateIconColor()
{
    // Only the child's palette changes, so this cannot feed back into our own PaletteChange.
    QPalette iconPalette = m_icon->palette();
    iconPalette.setColor(QPalette::WindowText, AppTheme::errorColor(palette()));
    m_icon->setPalette(iconPalette);
}

} // namespace ragdesk
