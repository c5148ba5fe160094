#pragma once

#include "core/foundation/Error.h"
#include "core/storage/SqliteFile.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

/// profile.db of one profile folder: the single writer and the reader pool, opened with the
/// pragmas DESIGN asks for (WAL, synchronous=FULL, foreign keys) and migrated to the current schema.
/// Shared by the stores; the last owner to let go closes the connections.
class ProfileDatabase : public SqliteFile
{
public:
    static constexpr int readerThreads = 2;

    /// Creates or opens <@p profileDir>/profile.db and migrates it on the writer thread.
    static QCoro::Task<Result<std::shared_ptr<ProfileDatabase>>> open(QString profileDir);

    ~ProfileDatabase();

private:
    explicit ProfileDatabase(QString profileDir);
};

} // namespace ragdesk
