#include "core/storage/DatabaseExecutor.h"
#include "core/storage/Migrations.h"
#include "core/storage/ProfileSchema.h"
#include "tests/support/AwaitFuture.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QSqlError>
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

bool assistantsAndSearchWork(QSqlDatabase &db);

/// Builds the database as a release at version @p from left it, ready to be upgraded.
Result<void> buildVersion(QSqlDatabase &db, int from)
{
    auto old = Migrations::migrate(db, ProfileSchema::steps().mid(0, from));
    if (!old || *old != from)
        return fail(Error::Kind::Unknown, u"could not build version %1"_s.arg(from));
    return {};
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
        && query.next() && query.value(0).toInt() == 0 && assistantsAndSearchWork(db);
}

int countOf(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    return query.exec(sql) && query.next() ? query.value(0).toInt() : -1;
}

/// v4: deleting an assistant keeps its conversations, and the message index follows inserts,
/// content updates and deletes.
bool assistantsAndSearchWork(QSqlDatabase &db)
{
    QSqlQuery query(db);
    const bool written =
        query.exec(u"INSERT INTO assistants (name, settings, created_at, updated_at) VALUES ('A', '{}', 1, 1)"_s)
        && !query.exec(u"INSERT INTO assistants (name, settings, created_at, updated_at) VALUES ('a', '{}', 1, 1)"_s)
        && query.exec(u"INSERT INTO conversations (title, created_at, updated_at, assistant_id)"
                      " VALUES ('Zebra notes', 1, 1, (SELECT id FROM assistants))"_s)
        && query.exec(u"INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at)"
                      " VALUES (last_insert_rowid(), 'user', 'first draft', 'done', 1, 1)"_s)
        && query.exec(u"DELETE FROM assistants"_s);
    if (!written || countOf(db, u"SELECT count(*) FROM conversations WHERE assistant_id IS NULL"_s) != 1
        || countOf(db, u"SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH 'zebra'"_s) != 1
        || countOf(db, u"SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'draft'"_s) != 1)
        return false;
    if (!query.exec(u"UPDATE messages SET content = 'final text'"_s)
        || countOf(db, u"SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'draft'"_s) != 0
        || countOf(db, u"SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'final'"_s) != 1)
        return false;
    return query.exec(u"DELETE FROM conversations"_s)
        && countOf(db, u"SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'final'"_s) == 0
        && countOf(db, u"SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH 'zebra'"_s) == 0
        && query.exec(u"INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"_s);
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
        // FTS5 keeps its index in shadow tables (_config, _data, _docsize, _idx); external
        // content means no _content copy of the text.
        const QStringList fts{u"_config"_s, u"_data"_s, u"_docsize"_s, u"_idx"_s};
        QStringList expected{u"assistants"_s, u"conversations"_s, u"conversations_by_assistant"_s,
                             u"conversations_by_update"_s, u"conversations_fts"_s};
        for (const QString &suffix : fts)
            expected.append(u"conversations_fts"_s + suffix);
        expected << u"knowledge_base_sources"_s << u"knowledge_base_sources_watched"_s << u"knowledge_bases"_s
                 << u"messages"_s << u"messages_by_conversation"_s << u"messages_by_parent"_s << u"messages_fts"_s;
        for (const QString &suffix : fts)
            expected.append(u"messages_fts"_s + suffix);
        QCOMPARE(*result, expected);
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
            if (auto old = buildVersion(db, from); !old)
                return std::unexpected(old.error());
            auto migrated = Migrations::migrate(db, ProfileSchema::steps());
            if (migrated && !latestSchemaWorks(db))
                return fail(Error::Kind::Unknown, u"schema does not work"_s);
            return migrated;
        }));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, ProfileSchema::latestVersion());
    }

    void linearConversationBecomesChain_data()
    {
        QTest::addColumn<int>("from");
        // From v1 on there are conversations to carry over.
        for (int version = 1; version < 4; ++version)
            QTest::addRow("v%d", version) << version;
    }

    void linearConversationBecomesChain()
    {
        QFETCH(int, from);
        auto writer = freshWriter();
        const auto result = await(writer->run([from](QSqlDatabase &db) -> Result<QStringList> {
            if (auto old = buildVersion(db, from); !old)
                return std::unexpected(old.error());
            QSqlQuery query(db);
            // Two conversations whose messages interleave by id, as they do when two tabs stream.
            for (const QString &sql :
                 {u"INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, 'Apples', 1, 1)"_s,
                  u"INSERT INTO conversations (id, title, created_at, updated_at) VALUES (2, 'Pears', 1, 1)"_s,
                  u"INSERT INTO conversations (id, title, created_at, updated_at) VALUES (3, 'Empty', 1, 1)"_s,
                  u"INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)"
                  " VALUES (10, 1, 'user', 'How ripe is the café mango?', 'done', 1, 1)"_s,
                  u"INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)"
                  " VALUES (11, 2, 'user', 'pears', 'done', 1, 1)"_s,
                  u"INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)"
                  " VALUES (12, 1, 'assistant', 'Quite ripe.', 'done', 1, 1)"_s,
                  u"INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)"
                  " VALUES (13, 1, 'user', 'Thanks', 'done', 1, 1)"_s}) {
                if (!query.exec(sql))
                    return fail(Error::Kind::Unknown, query.lastError().text());
            }
            auto migrated = Migrations::migrate(db, ProfileSchema::steps());
            if (!migrated)
                return std::unexpected(migrated.error());
            QStringList rows;
            query.exec(u"SELECT id, coalesce(parent_id, 0) FROM messages ORDER BY id"_s);
            while (query.next())
                rows.append(u"m%1<-%2"_s.arg(query.value(0).toLongLong()).arg(query.value(1).toLongLong()));
            query.exec(u"SELECT id, coalesce(active_leaf_id, 0), pinned, coalesce(deleted_at, 0) FROM conversations"
                       " ORDER BY id"_s);
            while (query.next())
                rows.append(u"c%1:%2:%3:%4"_s.arg(query.value(0).toLongLong())
                                .arg(query.value(1).toLongLong())
                                .arg(query.value(2).toInt())
                                .arg(query.value(3).toLongLong()));
            // Searchable at once: the backfill indexed the old rows, diacritics folded.
            query.exec(u"SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'cafe' ORDER BY rowid"_s);
            while (query.next())
                rows.append(u"hit m%1"_s.arg(query.value(0).toLongLong()));
            query.exec(u"SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH 'pear*'"_s);
            while (query.next())
                rows.append(u"hit c%1"_s.arg(query.value(0).toLongLong()));
            return rows;
        }));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, (QStringList{u"m10<-0"_s, u"m11<-0"_s, u"m12<-10"_s, u"m13<-12"_s, u"c1:13:0:0"_s,
                                       u"c2:11:0:0"_s, u"c3:0:0:0"_s, u"hit m10"_s, u"hit c2"_s}));
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
