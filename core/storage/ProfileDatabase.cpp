#include "core/storage/ProfileDatabase.h"

#include "core/storage/ProfileSchema.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

ProfileDatabase::ProfileDatabase(QString profileDir)
    : SqliteFile(std::move(profileDir))
{
}

ProfileDatabase::~ProfileDatabase() = default;

QCoro::Task<Result<std::shared_ptr<ProfileDatabase>>> ProfileDatabase::open(QString profileDir)
{
    // The frame owns the database while it opens, as openConnections() requires.
    std::shared_ptr<ProfileDatabase> database(new ProfileDatabase(std::move(profileDir)));
    // FULL: profile.db holds what people typed, which nothing can rebuild.
    if (auto opened = co_await database->openConnections(
            {u"profile.db"_s, u"FULL"_s, ProfileSchema::steps(), readerThreads, {}});
        !opened)
        co_return std::unexpected(opened.error());
    co_return database;
}

} // namespace ragdesk
