#pragma once

#include "core/foundation/Error.h"

#include <QFuture>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QThreadStorage>
#include <QtConcurrentRun>

#include <functional>
#include <optional>
#include <type_traits>

class QThread;

namespace ragdesk {

namespace detail {
template<typename R>
inline constexpr bool isResult = false;
template<typename T>
inline constexpr bool isResult<Result<T>> = true;
} // namespace detail

/// Runs SQL jobs on threads that own their connection. A writer has exactly one thread (one
/// write connection, so writes never contend); a reader has a small pool of read-only
/// connections that WAL lets run side by side. Callers co_await the returned QFuture.
class DatabaseExecutor
{
public:
    enum class Role { Writer, Reader };
    /// Runs on each new connection right after it opens (pragmas); an error closes it again.
    using ConnectionSetup = std::function<Result<void>(QSqlDatabase &)>;

    /// Nothing is opened here: each thread opens its own connection on its first job.
    /// @p threadCount applies to readers; a writer always has one thread.
    DatabaseExecutor(QString databasePath, Role role, int threadCount, ConnectionSetup setup = {});
    ~DatabaseExecutor();

    DatabaseExecutor(const DatabaseExecutor &) = delete;
    DatabaseExecutor &operator=(const DatabaseExecutor &) = delete;

    /// A setup that executes each statement of @p statements (e.g. "PRAGMA foreign_keys=ON").
    static ConnectionSetup statements(QStringList statements);

    /// Queues @p fn, an `R(QSqlDatabase &)`, on an executor thread with that thread's connection.
    /// If the connection cannot be opened and R is a Result, fn is skipped and the open error is
    /// returned; any other R gets the closed connection and must check isOpen() itself.
    template<typename F>
    auto run(F fn) -> QFuture<std::invoke_result_t<F &, QSqlDatabase &>>
    {
        using R = std::invoke_result_t<F &, QSqlDatabase &>;
        // Capturing this is safe: the destructor drains the pool before anything is freed.
        return QtConcurrent::run(&m_pool, [this, fn = std::move(fn)]() mutable -> R {
            ThreadConnection &connection = threadConnection();
            if constexpr (detail::isResult<R>) {
                if (connection.openError)
                    return std::unexpected(*connection.openError);
            }
            return fn(connection.database);
        });
    }

    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] Role role() const { return m_role; }
    [[nodiscard]] int threadCount() const { return m_pool.maxThreadCount(); }

private:
    /// One per executor thread, created lazily by its first job and destroyed by that same
    /// thread when it exits, which is where Qt requires the connection to be closed.
    struct ThreadConnection {
        ~ThreadConnection();
        QString name;
        QSqlDatabase database;
        std::optional<Error> openError;
        QThread *ownerThread = nullptr;
    };

    ThreadConnection &threadConnection();
    void open(ThreadConnection &connection);

    QString m_path;
    Role m_role;
    ConnectionSetup m_setup;
    // Declared before m_pool so per-thread data outlives the threads that clean it up.
    QThreadStorage<ThreadConnection *> m_connections;
    QThreadPool m_pool;
};

} // namespace ragdesk
