#include "core/storage/DatabaseExecutor.h"
#include "core/storage/SqlThreadGuard.h"
#include "tests/support/AwaitFuture.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QMutex>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::await;

namespace {
} // namespace

/// Proves the guard is wired into SQLite: statements on the main thread reach the handler,
/// statements on executor threads do not.
class TestSqlThreadGuard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QMutex m_mutex;
    QStringList m_violations;
    SqlThreadGuard::ViolationHandler m_previous;

    QStringList violations()
    {
        QMutexLocker lock(&m_mutex);
        return m_violations;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SqlThreadGuard::isEnabled())
            QSKIP("RAGDESK_SQL_THREAD_CHECKS is off in this build");
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_violations.clear();
        m_previous = SqlThreadGuard::setViolationHandler([this](const QString &sql) {
            QMutexLocker lock(&m_mutex);
            m_violations.append(sql);
        });
    }

    void cleanup() { SqlThreadGuard::setViolationHandler(m_previous); }

    void reportsStatementOnMainThread()
    {
        {
            // Deliberately the forbidden case: a connection opened and used on the main thread.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"guard-main"_s);
            db.setDatabaseName(m_dir.filePath(u"main.db"_s));
            QVERIFY(db.open());
            QVERIFY(SqlThreadGuard::install(db));
            QCOMPARE(violations(), QStringList());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"SELECT 40 + 2"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"guard-main"_s);
        QCOMPARE(violations(), QStringList{u"SELECT 40 + 2"_s});
    }

    void quietOnExecutorThreads()
    {
        DatabaseExecutor writer(m_dir.filePath(u"exec.db"_s), DatabaseExecutor::Role::Writer, 1,
                                DatabaseExecutor::statements({u"PRAGMA journal_mode = WAL"_s}));
        const bool ran = await(writer.run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            return query.exec(u"CREATE TABLE t (x)"_s) && query.exec(u"INSERT INTO t VALUES (1)"_s)
                && query.exec(u"SELECT x FROM t"_s) && query.next();
        }));
        QVERIFY(ran);
        DatabaseExecutor readers(m_dir.filePath(u"exec.db"_s), DatabaseExecutor::Role::Reader, 2);
        QVERIFY(await(readers.run([](QSqlDatabase &db) { return QSqlQuery(db).exec(u"SELECT count(*) FROM t"_s); })));
        QCOMPARE(violations(), QStringList());
    }

    void executorConnectionsAreGuarded()
    {
        // Being quiet off the main thread proves little unless the executor's connections carry
        // the hook at all: borrow the raw handle once the job is done and step it from here.
        DatabaseExecutor writer(m_dir.filePath(u"hooked.db"_s), DatabaseExecutor::Role::Writer, 1);
        auto *handle = await(writer.run([](QSqlDatabase &db) -> sqlite3 * {
            const QVariant value = db.driver()->handle();
            return qstrcmp(value.typeName(), "sqlite3*") == 0 ? *static_cast<sqlite3 *const *>(value.data()) : nullptr;
        }));
        QVERIFY(handle);
        // The writer is idle and Qt opens connections in multi-thread mode, so one statement
        // from this thread is legal for SQLite; it is exactly what the guard must catch.
        QCOMPARE(sqlite3_exec(handle, "SELECT 'from the ui thread'", nullptr, nullptr, nullptr), SQLITE_OK);
        QCOMPARE(violations(), QStringList{u"SELECT 'from the ui thread'"_s});
    }

    void handlerSeamRestores()
    {
        int calls = 0;
        auto mine = [&calls](const QString &) { ++calls; };
        auto outer = SqlThreadGuard::setViolationHandler(mine);
        QVERIFY(outer); // the test handler installed by init()
        auto back = SqlThreadGuard::setViolationHandler(outer);
        QVERIFY(back);
        back(u"SELECT 1"_s);
        QCOMPARE(calls, 1);
    }
};

QTEST_GUILESS_MAIN(TestSqlThreadGuard)
#include "tst_sqlthreadguard.moc"
