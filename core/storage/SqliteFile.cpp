#include "core/storage/SqliteFile.h"

#include <QCoroFuture>
#include <QDir>
#include <QLoggingCategory>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
Q_LOGGING_CATEGORY(lcSqliteFile, "ragdesk.storage.file")

/// @p first, then @p then when there is one.
DatabaseExecutor::ConnectionSetup chained(DatabaseExecutor::ConnectionSetup first, DatabaseExecutor::ConnectionSetup then)
{
    if (!then)
        return first;
    return [first = std::move(first), then = std::move(then)](QSqlDatabase &db) -> Result<void> {
        if (auto done = first(db); !done)
            return done;
        return then(db);
    };
}

DatabaseExecutor::ConnectionSetup writerSetup(const QString &synchronous)
{
    // busy_timeout first, so switching to WAL waits for another process instead of failing.
    auto pragmas = DatabaseExecutor::statements({u"PRAGMA busy_timeout = 5000"_s, u"PRAGMA journal_mode = WAL"_s,
                                                 u"PRAGMA synchronous = "_s + synchronous,
                                                 u"PRAGMA foreign_keys = ON"_s,
                                                 // 32 MiB instead of 2: the writer walks the chunk and
                                                 // FTS b-trees of whole batches; measured faster writes
                                                 // and deletes on large indexes.
                                                 u"PRAGMA cache_size = -32768"_s});
    return [pragmas = std::move(pragmas)](QSqlDatabase &db) -> Result<void> {
        if (auto applied = pragmas(db); !applied)
            return applied;
        // SQLite answers a refused journal_mode change with the old mode instead of an error
        // (e.g. on some network file systems). Everything still works, only readers then
        // wait for the writer, so it is worth a log line rather than a refusal to start.
        QSqlQuery query(db);
        if (query.exec(u"PRAGMA journal_mode"_s) && query.next()
            && query.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
            qCWarning(lcSqliteFile) << db.databaseName() << "runs without WAL, in mode" << query.value(0).toString();
        }
        return {};
    };
}
} // namespace

SqliteFile::SqliteFile(QString directory)
    : m_directory(std::move(directory))
{
}

SqliteFile::~SqliteFile() = default;

QCoro::Task<Result<void>> SqliteFile::openConnections(Options options)
{
    if (!QDir().mkpath(m_directory)) {
        co_return fail(Error::Kind::Database,
                       u"Could not create the profile folder %1. Check its permissions, or start "
                       "ragdesk with --profile DIR."_s.arg(QDir::toNativeSeparators(m_directory)),
                       m_directory);
    }
    m_path = QDir(m_directory).filePath(options.fileName);
    m_writer = std::make_unique<DatabaseExecutor>(m_path, DatabaseExecutor::Role::Writer, 1,
                                                  chained(writerSetup(options.synchronous), options.connectionSetup));

    const auto migrated = co_await m_writer->run([schema = options.schema](QSqlDatabase &db) -> Result<int> {
        return Migrations::migrate(db, schema);
    });
    if (!migrated)
        co_return std::unexpected(migrated.error());

    // Readers start only now: a read-only connection cannot create the file or switch it to
    // WAL, which the writer has just done persistently. foreign_keys is per connection, kept
    // on for parity even though readers never write.
    m_readers = std::make_unique<DatabaseExecutor>(
        m_path, DatabaseExecutor::Role::Reader, options.readerThreads,
        chained(DatabaseExecutor::statements({u"PRAGMA busy_timeout = 5000"_s, u"PRAGMA foreign_keys = ON"_s}),
                options.connectionSetup));
    co_return {};
}

} // namespace ragdesk
