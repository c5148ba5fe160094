#include "ui/AppTheme.h"

#include <QApplication>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace ragdesk {

AppTheme::AppTheme()
    : m_systemStyle(QApplication::style() ? QApplication::style()->name() : QString())
{ }

void AppTheme::apply(ThemeMode mode)
{
    m_mode = mode;
    switch (mode) {
    case ThemeMode::System:
        if (!m_systemStyle.isEmpty())
            QApplication::setStyle(m_systemStyle);
        // A palette that overrides no role hands every colour back to the platform theme,
        // which keeps following the desktop's own light/dark switch.
        QApplication::setPalette(QPalette());
        break;
    case ThemeMode::Light:
        QApplication::setStyle(u"Fusion"_s);
        QApplication::setPalette(lightPalette());
        break;
    case ThemeMode::Dark:
        QApplication::setStyle(u"Fusion"_s);
        QApplication::setPalette(darkPalette());
        break;
    }
}

namespace {

struct PaletteColors {
    QColor window, windowText, base, alternateBase, text, button, buttonText, highlight, highlightedText;
    QColor light, midlight, mid, dark, shadow, placeholder, link, linkVisited, toolTipBase, toolTipText;
    QColor disabledText;
};

QPalette buildPalette(const PaletteColors &c)
{
    QPalette p;
    p.setColor(QPalette::Window, c.window);
    p.setColor(QPalette::WindowText, c.windowText);
    p.setColor(QPalette::Base, c.base);
    p.setColor(QPalette::AlternateBase, c.alternateBase);
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::Button, c.button);
    p.setColor(QPalette::ButtonText, c.buttonText);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, c.highlight);
    p.setColor(QPalette::HighlightedText, c.highlightedText);
    p.setColor(QPalette::Light, c.light);
    p.setColor(QPalette::Midlight, c.midlight);
    p.setColor(QPalette::Mid, c.mid);
    p.setColor(QPalette::Dark, c.dark);
    p.setColor(QPalette::Shadow, c.shadow);
    p.setColor(QPalette::PlaceholderText, c.placeholder);
    p.setColor(QPalette::Link, c.link);
    p.setColor(QPalette::LinkVisited, c.linkVisited);
    p.setColor(QPalette::ToolTipBase, c.toolTipBase);
    p.setColor(QPalette::ToolTipText, c.toolTipText);
    p.setColor(QPalette::Accent, c.highlight);
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, c.mid);
    return p;
}

} // namespace

QPalette AppTheme::lightPalette()
{
    return buildPalette({
        .window = QColor(0xf3, 0xf4, 0xf6),
        .windowText = QColor(0x1f, 0x23, 0x28),
        .base = QColor(0xff, 0xff, 0xff),
        .alternateBase = QColor(0xf6, 0xf8, 0xfa),
        .text = QColor(0x1f, 0x23, 0x28),
        .button = QColor(0xf6, 0xf7, 0xf9),
        .buttonText = QColor(0x1f, 0x23, 0x28),
        .highlight = QColor(0x2f, 0x6f, 0xeb),
        .highlightedText = Qt::white,
        .light = Qt::white,
        .midlight = QColor(0xe6, 0xe8, 0xeb),
        .mid = QColor(0xc8, 0xcd, 0xd3),
        .dark = QColor(0x9a, 0xa0, 0xa6),
        .shadow = QColor(0x60, 0x66, 0x6c),
        .placeholder = QColor(0x8b, 0x94, 0x9e),
        .link = QColor(0x09, 0x69, 0xda),
        .linkVisited = QColor(0x82, 0x50, 0xdf),
        .toolTipBase = QColor(0x24, 0x29, 0x2f),
        .toolTipText = Qt::white,
        .disabledText = QColor(0xa0, 0xa6, 0xad),
    });
}

QPalette AppTheme::darkPalette()
{
    return buildPalette({
        .window = QColor(0x1e, 0x1f, 0x22),
        .windowText = QColor(0xe3, 0xe5, 0xe8),
        .base = QColor(0x17, 0x18, 0x1b),
        .alternateBase = QColor(0x23, 0x24, 0x28),
        .text = QColor(0xe3, 0xe5, 0xe8),
        .button = QColor(0x2b, 0x2d, 0x31),
        .buttonText = QColor(0xe3, 0xe5, 0xe8),
        .highlight = QColor(0x3d, 0x7e, 0xff),
        .highlightedText = Qt::white,
        .light = QColor(0x3f, 0x41, 0x47),
        .midlight = QColor(0x34, 0x36, 0x3c),
        .mid = QColor(0x3a, 0x3c, 0x42),
        .dark = QColor(0x12, 0x13, 0x15),
        .shadow = Qt::black,
        .placeholder = QColor(0x86, 0x8b, 0x94),
        .link = QColor(0x6e, 0xa8, 0xfe),
        .linkVisited = QColor(0xb0, 0x8c, 0xf5),
        .toolTipBase = QColor(0x2b, 0x2d, 0x31),
        .toolTipText = QColor(0xe3, 0xe5, 0xe8),
        .disabledText = QColor(0x6b, 0x70, 0x78),
    });
}

bool AppTheme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor AppTheme::mix(const QColor &under, const QColor &over, double amount)
{
    const auto blend = [amount](float a, float b) { return float(a + (b - a) * amount); };
    const QColor u = under.toRgb();
    const QColor o = over.toRgb();
    return QColor::fromRgbF(blend(u.redF(), o.redF()), blend(u.greenF(), o.greenF()), blend(u.blueF(), o.blueF()));
}

QColor AppTheme::accentColor(const QPalette &palette)
{
    const QColor highlight = palette.color(QPalette::Highlight);
    // Some platform palettes use a pale highlight; text in it must still read on the page.
    return isDark(palette) ? highlight.lighter(125) : highlight.darker(110);
}

QColor AppTheme::assistantColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x4c, 0xc3, 0x8a) : QColor(0x1a, 0x7f, 0x5a);
}

QColor AppTheme::errorColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xc6, 0x28, 0x28);
}

QColor AppTheme::markColor(const QPalette &palette)
{
    // Amber rather than the (blue) selection colour, so a match never looks like a selected row.
    return isDark(palette) ? QColor(0x6e, 0x54, 0x10) : QColor(0xff, 0xe0, 0x82);
}

} // namespace ragdesk
