#include "core/storage/ProfileLocation.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryFile>

using namespace Qt::StringLiterals;

namespace ragdesk {

Result<QString> ProfileLocation::resolve(const QString &overrideDir)
{
    const QString chosen = overrideDir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        : overrideDir;
    if (chosen.isEmpty()) {
        return fail(Error::Kind::Configuration,
                    u"Could not find a folder for the profile: the system reports no app data location. "
                    "Start ragdesk with --profile DIR."_s);
    }
    const QString dir = QDir::cleanPath(QFileInfo(chosen).absoluteFilePath());
    if (!QDir().mkpath(dir)) {
        return fail(Error::Kind::Configuration,
                    u"Could not create the profile folder %1. Check that its parent exists and is "
                    "writable, or start ragdesk with --profile DIR."_s.arg(QDir::toNativeSeparators(dir)),
                    dir);
    }
    // Permission bits lie (ACLs, read-only mounts, root), so prove writability by writing.
    QTemporaryFile probe(dir + u"/.write-test-XXXXXX"_s);
    if (!probe.open()) {
        return fail(Error::Kind::Configuration,
                    u"Could not write to the profile folder %1: %2. Fix its permissions, or start "
                    "ragdesk with --profile DIR."_s.arg(QDir::toNativeSeparators(dir), probe.errorString()),
                    dir);
    }
    return dir;
}

} // namespace ragdesk
