#include "tests/support/TempProfile.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

TempProfile::TempProfile()
    : m_dir(QDir::tempPath() + u"/ragdesk-test-profile-XXXXXX"_s)
{
    // Code that still asks QStandardPaths (settings, caches) must never reach the real profile.
    QStandardPaths::setTestModeEnabled(true);
    if (!m_dir.isValid())
        qWarning("TempProfile: cannot create a temporary directory: %s", qPrintable(m_dir.errorString()));
}

} // namespace ragdesk::testing
