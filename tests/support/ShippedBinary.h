#pragma once

#include <QDir>
#include <QString>

namespace ragdesk::testing {

/// Path of a program the build ships in build/<preset>/bin (ctest sets RAGDESK_BIN_DIR),
/// for end-to-end tests that run it as a user would.
inline QString shippedBinary(const QString &name)
{
    return QDir(qEnvironmentVariable("RAGDESK_BIN_DIR")).filePath(name);
}

} // namespace ragdesk::testing
