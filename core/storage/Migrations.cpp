#include "core/storage/Migrations.h"

#include "core/storage/SqlError.h"
#include "core/storage/SqlTransaction.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString fileNameOf(const QSqlDatabase &db)
{
    const QString name = QFileInfo(db.databaseName()).fileName();
    return name.isEmpty() ? u"the database"_s : name;
}
} // namespace

Result<int> Migrations::userVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return std::unexpected(sqlError(u"Could not read the schema version of %1"_s.arg(fileNameOf(db)), query));
    return query.value(0).toInt();
}

Result<int> Migrations::migrate(QSqlDatabase &db, const QList<MigrationStep> &steps)
{
    auto current = userVersion(db);
    if (!current)
        return current;
    const int latest = int(steps.size());
    if (*current > latest) {
        // Migrations only go forward; guessing at a newer schema could corrupt the user's data.
        return fail(Error::Kind::Database,
                    u"%1 was created by a newer ragdesk (schema %2); this version knows up to %3. "
                    "Install the newer ragdesk, or start with --profile DIR to use another profile."_s
                        .arg(fileNameOf(db))
                        .arg(*current)
                        .arg(latest),
                    db.databaseName());
    }

    const QString what = u"Could not upgrade %1"_s.arg(fileNameOf(db));
    for (int version = *current; version < latest; ++version) {
        SqlTransaction transaction(db, what);
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        for (const QString &sql : steps.at(version).statements) {
            QSqlQuery query(db);
            if (!query.exec(sql))
                return std::unexpected(sqlError(u"%1 to schema %2"_s.arg(what).arg(version + 1), query));
        }
        // user_version is part of the file header and so of this transaction: it moves only
        // if every statement of the step committed with it.
        QSqlQuery bump(db);
        if (!bump.exec(u"PRAGMA user_version = %1"_s.arg(version + 1)))
            return std::unexpected(sqlError(what, bump));
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
    }
    return latest;
}

} // namespace ragdesk
