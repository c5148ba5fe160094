#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"
#include "tests/core/storage/IndexTestSupport.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::mustSucceed;
using ragdesk::testing::count;
using ragdesk::testing::ftsMatches;
using ragdesk::testing::indexedDocument;

namespace {
QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::UTC);
}

FileSnapshot file(const QString &path, qint64 size = 10, qint64 mtime = 1000)
{
    return FileSnapshot{path, size, at(mtime)};
}

/// The snapshot of a file as testing::indexedDocument() stores it.
FileSnapshot storedFile(const QString &path)
{
    return FileSnapshot{path, 100, at(1'700'000'000'000)};
}

QList<qint64> ids(const QList<DocumentRecord> &documents)
{
    QList<qint64> out;
    for (const auto &document : documents)
        out.append(document.id);
    return out;
}
} // namespace

class TestDocumentStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TempProfile> m_profile;
    std::shared_ptr<IndexDatabase> m_database;
    std::unique_ptr<DocumentStore> m_store;

    DocumentRecord document(qint64 id) { return mustSucceed(m_store->document(id)).value_or(DocumentRecord{}); }

    /// Queues @p paths in knowledge base @p kb, claims them and stores one chunk per path made of
    /// the words of @p words[i]. Returns the document ids.
    QList<qint64> indexed(qint64 kb, const QStringList &paths, const QStringList &words)
    {
        QList<FileSnapshot> files;
        for (const QString &path : paths)
            files.append(file(path));
        mustSucceed(m_store->enqueue(kb, files));
        const auto claimed = ids(mustSucceed(m_store->claimNext(int(paths.size()))));
        QList<IndexedDocument> batch;
        for (qsizetype i = 0; i < claimed.size(); ++i)
            batch.append(indexedDocument(claimed.at(i), {words.at(i)}));
        mustSucceed(m_store->storeIndexed(batch));
        return claimed;
    }

    /// Terms left in the keyword index itself, independent of its content view.
    qint64 indexedTerms()
    {
        return testing::await(m_database->writer().run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.exec(u"CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, 'chunks_fts', 'row')"_s);
            return query.exec(u"SELECT count(*) FROM temp.terms"_s) && query.next() ? query.value(0).toLongLong()
                                                                                  : qint64(-1);
        }));
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::TempProfile>();
        m_database = mustSucceed(IndexDatabase::open(m_profile->path()));
        m_store = std::make_unique<DocumentStore>(m_database);
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void enqueueInsertsNewPaths()
    {
        QCOMPARE(mustSucceed(m_store->enqueue(1, {file(u"/a"_s, 5, 100), file(u"/b"_s)})), 2);
        const auto documents = mustSucceed(m_store->documents(1));
        QCOMPARE(documents.size(), 2);
        QCOMPARE(documents.at(0).path, u"/a"_s);
        QCOMPARE(documents.at(0).knowledgeBaseId, 1);
        QCOMPARE(documents.at(0).size, 5);
        QCOMPARE(documents.at(0).modifiedAt, at(100));
        QCOMPARE(documents.at(0).status, DocumentStatus::Queued);
        QVERIFY(documents.at(0).addedAt.isValid());
        QVERIFY(!documents.at(0).indexedAt.isValid());
        QVERIFY(mustSucceed(m_store->documents(2)).isEmpty());
        // The same path in another knowledge base is another document.
        QCOMPARE(mustSucceed(m_store->enqueue(2, {file(u"/a"_s)})), 1);
    }

    void enqueueDetectsChanges()
    {
        const auto [a, b, c] = std::tuple{indexed(1, {u"/a"_s}, {u"old words"_s}).at(0),
                                          indexed(1, {u"/b"_s}, {u"bee"_s}).at(0), indexed(1, {u"/c"_s}, {u"sea"_s}).at(0)};
        mustSucceed(m_store->markFailed(b, u"broken"_s));
        mustSucceed(m_store->markSkipped(c, u"unsupported"_s));
        // Unchanged: nothing happens, whatever the status.
        QCOMPARE(mustSucceed(m_store->enqueue(1, {storedFile(u"/a"_s), storedFile(u"/b"_s), storedFile(u"/c"_s)})), 0);
        QCOMPARE(document(a).status, DocumentStatus::Indexed);
        QCOMPARE(document(b).status, DocumentStatus::Failed);
        QCOMPARE(document(c).status, DocumentStatus::Skipped);

        // a's size, b's mtime changed: both go back to the queue, errors and attempts cleared.
        QCOMPARE(mustSucceed(m_store->enqueue(1, {file(u"/a"_s, 11, 1'700'000'000'000), file(u"/b"_s, 100, 2000),
                                            storedFile(u"/c"_s)})),
                 2);
        const auto changedA = document(a);
        QCOMPARE(changedA.status, DocumentStatus::Queued);
        QCOMPARE(changedA.size, 11);
        QCOMPARE(changedA.attempts, 0);
        const auto changedB = document(b);
        QCOMPARE(changedB.status, DocumentStatus::Queued);
        QCOMPARE(changedB.modifiedAt, at(2000));
        QVERIFY(changedB.error.isEmpty());
        QCOMPARE(document(c).status, DocumentStatus::Skipped);
        // The old chunks stay searchable until the re-index replaces them.
        QCOMPARE(ftsMatches(*m_database, u"old"_s).size(), 1);
    }

    void requeueRetriesExplicitly()
    {
        const auto docs = indexed(1, {u"/a"_s, u"/b"_s}, {u"x"_s, u"y"_s});
        mustSucceed(m_store->markFailed(docs.at(0), u"broken"_s));
        mustSucceed(m_store->enqueue(1, {file(u"/c"_s)}));
        const qint64 queued = mustSucceed(m_store->documents(1)).at(2).id;
        QCOMPARE(mustSucceed(m_store->requeue({docs.at(0), docs.at(1), queued, 999})), 2);
        QCOMPARE(document(docs.at(0)).status, DocumentStatus::Queued);
        QVERIFY(document(docs.at(0)).error.isEmpty());
        QCOMPARE(document(docs.at(1)).status, DocumentStatus::Queued);
        // Forgotten, so the queue reads the file again instead of calling it unchanged.
        QVERIFY(document(docs.at(1)).contentHash.isEmpty());
        QCOMPARE(mustSucceed(m_store->requeue({})), 0);
    }

    void claimsOldestQueuedFirst()
    {
        QCOMPARE(mustSucceed(m_store->enqueue(1, {file(u"/1"_s), file(u"/2"_s), file(u"/3"_s)})), 3);
        QCOMPARE(mustSucceed(m_store->enqueue(2, {file(u"/4"_s)})), 1);
        const auto first = mustSucceed(m_store->claimNext(2));
        QCOMPARE(first.size(), 2);
        QCOMPARE(first.at(0).path, u"/1"_s);
        QCOMPARE(first.at(1).path, u"/2"_s);
        QCOMPARE(first.at(0).status, DocumentStatus::Extracting);
        QCOMPARE(first.at(0).attempts, 1);
        QCOMPARE(document(first.at(0).id).status, DocumentStatus::Extracting);
        const auto rest = mustSucceed(m_store->claimNext(10));
        QCOMPARE(ids(rest).size(), 2);
        QCOMPARE(rest.at(0).path, u"/3"_s);
        QCOMPARE(rest.at(1).path, u"/4"_s);
        QVERIFY(mustSucceed(m_store->claimNext(10)).isEmpty());
    }

    void recoversInterruptedAndGivesUp()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/crashy"_s), file(u"/fine"_s), file(u"/waiting"_s)}));
        const auto crashy = mustSucceed(m_store->claimNext(1)).at(0).id;
        // Two more runs that went down while reading /crashy.
        for (int run = 0; run < 2; ++run) {
            QCOMPARE(mustSucceed(m_store->recoverInterrupted(3)), 1);
            QCOMPARE(mustSucceed(m_store->claimNext(1)).at(0).id, crashy);
        }
        const auto fine = mustSucceed(m_store->claimNext(1)).at(0).id;
        QCOMPARE(document(crashy).attempts, 3);
        // Third restart: /crashy had its 3 attempts and is given up on, /fine goes back.
        QCOMPARE(mustSucceed(m_store->recoverInterrupted(3)), 1);
        const auto givenUp = document(crashy);
        QCOMPARE(givenUp.status, DocumentStatus::Failed);
        QCOMPARE(givenUp.error, u"ragdesk stopped 3 times while reading this file; it is skipped until it changes."_s);
        QCOMPARE(document(fine).status, DocumentStatus::Queued);
        QCOMPARE(document(fine).attempts, 1);
        QCOMPARE(mustSucceed(m_store->recoverInterrupted(3)), 0);
        // Until it changes.
        QCOMPARE(mustSucceed(m_store->enqueue(1, {file(u"/crashy"_s, 99)})), 1);
        QCOMPARE(document(crashy).status, DocumentStatus::Queued);
    }

    void storeIndexedWritesEverything()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/a"_s)}));
        const auto id = mustSucceed(m_store->claimNext(1)).at(0).id;
        auto input = indexedDocument(id, {u"first chunk"_s, u"second chunk"_s});
        input.size = 77;
        input.modifiedAt = at(5000);
        input.pageCount = 4;
        QCOMPARE(mustSucceed(m_store->storeIndexed({input})), QList<qint64>{id});
        const auto stored = document(id);
        QCOMPARE(stored.status, DocumentStatus::Indexed);
        QCOMPARE(stored.title, input.title);
        QCOMPARE(stored.mimeType, u"text/plain"_s);
        QCOMPARE(stored.contentHash, input.contentHash);
        QCOMPARE(stored.chunkCount, 2);
        QCOMPARE(stored.pageCount, 4);
        QCOMPARE(stored.size, 77);
        QCOMPARE(stored.modifiedAt, at(5000));
        QVERIFY(stored.indexedAt.isValid());
        QVERIFY(stored.error.isEmpty());
        QCOMPARE(ftsMatches(*m_database, u"chunk"_s).size(), 2);
    }

    void storeIndexedReplacesOldChunks()
    {
        const auto id = indexed(1, {u"/a"_s}, {u"outdated words"_s}).at(0);
        const auto oldIds = ftsMatches(*m_database, u"outdated"_s);
        QCOMPARE(oldIds.size(), 1);
        mustSucceed(m_store->enqueue(1, {file(u"/a"_s, 12)}));
        mustSucceed(m_store->claimNext(1));
        QCOMPARE(mustSucceed(m_store->storeIndexed({indexedDocument(id, {u"fresh one"_s, u"fresh two"_s})})),
                 QList<qint64>{id});
        QVERIFY(ftsMatches(*m_database, u"outdated"_s).isEmpty());
        QCOMPARE(ftsMatches(*m_database, u"fresh"_s).size(), 2);
        QCOMPARE(count(*m_database, u"SELECT count(*) FROM chunks"_s), 2);
        QCOMPARE(count(*m_database, u"SELECT count(*) FROM document_text"_s), 1);
        QCOMPARE(document(id).chunkCount, 2);
        QVERIFY(QCoro::waitFor(m_store->checkIntegrity()));
    }

    void storeIndexedSkipsDeletedDocuments()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/kept"_s), file(u"/gone"_s)}));
        const auto claimed = ids(mustSucceed(m_store->claimNext(2)));
        QCOMPARE(mustSucceed(m_store->removeDocuments({claimed.at(1)})), 1);
        const auto stored = mustSucceed(m_store->storeIndexed(
            {indexedDocument(claimed.at(0), {u"kept text"_s}), indexedDocument(claimed.at(1), {u"gone text"_s})}));
        QCOMPARE(stored, QList<qint64>{claimed.at(0)});
        QCOMPARE(ftsMatches(*m_database, u"text"_s).size(), 1);
        QCOMPARE(count(*m_database, u"SELECT count(*) FROM chunks"_s), 1);
        QCOMPARE(count(*m_database, u"SELECT count(*) FROM document_text"_s), 1);
    }

    void storeIndexedKeepsARequeuedDocumentQueued()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/a"_s)}));
        const auto id = mustSucceed(m_store->claimNext(1)).at(0).id;
        // The file changed again while it was being read.
        mustSucceed(m_store->enqueue(1, {file(u"/a"_s, 20, 9000)}));
        mustSucceed(m_store->storeIndexed({indexedDocument(id, {u"interim"_s})}));
        const auto row = document(id);
        QCOMPARE(row.status, DocumentStatus::Queued);
        QCOMPARE(row.size, 20);
        QCOMPARE(row.modifiedAt, at(9000));
        QCOMPARE(ftsMatches(*m_database, u"interim"_s).size(), 1);
    }

    void marksStatuses()
    {
        const auto docs = indexed(1, {u"/a"_s, u"/b"_s, u"/c"_s}, {u"a"_s, u"b"_s, u"c"_s});
        mustSucceed(m_store->markFailed(docs.at(0), u"The PDF is encrypted."_s));
        QCOMPARE(document(docs.at(0)).status, DocumentStatus::Failed);
        QCOMPARE(document(docs.at(0)).error, u"The PDF is encrypted."_s);
        mustSucceed(m_store->markSkipped(docs.at(1), u"Same content as /a"_s));
        QCOMPARE(document(docs.at(1)).status, DocumentStatus::Skipped);
        QCOMPARE(document(docs.at(1)).error, u"Same content as /a"_s);
        mustSucceed(m_store->markUnchanged(docs.at(0), 55, at(7000)));
        const auto unchanged = document(docs.at(0));
        QCOMPARE(unchanged.status, DocumentStatus::Indexed);
        QCOMPARE(unchanged.size, 55);
        QCOMPARE(unchanged.modifiedAt, at(7000));
        QVERIFY(unchanged.error.isEmpty());
        QCOMPARE(unchanged.chunkCount, 1);
        // A document removed meanwhile is not an error.
        QVERIFY(QCoro::waitFor(m_store->markFailed(999, u"x"_s)));
    }

    void cancels()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/1"_s), file(u"/2"_s), file(u"/3"_s)}));
        mustSucceed(m_store->enqueue(2, {file(u"/4"_s)}));
        const auto all = ids(mustSucceed(m_store->documents(1)));
        mustSucceed(m_store->claimNext(1)); // /1 is extracting
        QCOMPARE(mustSucceed(m_store->cancel({all.at(0), all.at(1)})), 2);
        QCOMPARE(document(all.at(0)).status, DocumentStatus::Skipped);
        QCOMPARE(document(all.at(0)).error, u"Cancelled"_s);
        QCOMPARE(document(all.at(2)).status, DocumentStatus::Queued);
        QCOMPARE(mustSucceed(m_store->cancel({all.at(0)})), 0); // already done
        QCOMPARE(mustSucceed(m_store->cancelKnowledgeBase(1)), 1);
        QCOMPARE(document(all.at(2)).status, DocumentStatus::Skipped);
        QCOMPARE(mustSucceed(m_store->documents(2)).at(0).status, DocumentStatus::Queued);
    }

    void findsIndexedTwinByHash()
    {
        const auto id = indexed(1, {u"/a"_s}, {u"x"_s}).at(0);
        const QByteArray hash = document(id).contentHash;
        QVERIFY(!hash.isEmpty());
        const auto twin = mustSucceed(m_store->findIndexedByHash(1, hash));
        QVERIFY(twin);
        QCOMPARE(twin->id, id);
        QVERIFY(!mustSucceed(m_store->findIndexedByHash(2, hash)));
        QVERIFY(!mustSucceed(m_store->findIndexedByHash(1, "ffff")));
        mustSucceed(m_store->markFailed(id, u"x"_s));
        QVERIFY(!mustSucceed(m_store->findIndexedByHash(1, hash)));
    }

    void snapshotsPaths()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/a"_s, 3, 300), file(u"/b"_s)}));
        mustSucceed(m_store->enqueue(2, {file(u"/other"_s)}));
        const auto snapshot = mustSucceed(m_store->snapshot(1));
        QCOMPARE(snapshot.size(), 2);
        const auto a = snapshot.value(u"/a"_s);
        QVERIFY(a.documentId > 0);
        QCOMPARE(a.file, file(u"/a"_s, 3, 300));
        QCOMPARE(a.status, DocumentStatus::Queued);
        QVERIFY(!mustSucceed(m_store->document(a.documentId + 100)));
    }

    void removalLeavesNoTrace()
    {
        const auto docs = indexed(1, {u"/a"_s, u"/b"_s, u"/c"_s, u"/d"_s},
                                  {u"apple"_s, u"banana"_s, u"cherry"_s, u"damson"_s});
        const auto other = indexed(2, {u"/e"_s}, {u"elderberry"_s});
        QCOMPARE(mustSucceed(m_store->removeDocuments({docs.at(0)})), 1);
        QCOMPARE(mustSucceed(m_store->removeByPaths(1, {u"/b"_s, u"/nope"_s})), 1);
        QVERIFY(ftsMatches(*m_database, u"apple OR banana"_s).isEmpty());
        QCOMPARE(ftsMatches(*m_database, u"cherry OR damson OR elderberry"_s).size(), 3);
        QCOMPARE(mustSucceed(m_store->removeKnowledgeBase(1)), 2);
        QVERIFY(mustSucceed(m_store->documents(1)).isEmpty());
        QCOMPARE(ids(mustSucceed(m_store->documents(2))), other);
        QCOMPARE(count(*m_database, u"SELECT count(*) FROM document_text"_s), 1);
        QCOMPARE(count(*m_database, u"SELECT count(*) FROM chunks"_s), 1);
        QVERIFY(ftsMatches(*m_database, u"apple OR banana OR cherry OR damson"_s).isEmpty());
        QVERIFY(QCoro::waitFor(m_store->checkIntegrity()));
        // The cascade fired the delete trigger: the index itself holds only the last document's
        // terms (elderberry, heading, 0), not just a view that hides the others.
        QCOMPARE(indexedTerms(), 3);
        QCOMPARE(mustSucceed(m_store->removeDocuments(other)), 1);
        QCOMPARE(indexedTerms(), 0);
    }

    void reportsProgress()
    {
        indexed(1, {u"/a"_s}, {u"x"_s}); // size 100 once indexed
        mustSucceed(m_store->enqueue(1, {file(u"/q1"_s, 10), file(u"/q2"_s, 20), file(u"/f"_s, 30)}));
        mustSucceed(m_store->enqueue(2, {file(u"/other"_s, 1000)}));
        const auto claimed = mustSucceed(m_store->claimNext(1)); // /q1
        mustSucceed(m_store->markFailed(mustSucceed(m_store->documents(1)).at(3).id, u"x"_s));
        const auto one = mustSucceed(m_store->progress(1));
        QCOMPARE(one.queued, 1);
        QCOMPARE(one.extracting, 1);
        QCOMPARE(one.indexed, 1);
        QCOMPARE(one.failed, 1);
        QCOMPARE(one.skipped, 0);
        QCOMPARE(one.bytesTotal, 160);
        QCOMPARE(one.bytesDone, 130);
        QCOMPARE(one.chunks, 1);
        const auto all = mustSucceed(m_store->progress(0));
        QCOMPARE(all.queued, 2);
        QCOMPARE(all.bytesTotal, 1160);
    }

    void integrityCheckNamesTheFailure()
    {
        indexed(1, {u"/a"_s}, {u"x"_s});
        QVERIFY(QCoro::waitFor(m_store->checkIntegrity()));
        // An index entry without a content row, as a crash in a buggy build might leave.
        QVERIFY(testing::await(m_database->writer().run([](QSqlDatabase &db) {
            return QSqlQuery(db).exec(u"INSERT INTO chunks_fts(rowid, text, heading_path) VALUES (424242, 'ghost', '')"_s);
        })));
        const auto broken = QCoro::waitFor(m_store->checkIntegrity());
        QVERIFY(!broken);
        QCOMPARE(broken.error().kind, Error::Kind::Database);
        QVERIFY2(broken.error().message.startsWith(u"The keyword index failed its integrity check"_s),
                 qPrintable(broken.error().message));
    }

    void writeErrorsAreValues()
    {
        // A reader-only failure mode is hard to provoke; a closed-for-writing file is not.
        QVERIFY(testing::await(m_database->writer().run([](QSqlDatabase &db) {
            return QSqlQuery(db).exec(u"PRAGMA query_only = ON"_s);
        })));
        const auto refused = QCoro::waitFor(m_store->enqueue(1, {file(u"/a"_s)}));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.startsWith(u"Could not update the document list"_s),
                 qPrintable(refused.error().message));
        QVERIFY(!QCoro::waitFor(m_store->storeIndexed({indexedDocument(1, {u"x"_s})})));
        QVERIFY(!QCoro::waitFor(m_store->removeDocuments({1})));
    }

    void eventLoopTurnsWhileStoring()
    {
        mustSucceed(m_store->enqueue(1, {file(u"/big"_s)}));
        const auto id = mustSucceed(m_store->claimNext(1)).at(0).id;
        QStringList texts;
        for (int i = 0; i < 3000; ++i)
            texts.append(u"chunk %1 with some words to tokenize, repeated words words words"_s.arg(i));
        testing::EventLoopChecker loop;
        const auto stored = QCoro::waitFor(m_store->storeIndexed({indexedDocument(id, texts)}));
        loop.stop();
        QVERIFY(stored);
        QVERIFY2(loop, qPrintable(u"ticks %1"_s.arg(loop.ticks())));
        QCOMPARE(ftsMatches(*m_database, u"tokenize"_s).size(), 3000);
    }
};

QTEST_GUILESS_MAIN(TestDocumentStore)
#include "tst_documentstore.moc"
