#pragma once

#include "core/storage/Migrations.h"

namespace ragdesk {

/// The schema of index.db, one MigrationStep per version. Append new steps; never edit a
/// released one.
class IndexSchema
{
public:
    static const QList<MigrationStep> &steps();
    static int latestVersion() { return int(steps().size()); }

    IndexSchema() = delete;
};

} // namespace ragdesk
