#pragma once

#include <QDir>
#include <QString>

namespace ragdesk {

/// The one small INI file of a profile: provider settings and appearance share it, so both
/// stores must agree on where it is.
inline QString settingsFilePath(const QString &profileDir)
{
    return QDir(profileDir).filePath(QStringLiteral("settings.ini"));
}

} // namespace ragdesk
