// kill -9 in the middle of streaming: the profile keeps what arrived up to the last checkpoint,
// and the next start marks those answers as interrupted.

#include "core/storage/ConversationStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;

class TestCrashRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedMidStreamLosesOnlyTheLastCheckpoint()
    {
        constexpr int kTokensPerSecond = 40;
        FakeLlmServer::Options options;
        options.ttft = 50ms;
        options.tokensPerSecond = kTokensPerSecond;
        options.tokens = 600; // 15 s: far longer than the test lets it run
        FakeLlmServer server(options);
        QElapsedTimer sinceFirstStream;
        connect(&server, &FakeLlmServer::streamStarted, this, [&] {
            if (!sinceFirstStream.isValid())
                sinceFirstStream.start();
        });

        ragdesk::testing::TempProfile profile;
        QProcess cli;
        cli.start(ragdesk::testing::shippedBinary(u"ragdesk-cli"_s),
                  {u"--profile"_s, profile.path(), u"bench-chat"_s, u"--base-url"_s, server.baseUrl().toString(),
                   u"--model"_s, u"fake-model"_s, u"--sessions"_s, u"2"_s});
        QVERIFY(cli.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(sinceFirstStream.isValid() && sinceFirstStream.elapsed() >= 2000, 20000);
        const qint64 streamedMs = sinceFirstStream.elapsed() - options.ttft.count();
        cli.kill(); // SIGKILL: no destructor, no final save
        QVERIFY(cli.waitForFinished(10000));
        QCOMPARE(cli.exitStatus(), QProcess::CrashExit);

        auto database = QCoro::waitFor(ProfileDatabase::open(profile.path()));
        QVERIFY(database);
        ConversationStore store(*database);
        const auto conversations = QCoro::waitFor(store.listConversations());
        QVERIFY(conversations);
        QCOMPARE(conversations->size(), 2);

        const QString reply = options.replyText();
        const QStringList tokens = options.tokenTexts();
        const double sentTokens = double(streamedMs) * kTokensPerSecond / 1000.0;
        for (const Conversation &conversation : *conversations) {
            const auto messages = QCoro::waitFor(store.messages(conversation.id));
            QVERIFY(messages);
            QCOMPARE(messages->size(), 2);
            const MessageRecord &answer = messages->at(1);
            QCOMPARE(answer.status, MessageStatus::Streaming);
            QVERIFY(reply.startsWith(answer.content));
            qsizetype length = 0;
            int storedTokens = 0;
            while (storedTokens < tokens.size() && length + tokens.at(storedTokens).size() <= answer.content.size())
                length += tokens.at(storedTokens++).size();
            const double lostMs = (sentTokens - storedTokens) * 1000.0 / kTokensPerSecond;
            qInfo("answer %lld: %d tokens stored of ~%.0f sent, ~%.0f ms of text lost", conversation.id, storedTokens,
                  sentTokens, lostMs);
            QVERIFY2(storedTokens > 0, "nothing was checkpointed");
            // Checkpoints run every 250 ms; the bound leaves room for a loaded machine.
            QVERIFY2(lostMs <= 1000.0, qPrintable(u"lost %1 ms"_s.arg(lostMs)));
        }

        const auto interrupted = QCoro::waitFor(store.markInterrupted());
        QVERIFY(interrupted);
        QCOMPARE(*interrupted, 2);
        const auto after = QCoro::waitFor(store.messages(conversations->first().id));
        QVERIFY(after);
        QCOMPARE(after->at(1).status, MessageStatus::Interrupted);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
