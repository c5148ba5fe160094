#pragma once

#include <QString>
#include <QTemporaryDir>

namespace ragdesk::testing {

/// A throw-away profile directory that lives as long as the object. Constructing one also puts
/// QStandardPaths into test mode, so code that falls back to the standard locations writes under
/// ~/.qttest instead of the user's real profile.
class TempProfile
{
public:
    TempProfile();

    TempProfile(const TempProfile &) = delete;
    TempProfile &operator=(const TempProfile &) = delete;

    /// False if the directory could not be created; check it in the test's init.
    [[nodiscard]] bool isValid() const { return m_dir.isValid(); }
    /// Absolute path of the profile directory.
    [[nodiscard]] QString path() const { return m_dir.path(); }
    /// Absolute path of @p relative inside the profile.
    [[nodiscard]] QString filePath(const QString &relative) const { return m_dir.filePath(relative); }

private:
    QTemporaryDir m_dir;
};

} // namespace ragdesk::testing
