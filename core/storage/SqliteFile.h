#pragma once

#include "core/foundation/Error.h"
#include "core/storage/DatabaseExecutor.h"
#include "core/storage/Migrations.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

/// One SQLite file of a profile folder in WAL mode: its single writer and its reader pool, opened
/// with busy_timeout, foreign keys and the given synchronous level, and migrated on the writer.
/// The base of ProfileDatabase and IndexDatabase, which differ only in name, durability and schema.
class SqliteFile
{
public:
    SqliteFile(const SqliteFile &) = delete;
    SqliteFile &operator=(const SqliteFile &) = delete;

    DatabaseExecutor &writer() { return *m_writer; }
    DatabaseExecutor &readers() { return *m_readers; }
    [[nodiscard]] QString path() const { return m_path; }

protected:
    struct Options {
        QString fileName;            ///< e.g. "profile.db"
        QString synchronous;         ///< "FULL" for data people typed, "NORMAL" for rebuildable data
        QList<MigrationStep> schema; ///< steps for Migrations::migrate
        int readerThreads = 2;
        /// Runs on every connection, writer and readers, after the pragmas and before the
        /// migrations (e.g. functions or tokenizers the schema refers to).
        DatabaseExecutor::ConnectionSetup connectionSetup;
    };

    explicit SqliteFile(QString directory);
    // Not virtual: owners hold the derived type (shared_ptr<ProfileDatabase>), never a SqliteFile.
    ~SqliteFile();

    /// Creates the directory if needed, then opens and migrates <directory>/<fileName>. The
    /// caller's frame must own this object (it awaits on the writer).
    QCoro::Task<Result<void>> openConnections(Options options);

private:
    QString m_directory;
    QString m_path;
    // Declared writer first so the readers close first and the writer's final close can
    // checkpoint the WAL back into the main file.
    std::unique_ptr<DatabaseExecutor> m_writer;
    std::unique_ptr<DatabaseExecutor> m_readers;
};

} // namespace ragdesk
