#include "core/ingest/IngestQueue.h"
#include "tests/core/ingest/IngestHarness.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/EventLoopChecker.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {
int countWithStatus(const QList<DocumentRecord> &documents, DocumentStatus status)
{
    return int(std::count_if(documents.cbegin(), documents.cend(), [status](const DocumentRecord &d) { return d.status == status; }));
}

QList<qint64> chunkIds(IngestHarness &harness, qint64 documentId)
{
    QList<qint64> ids;
    for (const ChunkRecord &chunk : mustSucceed(harness.chunkStore->chunks(documentId)))
        ids.append(chunk.id);
    return ids;
}

void touch(const QString &path, const QDateTime &when)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(when, QFileDevice::FileModificationTime));
}
} // namespace

class TestIngestQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void indexesEveryFileAndReportsIt()
    {
        IngestHarness harness;
        for (int i = 0; i < 7; ++i)
            harness.writeFile(u"note%1.txt"_s.arg(i), "alpha bravo " + QByteArray::number(i));
        QCOMPARE(harness.enqueueAll(), 7);
        QSignalSpy finished(harness.queue.get(), &IngestQueue::fileFinished);
        QVERIFY(harness.runUntilIdle());

        const auto documents = harness.documents();
        QCOMPARE(countWithStatus(documents, DocumentStatus::Indexed), 7);
        QCOMPARE(finished.size(), 7);
        for (const auto &signal : std::as_const(finished))
            QCOMPARE(signal.at(0).value<IngestOutcome>().status, DocumentStatus::Indexed);
        const DocumentRecord third = harness.document(u"note3.txt"_s);
        QCOMPARE(third.chunkCount, 1);
        QVERIFY(!third.contentHash.isEmpty());
        const auto chunks = mustSucceed(harness.chunkStore->chunks(third.id));
        QCOMPARE(chunks.size(), 1);
        QCOMPARE(chunks.first().draft.text, u"alpha bravo 3"_s);
    }

    void aCrashingFileFailsAloneAndTheBatchGoesOn()
    {
        IngestHarness harness;
        harness.writeFile(u"a.txt"_s, "crash");
        harness.writeFile(u"b.txt"_s, "fine text");
        harness.writeFile(u"c.txt"_s, "segv");
        harness.writeFile(u"d.txt"_s, "more fine text");
        harness.enqueueAll();
        QVERIFY(harness.runUntilIdle());

        for (const QString &name : {u"a.txt"_s, u"c.txt"_s}) {
            const DocumentRecord failed = harness.document(name);
            QCOMPARE(failed.status, DocumentStatus::Failed);
            QVERIFY2(failed.error.contains(u"crash"_s), qPrintable(failed.error));
        }
        QCOMPARE(harness.document(u"b.txt"_s).status, DocumentStatus::Indexed);
        QCOMPARE(harness.document(u"d.txt"_s).status, DocumentStatus::Indexed);
    }

    void aHangingFileHitsTheTimeCap()
    {
        IngestHarness harness({}, 1);
        harness.writeFile(u"slow.txt"_s, "hang");
        harness.writeFile(u"quick.txt"_s, "quick");
        harness.enqueueAll();
        QVERIFY(harness.runUntilIdle());
        const DocumentRecord slow = harness.document(u"slow.txt"_s);
        QCOMPARE(slow.status, DocumentStatus::Failed);
        QVERIFY2(slow.error.contains(u"1 s"_s) || slow.error.contains(u"longer"_s), qPrintable(slow.error));
        QCOMPARE(harness.document(u"quick.txt"_s).status, DocumentStatus::Indexed);
    }

    void identicalContentIsStoredOnce()
    {
        IngestHarness harness;
        harness.writeFile(u"original.txt"_s, "the same words");
        QVERIFY(harness.enqueueAll() == 1 && harness.runUntilIdle());
        harness.writeFile(u"copy/of-original.txt"_s, "the same words");
        QCOMPARE(harness.enqueueAll(), 1);
        QVERIFY(harness.runUntilIdle());

        const DocumentRecord copy = harness.document(u"copy/of-original.txt"_s);
        QCOMPARE(copy.status, DocumentStatus::Skipped);
        QVERIFY2(copy.error.contains(u"original.txt"_s), qPrintable(copy.error));
        QCOMPARE(copy.chunkCount, 0);
    }

    void aTouchedButUnchangedFileKeepsItsChunks()
    {
        IngestHarness harness;
        const QString path = harness.writeFile(u"stable.txt"_s, "never changes");
        harness.enqueueAll();
        QVERIFY(harness.runUntilIdle());
        const DocumentRecord before = harness.document(u"stable.txt"_s);
        const QList<qint64> chunksBefore = chunkIds(harness, before.id);
        QVERIFY(!chunksBefore.isEmpty());

        touch(path, before.modifiedAt.addSecs(60));
        QCOMPARE(harness.enqueueAll(), 1); // mtime differs: queued for a look
        QVERIFY(harness.runUntilIdle());
        const DocumentRecord after = harness.document(u"stable.txt"_s);
        QCOMPARE(after.status, DocumentStatus::Indexed);
        QCOMPARE(after.modifiedAt, before.modifiedAt.addSecs(60));
        // Same content hash: the chunks were not rewritten (new rows would have new ids).
        QCOMPARE(chunkIds(harness, after.id), chunksBefore);
    }

    void changedContentReplacesTheChunks()
    {
        IngestHarness harness;
        const QString path = harness.writeFile(u"draft.txt"_s, "first version");
        harness.enqueueAll();
        QVERIFY(harness.runUntilIdle());
        harness.writeFile(u"draft.txt"_s, "second, longer version");
        touch(path, QDateTime::currentDateTimeUtc().addSecs(120));
        QCOMPARE(harness.enqueueAll(), 1);
        QVERIFY(harness.runUntilIdle());
        const DocumentRecord draft = harness.document(u"draft.txt"_s);
        const auto chunks = mustSucceed(harness.chunkStore->chunks(draft.id));
        QCOMPARE(chunks.size(), 1);
        QCOMPARE(chunks.first().draft.text, u"second, longer version"_s);
    }

    void cancellingAKnowledgeBaseStopsRunningFiles()
    {
        IngestHarness harness({}, 60);
        for (int i = 0; i < 4; ++i)
            harness.writeFile(u"stuck%1.txt"_s.arg(i), "hang");
        harness.enqueueAll();
        harness.queue->wake();
        QTRY_VERIFY(harness.queue->runningCount() > 0);
        QTRY_VERIFY(harness.pool->busyWorkers() > 0);

        mustSucceed(harness.queue->cancelKnowledgeBase(IngestHarness::knowledgeBase));
        // Well inside the 60 s cap: cancelling kills the helpers instead of waiting for them.
        QTRY_VERIFY_WITH_TIMEOUT(harness.queue->isIdle(), 5000);
        const auto documents = harness.documents();
        QCOMPARE(countWithStatus(documents, DocumentStatus::Skipped), 4);
        for (const DocumentRecord &document : documents)
            QCOMPARE(document.error, u"Cancelled"_s);
    }

    void stoppingLeavesWorkForTheNextStart()
    {
        IngestHarness harness({}, 60);
        const QString stuck = harness.writeFile(u"stuck.txt"_s, "hang");
        harness.writeFile(u"later.txt"_s, "later");
        harness.enqueueAll();
        harness.queue->wake();
        QTRY_VERIFY(harness.pool->busyWorkers() > 0);

        harness.queue->stop();
        harness.pool->shutdown();
        QTRY_VERIFY_WITH_TIMEOUT(harness.queue->isIdle(), 2000);
        QVERIFY(countWithStatus(harness.documents(), DocumentStatus::Indexed) < 2);

        // As if the user fixed the file meanwhile; the next start finishes the queue.
        harness.writeFile(u"stuck.txt"_s, "unstuck");
        harness.restart();
        const int resumed = mustSucceed(harness.queue->start());
        QVERIFY(resumed >= 1);
        QVERIFY(harness.runUntilIdle());
        QCOMPARE(countWithStatus(harness.documents(), DocumentStatus::Indexed), 2);
        QCOMPARE(harness.document(u"stuck.txt"_s).attempts, 2);
        Q_UNUSED(stuck)
    }

    void progressCountsFilesBytesAndChunks()
    {
        IngestHarness harness;
        qint64 bytes = 0;
        for (int i = 0; i < 5; ++i) {
            harness.writeFile(u"p%1.txt"_s.arg(i), QByteArray(100 + i, 'x'));
            bytes += 100 + i;
        }
        harness.enqueueAll();
        QSignalSpy progress(harness.queue.get(), &IngestQueue::progressChanged);
        QVERIFY(harness.runUntilIdle());
        QTRY_VERIFY(!progress.isEmpty() && progress.last().at(1).value<IngestProgress>().filesDone() == 5);
        // The knowledge base's own figures settle too: a refresh that was running when the queue
        // went idle (and read before the last write) is followed by one more.
        QTRY_COMPARE(harness.queue->progress(IngestHarness::knowledgeBase).counts.indexed, 5);
        const IngestProgress last = harness.queue->progress(IngestHarness::knowledgeBase);
        QCOMPARE(last.filesTotal(), 5);
        QCOMPARE(last.counts.bytesTotal, bytes);
        QCOMPARE(last.counts.bytesDone, bytes);
        QCOMPARE(last.counts.chunks, 5);
        QCOMPARE(last.etaSeconds, -1);
    }

    void theEventLoopTurnsWhileLargeFilesAreProcessed()
    {
        IngestHarness harness({}, 60);
        harness.writeFile(u"big1.txt"_s, "big 8");
        harness.writeFile(u"big2.txt"_s, "big 8");
        harness.enqueueAll();
        EventLoopChecker checker(std::chrono::milliseconds(5), 20);
        QVERIFY(harness.runUntilIdle(60000));
        checker.stop();
        QVERIFY2(checker, qPrintable(u"only %1 ticks"_s.arg(checker.ticks())));
        const auto documents = harness.documents();
        // Same content twice: one is indexed, the other skipped as its duplicate.
        QCOMPARE(countWithStatus(documents, DocumentStatus::Indexed), 1);
        QCOMPARE(countWithStatus(documents, DocumentStatus::Skipped), 1);
        int chunks = 0;
        for (const DocumentRecord &document : documents)
            chunks += document.chunkCount;
        QVERIFY2(chunks > 1000, qPrintable(QString::number(chunks)));
    }
};

QTEST_GUILESS_MAIN(TestIngestQueue)
#include "tst_ingestqueue.moc"
