#pragma once

#include "core/foundation/Error.h"

#include <QList>
#include <QStringList>

class QSqlDatabase;

namespace ragdesk {

/// One forward step of a schema. Step i (0-based) takes the database from version i to i + 1.
struct MigrationStep {
    QStringList statements;
};

/// Forward-only schema upgrades keyed on PRAGMA user_version. Each step runs in its own
/// transaction together with the version bump, so a failed step leaves the previous version intact.
class Migrations
{
public:
    /// Applies every step of @p steps the database has not seen yet; returns the resulting version.
    /// Refuses a database whose version is newer than @p steps know. Runs on the writer thread.
    static Result<int> migrate(QSqlDatabase &db, const QList<MigrationStep> &steps);

    static Result<int> userVersion(QSqlDatabase &db);

    Migrations() = delete;
};

} // namespace ragdesk
