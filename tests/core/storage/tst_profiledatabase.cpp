#include "core/storage/ProfileDatabase.h"
#include "core/storage/ProfileSchema.h"
#include "tests/core/storage/DatabaseTestSupport.h"
#include "tests/support/AwaitFuture.h"
#include "tests/support/TempProfile.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::await;
using ragdesk::testing::pragmas;

class TestProfileDatabase : public QObject
{
    Q_OBJECT

private:
    testing::TempProfile m_dir; // each test opens a profile in its own subfolder

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void opensWithDesignPragmas()
    {
        const QString dir = m_dir.filePath(u"fresh/profile"_s); // not there yet
        auto opened = QCoro::waitFor(ProfileDatabase::open(dir));
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        auto database = *opened;
        QCOMPARE(database->path(), dir + u"/profile.db"_s);
        QVERIFY(QFile::exists(database->path()));
        QCOMPARE(database->writer().threadCount(), 1);
        QCOMPARE(database->readers().threadCount(), ProfileDatabase::readerThreads);

        const auto writer = await(database->writer().run([](QSqlDatabase &db) {
            return pragmas(db, {u"journal_mode"_s, u"synchronous"_s, u"foreign_keys"_s, u"busy_timeout"_s,
                                u"user_version"_s});
        }));
        // synchronous 2 is FULL.
        QCOMPARE(writer, (QStringList{u"wal"_s, u"2"_s, u"1"_s, u"5000"_s,
                                      QString::number(ProfileSchema::latestVersion())}));

        const auto reader = await(database->readers().run([](QSqlDatabase &db) {
            QSqlQuery insert(db);
            insert.exec(u"INSERT INTO conversations (title, created_at, updated_at) VALUES ('x', 1, 1)"_s);
            return pragmas(db, {u"journal_mode"_s, u"foreign_keys"_s, u"busy_timeout"_s})
                   << insert.lastError().databaseText();
        }));
        QCOMPARE(reader.mid(0, 3), (QStringList{u"wal"_s, u"1"_s, u"5000"_s}));
        QVERIFY2(reader.at(3).contains(u"readonly"_s), qPrintable(reader.at(3)));
    }

    void reopensExistingProfile()
    {
        const QString dir = m_dir.filePath(u"again"_s);
        {
            auto first = QCoro::waitFor(ProfileDatabase::open(dir));
            QVERIFY(first);
            QVERIFY(await((*first)->writer().run([](QSqlDatabase &db) {
                return QSqlQuery(db).exec(
                    u"INSERT INTO conversations (title, created_at, updated_at) VALUES ('t', 1, 1)"_s);
            })));
        }
        auto second = QCoro::waitFor(ProfileDatabase::open(dir));
        QVERIFY(second);
        const int count = await((*second)->readers().run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            return query.exec(u"SELECT count(*) FROM conversations"_s) && query.next() ? query.value(0).toInt() : -1;
        }));
        QCOMPARE(count, 1);
    }

    void refusesNewerSchema()
    {
        const QString dir = m_dir.filePath(u"future"_s);
        {
            auto opened = QCoro::waitFor(ProfileDatabase::open(dir));
            QVERIFY(opened);
            // As if a later ragdesk had upgraded this profile.
            QVERIFY(await((*opened)->writer().run([](QSqlDatabase &db) {
                return QSqlQuery(db).exec(u"PRAGMA user_version = 99"_s);
            })));
        }
        auto refused = QCoro::waitFor(ProfileDatabase::open(dir));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Database);
        const QString expected = u"profile.db was created by a newer ragdesk (schema 99); this version knows up to %1"_s
                                     .arg(ProfileSchema::latestVersion());
        QVERIFY2(refused.error().message.startsWith(expected), qPrintable(refused.error().message));
    }

    void reportsUnopenableFile()
    {
        // profile.db exists but is a folder, so SQLite cannot open it.
        const QString dir = m_dir.filePath(u"broken"_s);
        QVERIFY(QDir().mkpath(dir + u"/profile.db"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"opening .* failed"_s));
        auto opened = QCoro::waitFor(ProfileDatabase::open(dir));
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.startsWith(u"Could not open profile.db: "_s),
                 qPrintable(opened.error().message));
    }
};

QTEST_GUILESS_MAIN(TestProfileDatabase)
#include "tst_profiledatabase.moc"
