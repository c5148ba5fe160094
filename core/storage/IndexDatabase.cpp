#include "core/storage/IndexDatabase.h"

#include "core/storage/IndexSchema.h"
#include "core/storage/SearchTokenizer.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

IndexDatabase::IndexDatabase(QString profileDir)
    : SqliteFile(std::move(profileDir))
{
}

IndexDatabase::~IndexDatabase() = default;

QCoro::Task<Result<std::shared_ptr<IndexDatabase>>> IndexDatabase::open(QString profileDir)
{
    // The frame owns the database while it opens, as openConnections() requires.
    std::shared_ptr<IndexDatabase> database(new IndexDatabase(std::move(profileDir)));
    // NORMAL: in WAL mode a power cut can lose the last commits but never corrupts the file,
    // and everything here can be re-indexed from the sources.
    if (auto opened = co_await database->openConnections(
            {u"index.db"_s, u"NORMAL"_s, IndexSchema::steps(), readerThreads, &SearchTokenizer::install});
        !opened)
        co_return std::unexpected(opened.error());
    co_return database;
}

} // namespace ragdesk
