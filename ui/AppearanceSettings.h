#pragma once

#include "ui/AppTheme.h"

#include <QString>

namespace ragdesk {

/// Remembers the chosen theme in <profile>/settings.ini, beside the provider settings.
/// Read once at startup; saved off the UI thread by MainWindow (QSettings syncs to disk).
class AppearanceSettings
{
public:
    explicit AppearanceSettings(const QString &profileDir);

    [[nodiscard]] ThemeMode theme() const;
    void saveTheme(ThemeMode mode) const;

private:
    QString m_path;
};

} // namespace ragdesk
