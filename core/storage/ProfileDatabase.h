#pragma once

#include "core/foundation/Error.h"
#include "core/storage/DatabaseExecutor.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

/// profile.db of one profile folder: the single writer and the reader pool, opened with the
/// pragmas DESIGN asks for (WAL, synchronous=FULL, foreign keys) and migrated to the current schema.
/// Shared by the stores; the last owner to let go closes the connections.
class ProfileDatabase
{
public:
    static constexpr int readerThreads = 2;

    /// Creates or opens <@p profileDir>/profile.db and migrates it on the writer thread.
    static QCoro::Task<Result<std::shared_ptr<ProfileDatabase>>> open(QString profileDir);

    ProfileDatabase(const ProfileDatabase &) = delete;
    ProfileDatabase &operator=(const ProfileDatabase &) = delete;
    ~ProfileDatabase();

    DatabaseExecutor &writer() { return *m_writer; }
    DatabaseExecutor &readers() { return *m_readers; }
    [[nodiscard]] QString path() const { return m_path; }

private:
    explicit ProfileDatabase(QString path);

    QString m_path;
    // Declared writer first so the readers close first and the writer's final close can
    // checkpoint the WAL back into the main file.
    std::unique_ptr<DatabaseExecutor> m_writer;
    std::unique_ptr<DatabaseExecutor> m_readers;
};

} // namespace ragdesk
