// ChatSession end to end: real profile database, real provider, fake server on loopback.

#include "core/chat/ChatSession.h"
#include "core/llm/OpenAiChatProvider.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;

class TestChatSession : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ragdesk::testing::TempProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::shared_ptr<ConversationStore> m_store;
    std::unique_ptr<MessageCheckpointer> m_checkpointer;
    std::unique_ptr<FakeLlmServer> m_server;
    QNetworkAccessManager m_network;
    std::shared_ptr<ChatProvider> m_provider;

    std::unique_ptr<ChatSession> newSession()
    {
        return std::make_unique<ChatSession>(ChatServices{m_store, m_checkpointer.get(), [this](QString id, QString model) {
            return ChatServices::fixed({m_provider, {}})(std::move(id), std::move(model));
        }, RetryPolicy()});
    }

    QList<MessageRecord> storedMessages(qint64 conversationId)
    {
        auto messages = QCoro::waitFor(m_store->messages(conversationId));
        return messages ? *messages : QList<MessageRecord>{};
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<ragdesk::testing::TempProfile>();
        auto database = QCoro::waitFor(ProfileDatabase::open(m_profile->path()));
        QVERIFY(database);
        m_database = *database;
        m_store = std::make_shared<ConversationStore>(m_database);
        m_checkpointer = std::make_unique<MessageCheckpointer>(m_store.get(), 100ms);
        m_server = std::make_unique<FakeLlmServer>();
        ProviderSettings settings;
        settings.baseUrl = m_server->baseUrl();
        settings.model = u"fake-model"_s;
        settings.idleTimeout = 2s;
        m_provider = std::make_shared<OpenAiChatProvider>(&m_network, settings);
    }

    void cleanup()
    {
        m_provider.reset();
        m_server.reset();
        m_checkpointer.reset();
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void answersAndPersistsTheTurn()
    {
        auto session = newSession();
        QSignalSpy created(session.get(), &ChatSession::conversationCreated);
        QSignalSpy streaming(session.get(), &ChatSession::streamingChanged);
        ragdesk::testing::EventLoopChecker loop;
        const auto result = QCoro::waitFor(session->runTurn(u"What is ragdesk?"_s));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QVERIFY(loop);
        QCOMPARE(created.size(), 1);
        QCOMPARE(streaming.size(), 2);
        QCOMPARE(session->messages().size(), 2);
        QCOMPARE(session->messages().at(1).content, m_server->options().replyText());
        QCOMPARE(session->title(), u"What is ragdesk?"_s);
        QVERIFY(session->lastMetrics().ttftMs > 0);

        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.at(0).role, u"user"_s);
        QCOMPARE(stored.at(0).content, u"What is ragdesk?"_s);
        QCOMPARE(stored.at(1).status, MessageStatus::Done);
        QCOMPARE(stored.at(1).content, m_server->options().replyText());
        QVERIFY(stored.at(1).metrics.contains(u"ttft_ms"_s));
    }

    void historyGoesToTheModel()
    {
        auto session = newSession();
        QVERIFY(QCoro::waitFor(session->runTurn(u"First question"_s)));
        QVERIFY(QCoro::waitFor(session->runTurn(u"Second question"_s)));
        const QJsonArray sent = m_server->lastRequestBody().value(u"messages"_s).toArray();
        QCOMPARE(sent.size(), 3);
        QCOMPARE(sent.at(0).toObject().value(u"content"_s).toString(), u"First question"_s);
        QCOMPARE(sent.at(2).toObject().value(u"content"_s).toString(), u"Second question"_s);
    }

    void checkpointsWhileStreaming()
    {
        auto options = m_server->options();
        options.tokens = 60;
        options.tokensPerSecond = 40;
        m_server->setOptions(options);
        auto session = newSession();
        session->send(u"Tell me a long story"_s);
        QTRY_VERIFY(session->conversationId() != 0);
        // Mid-stream, the database already holds a prefix of the answer, still marked streaming.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto stored = storedMessages(session->conversationId());
                return stored.size() == 2 && stored.at(1).status == MessageStatus::Streaming
                    && stored.at(1).content.size() > 10;
            }(),
            5000);
        QVERIFY(session->isStreaming());
        session->stop();
        QTRY_VERIFY(!session->isStreaming());
        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.at(1).status, MessageStatus::Stopped);
        QCOMPARE(stored.at(1).content, session->messages().at(1).content);
        QTRY_COMPARE(m_server->abortedStreams(), 1);
    }

    void errorsAreKeptAndRetryWorks()
    {
        auto options = m_server->options();
        options.failure = FakeLlmServer::Failure::Http500;
        m_server->setOptions(options);
        auto session = newSession();
        const auto failed = QCoro::waitFor(session->runTurn(u"Will this fail?"_s));
        QVERIFY(!failed);
        QCOMPARE(session->messages().at(1).status, MessageStatus::Error);
        QVERIFY(session->messages().at(1).errorText.contains(u"model crashed"_s));

        options.failure = FakeLlmServer::Failure::None;
        m_server->setOptions(options);
        QSignalSpy finished(session.get(), &ChatSession::messageFinished);
        session->retry();
        QVERIFY(finished.wait(5000));
        QCOMPARE(session->messages().size(), 3);
        QCOMPARE(session->messages().at(2).status, MessageStatus::Done);
        // The failed answer is history, but the model is not shown it.
        const QJsonArray sent = m_server->lastRequestBody().value(u"messages"_s).toArray();
        QCOMPARE(sent.size(), 1);
        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 3);
        QCOMPARE(stored.at(1).status, MessageStatus::Error);
    }

    void closingMidStreamSavesWhatArrived()
    {
        auto options = m_server->options();
        options.tokens = 200;
        options.tokensPerSecond = 50;
        m_server->setOptions(options);
        auto session = newSession();
        session->send(u"Long answer please"_s);
        QTRY_VERIFY(session->messages().size() == 2 && session->messages().at(1).content.size() > 5);
        QTRY_VERIFY(session->messages().at(1).id != 0);
        const qint64 conversation = session->conversationId();
        session.reset();
        QTRY_COMPARE(m_server->abortedStreams(), 1);
        QTRY_VERIFY([&] {
            const auto stored = storedMessages(conversation);
            return stored.size() == 2 && stored.at(1).status == MessageStatus::Stopped && !stored.at(1).content.isEmpty();
        }());
    }

    void reopensAConversation()
    {
        auto session = newSession();
        QVERIFY(QCoro::waitFor(session->runTurn(u"Remember me"_s)));
        const qint64 id = session->conversationId();
        auto reopened = newSession();
        QVERIFY(QCoro::waitFor(reopened->open(id, u"Remember me"_s)));
        QCOMPARE(reopened->messages().size(), 2);
        QCOMPARE(reopened->messages().at(1).content, session->messages().at(1).content);
        QCOMPARE(reopened->title(), u"Remember me"_s);
    }
};

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chatsession.moc"
