#include "ui/AppearanceSettings.h"

#include "core/foundation/ProfileFiles.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
const QString kThemeKey = u"appearance/theme"_s;
} // namespace

AppearanceSettings::AppearanceSettings(const QString &profileDir)
    : m_path(settingsFilePath(profileDir))
{
}

ThemeMode AppearanceSettings::theme() const
{
    const QString name = QSettings(m_path, QSettings::IniFormat).value(kThemeKey).toString();
    if (name == u"light"_s)
        return ThemeMode::Light;
    if (name == u"dark"_s)
        return ThemeMode::Dark;
    return ThemeMode::System; // also for a missing or hand-edited value
}

void AppearanceSettings::saveTheme(ThemeMode mode) const
{
    QSettings ini(m_path, QSettings::IniFormat);
    ini.setValue(kThemeKey, mode == ThemeMode::Light ? u"light"_s : mode == ThemeMode::Dark ? u"dark"_s : u"system"_s);
    ini.sync();
}

} // namespace ragdesk
