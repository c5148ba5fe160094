#include "core/storage/DatabaseExecutor.h"
#include "tests/support/AwaitFuture.h"
#include "tests/support/EventLoopChecker.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::await;
using namespace std::chrono_literals;

namespace {
/// Spins (on a DB thread) until @p counter reaches @p target or two seconds pass.
bool waitForCount(const std::atomic<int> &counter, int target)
{
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (counter.load() < target) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        QThread::yieldCurrentThread();
    }
    return true;
}
} // namespace

class TestDatabaseExecutor : public QObject
{
    Q_OBJECT

private:
    QString dbPath() const { return m_dir.filePath(u"test.db"_s); }

    std::unique_ptr<DatabaseExecutor> makeWriter()
    {
        return std::make_unique<DatabaseExecutor>(dbPath(), DatabaseExecutor::Role::Writer, 4,
                                                  DatabaseExecutor::statements({u"PRAGMA journal_mode = WAL"_s}));
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        // Connections used or removed on the wrong thread are Qt warnings; here they are failures.
        QTest::failOnWarning(QRegularExpression(u"still in use|does not belong|did not open it"_s));
    }

    void cleanup() { QFile::remove(dbPath()); }

    void runsOnDatabaseThreadNotMain()
    {
        auto writer = makeWriter();
        QThread *const mainThread = QThread::currentThread();
        auto future = writer->run([mainThread](QSqlDatabase &db) {
            QSqlQuery query(db);
            const bool ok = query.exec(u"SELECT 41 + 1"_s) && query.next() && query.value(0).toInt() == 42;
            return ok && db.isOpen() && QThread::currentThread() != mainThread;
        });
        QVERIFY(await(future));
    }

    void writerUsesOneThread()
    {
        auto writer = makeWriter();
        QCOMPARE(writer->threadCount(), 1); // asked for 4, a writer still gets one
        QList<QFuture<QThread *>> futures;
        for (int i = 0; i < 20; ++i)
            futures.append(writer->run([](QSqlDatabase &) { return QThread::currentThread(); }));
        QSet<QThread *> threads;
        for (auto &future : futures)
            threads.insert(await(future));
        QCOMPARE(threads.size(), 1);
        QVERIFY(!threads.contains(QThread::currentThread()));
    }

    void writerKeepsOneConnection()
    {
        auto writer = makeWriter();
        // A temp table is private to its connection: seeing it again proves the same connection.
        auto created = writer->run([](QSqlDatabase &db) { return QSqlQuery(db).exec(u"CREATE TEMP TABLE t (x)"_s); });
        QVERIFY(await(created));
        auto seen = writer->run([](QSqlDatabase &db) { return QSqlQuery(db).exec(u"INSERT INTO t VALUES (1)"_s); });
        QVERIFY(await(seen));
    }

    void readersRunConcurrently()
    {
        auto writer = makeWriter();
        auto created = writer->run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            return query.exec(u"CREATE TABLE numbers (n INTEGER)"_s)
                && query.exec(u"INSERT INTO numbers VALUES (1), (2), (3)"_s);
        });
        QVERIFY(await(created));

        DatabaseExecutor readers(dbPath(), DatabaseExecutor::Role::Reader, 2);
        QCOMPARE(readers.threadCount(), 2);
        // Each job waits until the other one is running too, which only two threads can satisfy.
        auto running = std::make_shared<std::atomic<int>>(0);
        auto readJob = [running](QSqlDatabase &db) {
            ++*running;
            const bool overlapped = waitForCount(*running, 2);
            QSqlQuery query(db);
            const bool read =
                query.exec(u"SELECT sum(n) FROM numbers"_s) && query.next() && query.value(0).toInt() == 6;
            return overlapped && read;
        };
        auto first = readers.run(readJob);
        auto second = readers.run(readJob);
        QVERIFY(await(first));
        QVERIFY(await(second));
    }

    void readersAreReadOnly()
    {
        auto writer = makeWriter();
        QVERIFY(await(writer->run([](QSqlDatabase &db) { return QSqlQuery(db).exec(u"CREATE TABLE t (x)"_s); })));
        DatabaseExecutor readers(dbPath(), DatabaseExecutor::Role::Reader, 2);
        auto error = readers.run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.exec(u"INSERT INTO t VALUES (1)"_s);
            return query.lastError().databaseText();
        });
        QVERIFY2(await(error).contains(u"readonly"_s), qPrintable(error.result()));
    }

    void resultsAwaitedByCoroutine()
    {
        auto writer = makeWriter();
        auto task = [](DatabaseExecutor *executor) -> QCoro::Task<Result<int>> {
            co_return co_await executor->run([](QSqlDatabase &db) -> Result<int> {
                QSqlQuery query(db);
                if (!query.exec(u"SELECT 7 * 6"_s) || !query.next())
                    return fail(Error::Kind::Database, query.lastError().text());
                return query.value(0).toInt();
            });
        }(writer.get());
        const auto result = QCoro::waitFor(std::move(task));
        QVERIFY(result.has_value());
        QCOMPARE(*result, 42);
    }

    void eventLoopTurnsDuringSlowJob()
    {
        auto writer = makeWriter();
        testing::EventLoopChecker loop(10ms);
        auto task = [](DatabaseExecutor *executor) -> QCoro::Task<bool> {
            // Sleeping on the DB thread stands in for a slow query; this thread must stay free.
            co_return co_await executor->run([](QSqlDatabase &db) {
                QThread::msleep(200);
                return QSqlQuery(db).exec(u"SELECT 1"_s);
            });
        }(writer.get());
        QVERIFY(QCoro::waitFor(std::move(task)));
        loop.stop();
        // 200 ms at 10 ms per tick is about 20 ticks; a blocked loop would deliver at most one
        // and show a gap of the whole 200 ms.
        QVERIFY2(loop.ticks() >= 5, qPrintable(u"only %1 ticks"_s.arg(loop.ticks())));
        QVERIFY2(loop.maxGapMs() < 150, qPrintable(u"loop stalled for %1 ms"_s.arg(loop.maxGapMs())));
    }

    void openFailureIsAResult()
    {
        // A directory cannot be opened as a database file.
        DatabaseExecutor writer(m_dir.path(), DatabaseExecutor::Role::Writer, 1);
        auto result = writer.run([](QSqlDatabase &) -> Result<int> { return 1; });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"opening .* failed"_s));
        const auto value = await(result);
        QVERIFY(!value.has_value());
        QCOMPARE(value.error().kind, Error::Kind::Database);
        QVERIFY2(value.error().message.startsWith(u"Could not open"_s), qPrintable(value.error().message));
    }

    void setupFailureIsAResult()
    {
        DatabaseExecutor writer(dbPath(), DatabaseExecutor::Role::Writer, 1,
                                DatabaseExecutor::statements({u"PRAGMA no_such_thing("_s}));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"setting up .* failed"_s));
        const auto value = await(writer.run([](QSqlDatabase &) -> Result<int> { return 1; }));
        QVERIFY(!value.has_value());
        QVERIFY2(value.error().message.startsWith(u"Could not prepare the database connection"_s),
                 qPrintable(value.error().message));
    }

    void shutdownRemovesConnections()
    {
        const QStringList before = QSqlDatabase::connectionNames();
        {
            auto writer = makeWriter();
            DatabaseExecutor readers(dbPath(), DatabaseExecutor::Role::Reader, 2);
            QVERIFY(await(writer->run([](QSqlDatabase &db) { return db.isOpen(); })));
            QVERIFY(await(readers.run([](QSqlDatabase &db) { return db.isOpen(); })));
            QCOMPARE_GT(QSqlDatabase::connectionNames().size(), before.size());
        }
        // Closed and removed by their own threads (init() fails on the warnings otherwise).
        QCOMPARE(QSqlDatabase::connectionNames(), before);
    }
};

QTEST_GUILESS_MAIN(TestDatabaseExecutor)
#include "tst_databaseexecutor.moc"
