// ragdesk-cli bench-chat as a user runs it: a child process against the fake server, with
// global options before and after the command, checked through its JSON last line.

#include "tests/integration/CliRun.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using ragdesk::testing::CliRun;
using ragdesk::testing::FakeLlmServer;

class TestBenchChat : public QObject
{
    Q_OBJECT

private:
    static QString cli() { return ragdesk::testing::shippedBinary(u"ragdesk-cli"_s); }

    /// Runs the CLI while this process's event loop keeps serving the fake server.
    static CliRun run(const QStringList &arguments) { return CliRun::run(cli(), arguments); }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(cli()), qPrintable(cli())); }

    void reportsEveryConcurrentSession_data()
    {
        QTest::addColumn<bool>("globalsFirst");
        QTest::newRow("global options before the command") << true;
        QTest::newRow("global options after the command") << false;
    }

    void reportsEveryConcurrentSession()
    {
        QFETCH(bool, globalsFirst);
        FakeLlmServer::Options options;
        options.ttft = 50ms;
        options.tokens = 30;
        options.tokensPerSecond = 300;
        options.usageChunk = true;
        FakeLlmServer server(options);
        ragdesk::testing::TempProfile profile;
        const QStringList globals{u"--profile"_s, profile.path(), u"--base-url"_s, server.baseUrl().toString(),
                                  u"--model"_s, u"fake-model"_s};
        const QStringList command{u"bench-chat"_s, u"--sessions"_s, u"8"_s, u"--json"_s};
        const CliRun result = run(globalsFirst ? globals + command : command + globals);
        QVERIFY2(result.code == 0, result.output.constData());
        const QJsonObject json = result.lastLineJson();
        QCOMPARE(json.value(u"sessions"_s).toInt(), 8);
        QCOMPARE(json.value(u"completed"_s).toInt(), 8);
        QCOMPARE(json.value(u"failed"_s).toInt(), 0);
        // TTFT is measured from send, so it cannot beat the server's own delay.
        QVERIFY(json.value(u"ttft_ms"_s).toObject().value(u"p50"_s).toDouble() >= 50.0);
        QVERIFY(json.value(u"stall_ms"_s).toObject().contains(u"max"_s));
        QVERIFY(json.value(u"tokens_per_s"_s).toDouble() > 0);
        QCOMPARE(server.finishedStreams(), 8);
        QVERIFY(QFile::exists(profile.filePath(u"profile.db"_s)));
    }

    void ragTurnsSearchTheSyntheticCorpus()
    {
        // Short answers sent at once: the test is about the searches, not the streaming.
        FakeLlmServer::Options quick;
        quick.tokensPerSecond = 0;
        quick.tokens = 10;
        QTemporaryDir corpus;
        FakeLlmServer server(quick);
        const CliRun result = run({u"bench-chat"_s, u"--base-url"_s, server.baseUrl().toString(), u"--model"_s, u"m"_s,
                                u"--sessions"_s, u"2"_s, u"--rag-chunks"_s, u"2000"_s, u"--corpus-dir"_s, corpus.path(),
                                u"--json"_s});
        QVERIFY2(result.code == 0, result.printed().constData());
        const QJsonObject json = result.lastLineJson();
        QCOMPARE(json.value(u"completed"_s).toInt(), 2);
        QCOMPARE(json.value(u"rag_chunks"_s).toInt(), 2000);
        QCOMPARE(json.value(u"searches_without_vectors"_s).toInt(), 0);
        QVERIFY(json.value(u"hits_per_search"_s).toDouble() > 0);
        // The pipeline's own time before the request includes the search, which took some.
        const double retrievalP50 = json.value(u"retrieval_ms"_s).toObject().value(u"p50"_s).toDouble();
        QVERIFY(retrievalP50 > 0);
        QVERIFY(json.value(u"overhead_ms"_s).toObject().value(u"p50"_s).toDouble() >= retrievalP50);
        QVERIFY(json.value(u"retrieval_stage_p95_ms"_s).toObject().value(u"vector"_s).toDouble() > 0);
        QVERIFY(json.value(u"cpu_to_first_tokens_ms"_s).toDouble() >= 0);
        // The corpus is kept for the next run, marked complete.
        QVERIFY(QFile::exists(QDir(corpus.path()).filePath(u"chunks-2000/bench-complete"_s)));
    }

    void ragChunksMustBeANumber()
    {
        const CliRun result = run({u"bench-chat"_s, u"--base-url"_s, u"http://127.0.0.1:9/v1"_s, u"--model"_s, u"m"_s,
                                   u"--rag-chunks"_s, u"many"_s});
        QCOMPARE(result.code, 2);
        QVERIFY2(result.errors.contains("--rag-chunks"), result.errors.constData());
    }

    void failuresAreCountedNotHidden()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::ErrorInStream;
        FakeLlmServer server(options);
        const CliRun result = run({u"bench-chat"_s, u"--base-url"_s, server.baseUrl().toString(), u"--model"_s, u"m"_s,
                                u"--sessions"_s, u"3"_s, u"--json"_s});
        QCOMPARE(result.code, 1);
        const QJsonObject json = result.lastLineJson();
        QCOMPARE(json.value(u"failed"_s).toInt(), 3);
        QCOMPARE(json.value(u"completed"_s).toInt(), 0);
        QVERIFY(result.output.contains("fake stream error"));
    }

    void unreachableServerIsOneClearError()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http401;
        FakeLlmServer server(options);
        const CliRun result =
            run({u"bench-chat"_s, u"--base-url"_s, server.baseUrl().toString(), u"--model"_s, u"m"_s});
        QCOMPARE(result.code, 1);
        QVERIFY2(result.errors.contains("Invalid API key") && result.errors.contains("API key in Settings"),
                 result.errors.constData());
    }

    void rejectsAnUnknownCommand()
    {
        const CliRun result = run({u"frobnicate"_s});
        QCOMPARE(result.code, 2);
        QVERIFY(result.errors.contains("unknown command"));
    }

    void printsItsVersion()
    {
        const CliRun result = run({u"--version"_s});
        QCOMPARE(result.code, 0);
        QVERIFY(result.output.contains(RAGDESK_VERSION));
    }
};

QTEST_GUILESS_MAIN(TestBenchChat)
#include "tst_benchchat.moc"
