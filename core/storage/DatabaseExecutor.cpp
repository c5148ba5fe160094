#include "core/storage/DatabaseExecutor.h"

#include "core/storage/SqlThreadGuard.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
Q_LOGGING_CATEGORY(lcExecutor, "ragdesk.storage.executor")

QString nextConnectionName(DatabaseExecutor::Role role)
{
    // QSqlDatabase connections live in a process-wide registry, so names must never repeat.
    static std::atomic<quint64> counter{0};
    const auto roleName = role == DatabaseExecutor::Role::Writer ? u"writer"_s : u"reader"_s;
    return u"ragdesk-%1-%2"_s.arg(roleName).arg(++counter);
}
} // namespace

DatabaseExecutor::DatabaseExecutor(QString databasePath, Role role, int threadCount, ConnectionSetup setup)
    : m_path(std::move(databasePath))
    , m_role(role)
    , m_setup(std::move(setup))
{
    // A writer with two threads would mean two write connections fighting over the lock.
    m_pool.setMaxThreadCount(role == Role::Writer ? 1 : qMax(1, threadCount));
    // Threads never expire: a connection is bound to the thread that opened it, and an expired
    // thread would take its connection down with it mid-session.
    m_pool.setExpiryTimeout(-1);
    m_pool.setObjectName(role == Role::Writer ? u"db-writer"_s : u"db-reader"_s);
}

DatabaseExecutor::~DatabaseExecutor()
{
    // Shutdown only, so blocking is fine here: queued jobs finish, then every pool thread exits,
    // and each exiting thread deletes its ThreadConnection, closing the connection on its own thread.
    m_pool.waitForDone();
}

DatabaseExecutor::ConnectionSetup DatabaseExecutor::statements(QStringList statements)
{
    return [statements = std::move(statements)](QSqlDatabase &db) -> Result<void> {
        for (const QString &sql : statements) {
            QSqlQuery query(db);
            if (!query.exec(sql))
                return fail(Error::Kind::Database,
                            u"Could not prepare the database connection: %1"_s.arg(query.lastError().text()),
                            sql + u": "_s + query.lastError().text());
        }
        return {};
    };
}

DatabaseExecutor::ThreadConnection &DatabaseExecutor::threadConnection()
{
    if (!m_connections.hasLocalData()) {
        auto *connection = new ThreadConnection;
        connection->name = nextConnectionName(m_role);
        connection->ownerThread = QThread::currentThread();
        connection->database = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection->name);
        connection->database.setDatabaseName(m_path);
        if (m_role == Role::Reader)
            connection->database.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        m_connections.setLocalData(connection);
    }
    ThreadConnection &connection = *m_connections.localData();
    // Retried on every job, so a transient failure (a locked or briefly missing file) heals.
    if (!connection.database.isOpen())
        open(connection);
    return connection;
}

void DatabaseExecutor::open(ThreadConnection &connection)
{
    QSqlDatabase &db = connection.database;
    const QString file = QFileInfo(m_path).fileName();
    if (!db.open()) {
        connection.openError = Error{Error::Kind::Database,
                                     u"Could not open %1: %2"_s.arg(file, db.lastError().text()),
                                     m_path + u": "_s + db.lastError().text(), 0};
        qCWarning(lcExecutor) << "opening" << m_path << "failed:" << db.lastError().text();
        return;
    }
    // Before setup, so even the pragmas are checked.
    SqlThreadGuard::install(db);
    if (m_setup) {
        if (auto ready = m_setup(db); !ready) {
            connection.openError = ready.error();
            qCWarning(lcExecutor) << "setting up" << m_path << "failed:" << ready.error().detail;
            db.close();
            return;
        }
    }
    connection.openError.reset();
}

DatabaseExecutor::ThreadConnection::~ThreadConnection()
{
    if (ownerThread != QThread::currentThread())
        qCWarning(lcExecutor) << "connection" << name << "closed on a thread that did not open it";
    database.close();
    // The registry refuses to forget a connection while a handle to it is alive.
    database = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
}

} // namespace ragdesk
