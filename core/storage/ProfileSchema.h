#pragma once

#include "core/storage/Migrations.h"

namespace ragdesk {

/// The schema of profile.db, one MigrationStep per version. Append new steps; never edit a
/// released one, since profiles in the field are already past it.
class ProfileSchema
{
public:
    static const QList<MigrationStep> &steps();
    static int latestVersion() { return int(steps().size()); }

    ProfileSchema() = delete;
};

} // namespace ragdesk
