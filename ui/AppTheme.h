#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace ragdesk {

enum class ThemeMode {
    System, ///< the platform's style and palette, following its light/dark switch
    Light,
    Dark,
};

/// Applies the chosen colour scheme to the whole application, and derives the few extra colours
/// the chat widgets need from whatever palette is active. Light and Dark use the Fusion style with
/// a fixed palette so they look the same on every desktop; System restores what the platform gave.
class AppTheme
{
public:
    /// Remembers the platform's style; construct before changing the theme.
    AppTheme();

    void apply(ThemeMode mode);
    [[nodiscard]] ThemeMode mode() const { return m_mode; }

    static QPalette lightPalette();
    static QPalette darkPalette();

    [[nodiscard]] static bool isDark(const QPalette &palette);
    /// @p amount of @p over blended onto @p under (0 = under, 1 = over).
    [[nodiscard]] static QColor mix(const QColor &under, const QColor &over, double amount);
    [[nodiscard]] static QColor accentColor(const QPalette &palette);
    [[nodiscard]] static QColor assistantColor(const QPalette &palette);
    [[nodiscard]] static QColor errorColor(const QPalette &palette);
    /// The background of matched terms in search results and passages: a warm marker that keeps
    /// the palette's text colour readable in light and dark themes.
    [[nodiscard]] static QColor markColor(const QPalette &palette);

private:
    QString m_systemStyle;
    ThemeMode m_mode = ThemeMode::System;
};

} // namespace ragdesk
