#pragma once

#include "core/foundation/Error.h"
#include "core/storage/SqliteFile.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

/// index.db of one profile folder: documents, their extracted text, chunks and the FTS5 index.
/// Rebuildable from the knowledge-base definitions in profile.db, so it trades durability of the
/// last transactions for write speed (synchronous=NORMAL); otherwise opened like ProfileDatabase.
class IndexDatabase : public SqliteFile
{
public:
    static constexpr int readerThreads = 2;

    /// Creates or opens <@p profileDir>/index.db and migrates it on the writer thread.
    static QCoro::Task<Result<std::shared_ptr<IndexDatabase>>> open(QString profileDir);

    ~IndexDatabase();

private:
    explicit IndexDatabase(QString profileDir);
};

} // namespace ragdesk
