#include "core/ingest/extraction/ExtractionProtocol.h"
#include "core/ingest/extraction/ExtractorPool.h"
#include "core/ingest/extraction/MemoryLimit.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/ShippedBinary.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
using Extraction = Result<ExtractedDocument>;

std::atomic<int> g_helperStarts = 0;
QtMessageHandler g_previousHandler = nullptr;

/// Counts helper start-ups through the line the fake writes to stderr, which the pool logs.
void countHelperStarts(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"fake extractor ready"_s))
        ++g_helperStarts;
    g_previousHandler(type, context, message);
}

ExtractionLimits testLimits()
{
    ExtractionLimits limits;
    limits.secondsPerFile = 30;
    return limits;
}

QString describe(const Extraction &result)
{
    return result ? u"ok"_s : u"error %1: %2"_s.arg(int(result.error().kind)).arg(result.error().message);
}

/// Awaits several running extractions in turn (each is already under way; the order is only ours).
QList<Extraction> awaitAll(std::vector<QCoro::Task<Extraction>> &tasks)
{
    return QCoro::waitFor([](std::vector<QCoro::Task<Extraction>> &all) -> QCoro::Task<QList<Extraction>> {
        QList<Extraction> results;
        for (auto &task : all)
            results.append(co_await task);
        co_return results;
    }(tasks));
}
} // namespace

class TestExtractorPool : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_helper;
    int m_fileCount = 0;

    /// A file whose content scripts the fake helper.
    QString script(const QByteArray &content)
    {
        const QString path = m_dir.filePath(u"file-%1.txt"_s.arg(++m_fileCount));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    Extraction run(ExtractorPool &pool, const QString &path, CancelToken cancel = {})
    {
        return QCoro::waitFor(pool.extract(path, std::move(cancel)));
    }

    /// The pool still works: a fresh helper reads a normal file.
    bool stillWorks(ExtractorPool &pool)
    {
        const Extraction next = run(pool, script("after"));
        if (!next || next->blocks.size() != 1 || next->blocks[0].text != u"after"_s) {
            qWarning().noquote() << "next file failed:" << describe(next);
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_helper = testing::shippedBinary(u"ragdesk-fake-extract"_s);
        QVERIFY2(QFileInfo(m_helper).isExecutable(), qPrintable(m_helper));
        // Under ASan the helper would turn SIGSEGV and abort() into a report and exit code 1;
        // the tests want to see the signals a release build reports. Children read this at start.
        qputenv("ASAN_OPTIONS", QByteArray(qgetenv("ASAN_OPTIONS") + ":handle_segv=0:handle_abort=0:abort_on_error=0"));
        g_previousHandler = qInstallMessageHandler(countHelperStarts);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
    }

    void readsAFileAndReusesTheHelper()
    {
        ExtractorPool pool(m_helper, 1, testLimits());
        const int startsBefore = g_helperStarts;
        for (const QString &text : {u"Grüße aus 東京 🚀"_s, u"second"_s, u"third"_s}) {
            const Extraction result = run(pool, script(text.toUtf8()));
            QVERIFY2(result, qPrintable(describe(result)));
            QCOMPARE(result->mimeType, u"text/plain"_s);
            QCOMPARE(result->blocks.size(), 1);
            QCOMPARE(result->blocks[0].text, text);
        }
        QCOMPARE(pool.busyWorkers(), 0);
        // Three files, one helper process, and its stderr made it into the log.
        QTRY_COMPARE(g_helperStarts - startsBefore, 1);
    }

    void filesRunInParallel()
    {
        ExtractorPool pool(m_helper, 2, testLimits());
        std::vector<QCoro::Task<Extraction>> tasks;
        for (int i = 0; i < 8; ++i)
            tasks.push_back(pool.extract(script("file " + QByteArray::number(i))));
        QCOMPARE(pool.busyWorkers(), 2);
        QCOMPARE(pool.queuedCount(), 6);
        const QList<Extraction> results = awaitAll(tasks);
        for (int i = 0; i < 8; ++i) {
            QVERIFY2(results[i], qPrintable(describe(results[i])));
            QCOMPARE(results[i]->blocks[0].text, u"file %1"_s.arg(i));
        }
        QCOMPARE(pool.busyWorkers(), 0);
        QCOMPARE(pool.queuedCount(), 0);
    }

    void misbehaviourFailsOneFileOnly_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<Error::Kind>("kind");
        QTest::addColumn<QString>("says");
        QTest::newRow("abort") << "crash"_ba << Error::Kind::Extraction << u"crashed while reading file-"_s;
        QTest::newRow("abort signal") << "crash"_ba << Error::Kind::Extraction << u"(signal 6, SIGABRT)"_s;
        QTest::newRow("segv") << "segv"_ba << Error::Kind::Extraction << u"(signal 11, SIGSEGV)"_s;
        QTest::newRow("exit") << "exit"_ba << Error::Kind::Extraction << u"stopped unexpectedly"_s;
        QTest::newRow("exit code") << "exit"_ba << Error::Kind::Extraction << u"(exit code 3)"_s;
        QTest::newRow("garbage") << "garbage"_ba << Error::Kind::Protocol << u"The extractor is restarted"_s;
        QTest::newRow("hang") << "hang"_ba << Error::Kind::Timeout << u"took longer than 1 s"_s;
    }

    void misbehaviourFailsOneFileOnly()
    {
        QFETCH(QByteArray, content);
        QFETCH(Error::Kind, kind);
        QFETCH(QString, says);
        ExtractionLimits limits = testLimits();
        limits.secondsPerFile = 1;
        ExtractorPool pool(m_helper, 1, limits);
        QVERIFY(stillWorks(pool)); // a helper is running before the bad file arrives
        const Extraction result = run(pool, script(content));
        QVERIFY(!result);
        QCOMPARE(result.error().kind, kind);
        QVERIFY2(result.error().message.contains(says), qPrintable(result.error().message));
        QVERIFY(!result.error().detail.isEmpty());
        QVERIFY(stillWorks(pool));
    }

    void extraReplyIsNeverTakenForTheNextFile()
    {
        ExtractorPool pool(m_helper, 1, testLimits());
        const Extraction twice = run(pool, script("twice"));
        // The extra frame comes first, with no request id; whether it arrives alone or together
        // with the real reply, the file fails and the helper that sent it is replaced, so it can
        // never be taken for the next file's answer.
        QVERIFY(!twice);
        QCOMPARE(twice.error().kind, Error::Kind::Protocol);
        for (int i = 0; i < 3; ++i)
            QVERIFY(stillWorks(pool));
    }

    void timeCapKillsWithinTheCap()
    {
        ExtractionLimits limits = testLimits();
        limits.secondsPerFile = 1;
        ExtractorPool pool(m_helper, 1, limits);
        QElapsedTimer clock;
        clock.start();
        const Extraction result = run(pool, script("hang"));
        const qint64 elapsed = clock.elapsed();
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Timeout);
        QVERIFY2(elapsed >= 950 && elapsed < 1800, qPrintable(u"%1 ms"_s.arg(elapsed)));
        QVERIFY(stillWorks(pool));
    }

    void memoryCapGivesAReadableError()
    {
        if (!MemoryLimit::isEnforceable())
            QSKIP("AddressSanitizer reserves terabytes of address space; no rlimit in this build");
        ExtractionLimits limits = testLimits();
        limits.maxMemoryBytes = qint64(512) << 20;
        ExtractorPool pool(m_helper, 1, limits);
        const Extraction result = run(pool, script("alloc"));
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Extraction);
        QVERIFY2(result.error().message.contains(u"memory cap of 512 MB"_s), qPrintable(result.error().message));
        QVERIFY(stillWorks(pool));
    }

    void cancelQueuedAndRunning()
    {
        ExtractorPool pool(m_helper, 1, testLimits());
        CancelToken runningToken, queuedToken;
        auto running = pool.extract(script("hang"), runningToken);
        auto queued = pool.extract(script("never read"), queuedToken);
        QCOMPARE(pool.busyWorkers(), 1);
        QCOMPARE(pool.queuedCount(), 1);

        queuedToken.cancel();
        const Extraction queuedResult = QCoro::waitFor(std::move(queued));
        QVERIFY(!queuedResult);
        QCOMPARE(queuedResult.error().kind, Error::Kind::Cancelled);
        QTRY_COMPARE(pool.queuedCount(), 0);
        QCOMPARE(pool.busyWorkers(), 1); // the hanging file is untouched

        QElapsedTimer clock;
        clock.start();
        runningToken.cancel();
        const Extraction runningResult = QCoro::waitFor(std::move(running));
        QVERIFY(!runningResult);
        QCOMPARE(runningResult.error().kind, Error::Kind::Cancelled);
        QVERIFY(clock.elapsed() < 1000); // long before the 30 s cap
        QTRY_COMPARE(pool.busyWorkers(), 0);
        QVERIFY(stillWorks(pool)); // the killed helper was replaced

        // A token cancelled before the call never reaches a helper.
        CancelToken early;
        early.cancel();
        const Extraction none = run(pool, script("x"), early);
        QVERIFY(!none);
        QCOMPARE(none.error().kind, Error::Kind::Cancelled);
    }

    void shutdownCancelsEverythingAtOnce()
    {
        ExtractorPool pool(m_helper, 2, testLimits());
        std::vector<QCoro::Task<Extraction>> tasks;
        for (const QByteArray &content : {"hang"_ba, "hang"_ba, "queued"_ba, "queued"_ba})
            tasks.push_back(pool.extract(script(content)));
        QCOMPARE(pool.busyWorkers(), 2);
        QElapsedTimer clock;
        clock.start();
        pool.shutdown();
        QCOMPARE(pool.busyWorkers(), 0);
        QCOMPARE(pool.queuedCount(), 0);
        for (const Extraction &result : awaitAll(tasks)) {
            QVERIFY(!result);
            QCOMPARE(result.error().kind, Error::Kind::Cancelled);
        }
        QVERIFY(clock.elapsed() < 1000);
        const Extraction later = run(pool, script("too late"));
        QVERIFY(!later);
        QCOMPARE(later.error().kind, Error::Kind::Cancelled);
    }

    void destroyingThePoolWithPendingWork()
    {
        auto pool = std::make_unique<ExtractorPool>(m_helper, 1, testLimits());
        CancelToken token;
        auto running = pool->extract(script("hang"), token);
        auto queued = pool->extract(script("queued"));
        pool.reset();
        const Extraction first = QCoro::waitFor(std::move(running));
        const Extraction second = QCoro::waitFor(std::move(queued));
        QVERIFY(!first && !second);
        QCOMPARE(first.error().kind, Error::Kind::Cancelled);
        QCOMPARE(second.error().kind, Error::Kind::Cancelled);
        token.cancel(); // the callback outlives the pool and must find it gone
    }

    void missingHelperIsAReadableError()
    {
        ExtractorPool pool(m_dir.filePath(u"no-such-extractor"_s), 1, testLimits());
        const Extraction result = run(pool, script("x"));
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Extraction);
        QVERIFY2(result.error().message.contains(u"Could not start the document extractor"_s),
                 qPrintable(result.error().message));
    }

    void bigReplyKeepsTheLoopTurning()
    {
        ExtractorPool pool(m_helper, 1, testLimits());
        const QString path = script("big 50");
        testing::EventLoopChecker checker;
        const Extraction result = run(pool, path);
        checker.stop();
        QVERIFY2(result, qPrintable(describe(result)));
        QCOMPARE(result->blocks.size(), 50);
        QCOMPARE(result->blocks[49].text.size(), 1 << 20);
        QCOMPARE(result->blocks[49].text.front(), QChar(u'a' + 49 % 26));
        // What decoding the same reply on this thread would cost, for scale.
        const QByteArray payload = ExtractionProtocol::encodeReply({*result}).sliced(ExtractionProtocol::HeaderBytes);
        QElapsedTimer decodeClock;
        decodeClock.start();
        const auto decodedHere = ExtractionProtocol::decodeReply(payload);
        const qint64 decodeMs = decodeClock.elapsed();
        QVERIFY(decodedHere && decodedHere->result);
        qInfo() << "50 MB reply:" << payload.size() / 1'000'000 << "MB on the wire; decoding it here takes" << decodeMs << "ms";
        qInfo() << "50 MB reply: ticks" << checker.ticks() << "longest loop gap" << checker.maxGapMs() << "ms";
        QVERIFY(checker.turned(10));
        // Decoding on this thread would block it for the whole decode at once.
        QVERIFY2(checker.maxGapMs() < decodeMs / 2,
                 qPrintable(u"loop blocked for %1 ms; a decode takes %2 ms"_s.arg(checker.maxGapMs()).arg(decodeMs)));
    }

    void realHelperReadsAPlainTextFile()
    {
        const QString helper = testing::shippedBinary(u"ragdesk-extract"_s);
        if (!QFileInfo(helper).isExecutable())
            QSKIP("ragdesk-extract is not built in this tree (its parsers are missing)");
        ExtractorPool pool(helper, 1, testLimits());
        const QString path = m_dir.filePath(u"notes.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(u"Grüße aus der echten Welt.\n"_s.toUtf8());
        file.close();
        const Extraction result = run(pool, path);
        QVERIFY2(result, qPrintable(describe(result)));
        QVERIFY(!result->blocks.isEmpty());
        QVERIFY2(result->blocks[0].text.contains(u"Grüße aus der echten Welt."_s), qPrintable(result->blocks[0].text));
        QVERIFY(stillWorks(pool)); // a second file through the same real helper
    }

    void defaultHelperPathLooksNextToTheProgram()
    {
        const QString path = ExtractorPool::defaultHelperPath();
        QVERIFY(path.endsWith(u"/ragdesk-extract"_s));
        QVERIFY(path.startsWith(QCoreApplication::applicationDirPath()));
    }
};

QTEST_GUILESS_MAIN(TestExtractorPool)
#include "tst_extractorpool.moc"
