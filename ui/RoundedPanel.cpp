#include "ui/RoundedPanel.h"

#include "ui/AppTheme.h"

#include <QApplication>
#include <QPainter>

namespace ragdesk {

namespace {
constexpr qreal kRadius = 10;
}

RoundedPanel::RoundedPanel(Tone tone, QWidget *parent)
    : QFrame(parent)
    , m_tone(tone)
{
    setFrameShape(QFrame::NoFrame);
}

void RoundedPanel::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    QColor fill = base;
    QColor border = AppTheme::mix(base, pal.color(QPalette::Text), 0.22);
    const QWidget *focus = QApplication::focusWidget();
    if (m_tone == Tone::Input && focus && isAncestorOf(focus))
        border = pal.color(QPalette::Highlight);
    if (m_tone == Tone::Error) {
        const QColor error = AppTheme::errorColor(pal);
        fill = AppTheme::mix(base, error, AppTheme::isDark(pal) ? 0.16 : 0.08);
        border = AppTheme::mix(base, error, 0.55);
    }
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(border, 1));
    painter.setBrush(fill);
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
}

} // namespace ragdesk
