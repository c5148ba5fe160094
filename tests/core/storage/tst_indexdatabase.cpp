#include "core/storage/IndexDatabase.h"
#include "core/storage/IndexSchema.h"
#include "core/storage/Migrations.h"
#include "tests/core/storage/DatabaseTestSupport.h"
#include "tests/support/AwaitFuture.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::await;
using ragdesk::testing::pragmas;

namespace {
QStringList schemaObjects(QSqlDatabase &db)
{
    QStringList names;
    QSqlQuery query(db);
    // FTS5's shadow tables (chunks_fts_data, ...) are its business; list what the schema declares.
    query.exec(u"SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
               " AND name NOT IN ('chunks_fts_data', 'chunks_fts_idx', 'chunks_fts_docsize', 'chunks_fts_config')"
               " ORDER BY name"_s);
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}
} // namespace

class TestIndexDatabase : public QObject
{
    Q_OBJECT

private:
    testing::TempProfile m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void opensWithDesignPragmas()
    {
        const QString dir = m_dir.filePath(u"fresh/profile"_s);
        auto opened = QCoro::waitFor(IndexDatabase::open(dir));
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        auto database = *opened;
        QCOMPARE(database->path(), dir + u"/index.db"_s);
        QVERIFY(QFile::exists(database->path()));
        QCOMPARE(database->writer().threadCount(), 1);
        QCOMPARE(database->readers().threadCount(), IndexDatabase::readerThreads);
        const auto writer = await(database->writer().run([](QSqlDatabase &db) {
            return pragmas(db, {u"journal_mode"_s, u"synchronous"_s, u"foreign_keys"_s, u"busy_timeout"_s,
                                u"user_version"_s});
        }));
        // synchronous 1 is NORMAL: index.db is rebuildable.
        QCOMPARE(writer, (QStringList{u"wal"_s, u"1"_s, u"1"_s, u"5000"_s,
                                      QString::number(IndexSchema::latestVersion())}));
        const auto reader = await(database->readers().run([](QSqlDatabase &db) {
            return pragmas(db, {u"journal_mode"_s, u"foreign_keys"_s, u"busy_timeout"_s});
        }));
        QCOMPARE(reader, (QStringList{u"wal"_s, u"1"_s, u"5000"_s}));
    }

    void everyEarlierVersionReachesLatest_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<bool>("emptyFile");
        QTest::addRow("empty file") << 0 << true;
        for (int version = 0; version < IndexSchema::latestVersion(); ++version)
            QTest::addRow("v%d", version) << version << false;
    }

    void everyEarlierVersionReachesLatest()
    {
        QFETCH(int, from);
        QFETCH(bool, emptyFile);
        const QString dir = m_dir.filePath(u"from-%1-%2"_s.arg(from).arg(emptyFile));
        QVERIFY(QDir().mkpath(dir));
        if (emptyFile) {
            QFile file(dir + u"/index.db"_s);
            QVERIFY(file.open(QIODevice::WriteOnly)); // zero bytes: SQLite treats it as a new database
        } else {
            DatabaseExecutor writer(dir + u"/index.db"_s, DatabaseExecutor::Role::Writer, 1);
            const auto built = await(writer.run([from](QSqlDatabase &db) {
                return Migrations::migrate(db, IndexSchema::steps().mid(0, from));
            }));
            QCOMPARE(built.value_or(-1), from);
        }
        auto opened = QCoro::waitFor(IndexDatabase::open(dir));
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        const auto objects = await((*opened)->writer().run([](QSqlDatabase &db) { return schemaObjects(db); }));
        QCOMPARE(objects, (QStringList{u"table chunk_vectors"_s, u"index chunk_vectors_by_chunk"_s, u"table chunks"_s,
                                       u"index chunks_by_document"_s, u"table chunks_fts"_s,
                                       u"view chunks_fts_content"_s, u"trigger chunks_fts_delete"_s,
                                       u"trigger chunks_fts_update"_s,
                                       u"table document_text"_s, u"table documents"_s, u"index documents_by_hash"_s,
                                       u"index documents_by_status"_s, u"table embedding_models"_s}));
    }

    void chunksOfVersionOneStaySearchableAfterTheTokenizerChange()
    {
        const QString dir = m_dir.filePath(u"from-v1-with-data"_s);
        QVERIFY(QDir().mkpath(dir));
        {
            DatabaseExecutor writer(dir + u"/index.db"_s, DatabaseExecutor::Role::Writer, 1);
            const auto built = await(writer.run([](QSqlDatabase &db) -> bool {
                if (Migrations::migrate(db, IndexSchema::steps().mid(0, 1)).value_or(-1) != 1)
                    return false;
                QSqlQuery query(db);
                return query.exec(u"INSERT INTO documents (id, knowledge_base_id, path, status, added_at, updated_at)"
                                  " VALUES (1, 1, '/a.txt', 'indexed', 0, 0)"_s)
                       && query.exec(u"INSERT INTO chunks (id, document_id, ordinal, text, start_offset, end_offset,"
                                     " token_count) VALUES (7, 1, 0, 'Runners were running', 0, 20, 4)"_s)
                       && query.exec(u"INSERT INTO chunks_fts(rowid, text, heading_path)"
                                     " VALUES (7, 'Runners were running', '')"_s);
            }));
            QVERIFY(built);
        }
        auto opened = QCoro::waitFor(IndexDatabase::open(dir));
        QVERIFY(opened);
        // Rebuilt with the new tokenizer and no language yet: found by its words, not yet by stems.
        const auto found = await((*opened)->readers().run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.exec(u"SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'running'"_s);
            return query.next() ? query.value(0).toLongLong() : qint64(-1);
        }));
        QCOMPARE(found, qint64(7));
        const auto checked = await((*opened)->writer().run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            return query.exec(u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)"_s);
        }));
        QVERIFY(checked);
    }

    void queuePlansUseIndexes()
    {
        auto opened = QCoro::waitFor(IndexDatabase::open(m_dir.filePath(u"plans"_s)));
        QVERIFY(opened);
        const auto plans = await((*opened)->readers().run([](QSqlDatabase &db) {
            QStringList details;
            for (const QString &sql :
                 {u"SELECT id FROM documents WHERE status = 'queued' ORDER BY id LIMIT 8"_s,
                  u"SELECT id FROM documents WHERE knowledge_base_id = 1"_s,
                  u"SELECT id FROM chunks WHERE document_id = 1"_s}) {
                QSqlQuery query(db);
                query.exec(u"EXPLAIN QUERY PLAN "_s + sql);
                QString detail;
                while (query.next())
                    detail += query.value(3).toString() + u';';
                details.append(detail);
            }
            return details;
        }));
        QCOMPARE(plans.size(), 3);
        QVERIFY2(plans.at(0).contains(u"documents_by_status"_s) && !plans.at(0).contains(u"TEMP B-TREE"_s),
                 qPrintable(plans.at(0)));
        QVERIFY2(plans.at(1).contains(u"USING COVERING INDEX sqlite_autoindex_documents_1"_s), qPrintable(plans.at(1)));
        QVERIFY2(plans.at(2).contains(u"chunks_by_document"_s), qPrintable(plans.at(2)));
    }

    void refusesNewerSchema()
    {
        const QString dir = m_dir.filePath(u"future"_s);
        {
            auto opened = QCoro::waitFor(IndexDatabase::open(dir));
            QVERIFY(opened);
            QVERIFY(await((*opened)->writer().run([](QSqlDatabase &db) {
                return QSqlQuery(db).exec(u"PRAGMA user_version = 42"_s);
            })));
        }
        auto refused = QCoro::waitFor(IndexDatabase::open(dir));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.startsWith(u"index.db was created by a newer ragdesk (schema 42)"_s),
                 qPrintable(refused.error().message));
    }
};

QTEST_GUILESS_MAIN(TestIndexDatabase)
#include "tst_indexdatabase.moc"
