#pragma once

#include "core/storage/ProfileDatabase.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk::testing {

/// A temporary profile with its profile.db open (migrated), for tests of the stores and of
/// what sits on them. Header-only: the tests that use it link storage themselves.
class OpenedProfile
{
public:
    OpenedProfile()
    {
        if (!m_profile.isValid()) {
            m_error = QStringLiteral("could not create the profile directory");
            return;
        }
        auto opened = QCoro::waitFor(ProfileDatabase::open(m_profile.path()));
        if (opened)
            m_database = std::move(*opened);
        else
            m_error = opened.error().message;
    }

    /// False when the directory or the database could not be made; errorText() says why.
    [[nodiscard]] bool isValid() const { return m_database != nullptr; }
    [[nodiscard]] QString errorText() const { return m_error; }
    [[nodiscard]] const std::shared_ptr<ProfileDatabase> &database() const { return m_database; }
    [[nodiscard]] QString path() const { return m_profile.path(); }

private:
    TempProfile m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    QString m_error;
};

} // namespace ragdesk::testing
