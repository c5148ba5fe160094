#pragma once

#include "core/foundation/Error.h"

namespace ragdesk {

/// Where the profile (profile.db, index.db) lives: `--profile DIR` if given, else the
/// platform's app data folder (the XDG data dir on Linux).
class ProfileLocation
{
public:
    /// Returns the absolute profile folder, created if missing, or an error when it cannot be
    /// created or written to.
    static Result<QString> resolve(const QString &overrideDir);

    ProfileLocation() = delete;
};

} // namespace ragdesk
