#include "core/storage/DatabaseExecutor.h"
#include "core/storage/Migrations.h"
#include "core/storage/ProfileSchema.h"
#include "tests/support/AwaitFuture.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::await;

namespace {
QStringList tableNames(QSqlDatabase &db)
{
    QStringList names;
    QSqlQuery query(db);
    query.exec(u"SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' "
               "ORDER BY name"_s);
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

/// The latest schema is usable: a conversation with a message, and (v2) a knowledge base with a
/// source, can be written and cascade away; knowledge-base names are unique case-insensitively.
bool latestSchemaWorks(QSqlDatabase &db)
{
    QSqlQuery query(db);
    return query.exec(u"PRAGMA foreign_keys = ON"_s)
        && query.exec(u"INSERT INTO conversations (title, created_at, updated_at) VALUES ('t', 1, 1)"_s)
        && query.exec(u"INSERT INTO messages (conversation_id, role, status, created_at, updated_at)"
                      " VALUES (last_insert_rowid(), 'user', 'done', 1, 1)"_s)
        && query.exec(u"DELETE FROM conversations"_s) && query.exec(u"SELECT count(*) FROM messages"_s)
        && query.next() && query.value(0).toInt() == 0
        && query.exec(u"INSERT INTO knowledge_bases (name, chunk_tokens, chunk_overlap, language, created_at,"
                      " updated_at) VALUES ('Docs', 512, 64, 'en', 1, 1)"_s)
        && query.exec(u"INSERT INTO knowledge_base_sources (knowledge_base_id, path, is_folder, watched, added_at)"
                      " VALUES (last_insert_rowid(), '/x', 1, 1, 1)"_s)
        && !query.exec(u"INSERT INTO knowledge_bases (name, chunk_tokens, chunk_overlap, language, created_at,"
                       " updated_at) VALUES ('DOCS', 512, 64, 'en', 1, 1)"_s)
        && query.exec(u"DELETE FROM knowledge_bases"_s) && query.exec(u"SELECT count(*) FROM knowledge_base_sources"_s)
        && query.next() && query.value(0).toInt() == 0;
}
} // namespace

class TestMigrations : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_file = 0;

    /// Migrations run where the app runs them: on a writer thread.
    std::unique_ptr<DatabaseExecutor> freshWriter(const QString &name = u"profile.db"_s)
    {
        const QString dir = m_dir.filePath(QString::number(++m_file));
        QDir().mkpath(dir);
        return std::make_unique<DatabaseExecutor>(QDir(dir).filePath(name), DatabaseExecutor::Role::Writer, 1);
    }

    static QList<MigrationStep> testSteps()
    {
        return {MigrationStep{{u"CREATE TABLE a (x)"_s}},
                MigrationStep{{u"CREATE TABLE b (y)"_s, u"INSERT INTO b VALUES (1)"_s}}};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void freshDatabaseReachesLatest()
    {
        auto writer = freshWriter();
        const auto result = await(writer->run([](QSqlDatabase &db) -> Result<QStringList> {
            auto migrated = Migrations::migrate(db, ProfileSchema::steps());
            if (!migrated)
                return std::unexpected(migrated.error());
            if (*migrated != ProfileSchema::latestVersion() || Migrations::userVersion(db).value_or(-1) != *migrated)
                return QStringList{u"wrong version"_s};
            if (!latestSchemaWorks(db))
                return QStringList{u"schema does not work"_s};
            return tableNames(db);
        }));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, (QStringList{u"conversations"_s, u"conversations_by_update"_s, u"knowledge_base_sources"_s,
                                       u"knowledge_base_sources_watched"_s, u"knowledge_bases"_s, u"messages"_s,
                                       u"messages_by_conversation"_s}));
    }

    void everyEarlierVersionReachesLatest_data()
    {
        QTest::addColumn<int>("from");
        for (int version = 0; version < ProfileSchema::latestVersion(); ++version)
            QTest::addRow("v%d", version) << version;
    }

    void everyEarlierVersionReachesLatest()
    {
        QFETCH(int, from);
        auto writer = freshWriter();
        const auto result = await(writer->run([from](QSqlDatabase &db) -> Result<int> {
            // Build the database as a release at version `from` left it, then upgrade it.
            auto old = Migrations::migrate(db, ProfileSchema::steps().mid(0, from));
            if (!old || *old != from)
                return fail(Error::Kind::Unknown, u"could not build version %1"_s.arg(from));
            auto migrated = Migrations::migrate(db, ProfileSchema::steps());
            if (migrated && !latestSchemaWorks(db))
                return fail(Error::Kind::Unknown, u"schema does not work"_s);
            return migrated;
        }));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, ProfileSchema::latestVersion());
    }

    void migratingTwiceIsANoOp()
    {
        auto writer = freshWriter();
        const auto result = await(writer->run([](QSqlDatabase &db) -> Result<int> {
            if (auto first = Migrations::migrate(db, testSteps()); !first)
                return first;
            return Migrations::migrate(db, testSteps());
        }));
        QVERIFY(result);
        QCOMPARE(*result, 2);
    }

    void failedStepLeavesPreviousVersion()
    {
        auto steps = testSteps();
        steps.append(MigrationStep{{u"CREATE TABLE c (z)"_s, u"THIS IS NOT SQL"_s}});
        auto writer = freshWriter(u"index.db"_s);
        const auto result = await(writer->run([steps](QSqlDatabase &db) {
            auto migrated = Migrations::migrate(db, steps);
            return std::make_pair(migrated, std::make_pair(Migrations::userVersion(db), tableNames(db)));
        }));
        const auto &[migrated, after] = result;
        QVERIFY(!migrated);
        QCOMPARE(migrated.error().kind, Error::Kind::Database);
        QVERIFY2(migrated.error().message.startsWith(u"Could not upgrade index.db to schema 3: "_s),
                 qPrintable(migrated.error().message));
        QVERIFY(migrated.error().detail.contains(u"THIS IS NOT SQL"_s));
        // Step 3 rolled back whole: its first table is gone and the version still says 2.
        QCOMPARE(after.first, 2);
        QCOMPARE(after.second, (QStringList{u"a"_s, u"b"_s}));
    }

    void newerDatabaseIsRefused()
    {
        auto writer = freshWriter();
        const int latest = ProfileSchema::latestVersion();
        const auto result = await(writer->run([latest](QSqlDatabase &db) {
            QSqlQuery(db).exec(u"PRAGMA user_version = %1"_s.arg(latest + 1));
            auto migrated = Migrations::migrate(db, ProfileSchema::steps());
            return std::make_pair(migrated, Migrations::userVersion(db));
        }));
        QVERIFY(!result.first);
        QCOMPARE(result.first.error().kind, Error::Kind::Database);
        const QString expected = u"profile.db was created by a newer ragdesk (schema %1); this version knows up to %2"_s
                                     .arg(latest + 1)
                                     .arg(latest);
        QVERIFY2(result.first.error().message.startsWith(expected), qPrintable(result.first.error().message));
        QCOMPARE(result.second, latest + 1); // untouched
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
