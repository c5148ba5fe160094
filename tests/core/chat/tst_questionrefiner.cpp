// QuestionRefiner: the rewrite request, reading its reply, and falling back on every failure.

#include "core/chat/QuestionRefiner.h"
#include "core/llm/OpenAiChatProvider.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/FakeSourceQuoter.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;

namespace {
const QList<ChatMessage> kHistory{
    {u"user"_s, u"Which glaciers are in the Alps?"_s},
    {u"assistant"_s, u"The Aletsch glacier and the Mer de Glace [1]."_s},
};
} // namespace

class TestQuestionRefiner : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    QNetworkAccessManager m_network;
    ProviderHandle m_handle;

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        auto options = m_server->options();
        options.refineReply = u"Aletsch glacier length"_s;
        options.ttft = 1ms;
        m_server->setOptions(options);
        ProviderSettings settings;
        settings.baseUrl = m_server->baseUrl();
        settings.model = u"fake-model"_s;
        m_handle = ProviderHandle{std::make_shared<OpenAiChatProvider>(&m_network, settings), {}};
    }

    void cleanup()
    {
        m_handle = {};
        m_server.reset();
    }

    void requestQuotesTheConversationAndAsksForAQuery()
    {
        const ChatRequest request = QuestionRefiner::request(kHistory, u"  How long is\nthe first one? "_s);
        QCOMPARE(request.messages.size(), 2);
        QCOMPARE(request.messages.at(0).role, u"system"_s);
        QVERIFY(request.messages.at(0).content.contains(u"standalone search query"_s));
        QCOMPARE(request.messages.at(1).role, u"user"_s);
        const QString user = request.messages.at(1).content;
        QVERIFY2(user.contains(u"user: Which glaciers are in the Alps?\nassistant: The Aletsch glacier"_s), qPrintable(user));
        QVERIFY2(user.contains(u"Last question: How long is the first one?"_s), qPrintable(user));
        QCOMPARE(request.maxTokens, std::optional<int>(QuestionRefiner::kMaxTokens));
        QCOMPARE(request.temperature, std::optional<double>(0.0));
        // The fake server recognises exactly this request as a refinement.
        const QJsonObject body{{u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, request.messages.at(0).content}}}}};
        QVERIFY(ragdesk::testing::FakeSourceQuoter::isRefineRequest(body));
    }

    void requestKeepsOnlyTheNewestMessagesClipped()
    {
        QList<ChatMessage> history;
        for (int i = 0; i < 10; ++i)
            history.append({i % 2 ? u"assistant"_s : u"user"_s, u"message %1 "_s.arg(i) + QString(2000, u'x')});
        const QString user = QuestionRefiner::request(history, u"q"_s).messages.at(1).content;
        QVERIFY(!user.contains(u"message 3 "_s));
        QVERIFY(user.contains(u"message 4 "_s));
        QVERIFY(user.size() < QuestionRefiner::kMaxHistoryMessages * (QuestionRefiner::kMaxMessageChars + 20) + 200);
    }

    void queryFromReadsTheFirstLineWithoutDecoration_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("query");
        QTest::newRow("plain") << u"Aletsch glacier length"_s << u"Aletsch glacier length"_s;
        QTest::newRow("quoted") << u"\"Aletsch glacier length\""_s << u"Aletsch glacier length"_s;
        QTest::newRow("labelled") << u"Standalone search query: Aletsch length"_s << u"Aletsch length"_s;
        QTest::newRow("lines") << u"\n  Aletsch length\nThis query resolves 'the first one'."_s << u"Aletsch length"_s;
        QTest::newRow("thinking") << u"<think>the first one is Aletsch</think>\nAletsch length"_s << u"Aletsch length"_s;
        QTest::newRow("empty") << u"  \n "_s << QString();
        QTest::newRow("an essay") << QString(500, u'a') << QString();
    }
    void queryFromReadsTheFirstLineWithoutDecoration()
    {
        QFETCH(QString, reply);
        QFETCH(QString, query);
        QCOMPARE(QuestionRefiner::queryFrom(reply), query);
    }

    void refinesThroughTheProvider()
    {
        const Refinement result = QCoro::waitFor(QuestionRefiner::refine(m_handle, kHistory, u"How long is the first one?"_s, {}));
        QCOMPARE(result.query, u"Aletsch glacier length"_s);
        QVERIFY(result.refined);
        QVERIFY(result.note.isEmpty());
        QVERIFY(result.ms >= 0);
        QCOMPARE(m_server->lastRequestBody().value(u"max_tokens"_s).toInt(), QuestionRefiner::kMaxTokens);
    }

    void aFailureKeepsTheQuestion()
    {
        auto options = m_server->options();
        options.failure = FakeLlmServer::Failure::Http500;
        m_server->setOptions(options);
        const Refinement result = QCoro::waitFor(QuestionRefiner::refine(m_handle, kHistory, u"And the second?"_s, {}));
        QCOMPARE(result.query, u"And the second?"_s);
        QVERIFY(!result.refined);
        QVERIFY2(result.note.contains(u"model crashed"_s), qPrintable(result.note));
        QCOMPARE(m_server->requestCount(), 1); // no retry countdown for a refinement
    }

    void aSlowServerTimesOut()
    {
        auto options = m_server->options();
        options.failure = FakeLlmServer::Failure::SlowFirstByte;
        options.ttft = 10s;
        m_server->setOptions(options);
        const Refinement result =
            QCoro::waitFor(QuestionRefiner::refine(m_handle, kHistory, u"And the second?"_s, {}, 200ms));
        QCOMPARE(result.query, u"And the second?"_s);
        QVERIFY(!result.refined);
        QVERIFY2(result.note.contains(u"timed out"_s), qPrintable(result.note));
        QVERIFY(result.ms < 5000);
        QTRY_COMPARE(m_server->activeStreams(), 0);
    }

    void cancellingEndsItWithTheQuestion()
    {
        auto options = m_server->options();
        options.failure = FakeLlmServer::Failure::SlowFirstByte;
        options.ttft = 10s;
        m_server->setOptions(options);
        CancelToken cancel;
        QTimer::singleShot(100ms, [cancel]() mutable { cancel.cancel(); });
        const Refinement result = QCoro::waitFor(QuestionRefiner::refine(m_handle, kHistory, u"And the second?"_s, cancel));
        QCOMPARE(result.query, u"And the second?"_s);
        QVERIFY(!result.refined);
        QVERIFY(!result.note.contains(u"timed out"_s));
    }

    void anUnusableReplyKeepsTheQuestion()
    {
        auto options = m_server->options();
        options.refineReply = QString(600, u'a');
        m_server->setOptions(options);
        const Refinement result = QCoro::waitFor(QuestionRefiner::refine(m_handle, kHistory, u"And the second?"_s, {}));
        QCOMPARE(result.query, u"And the second?"_s);
        QVERIFY(!result.refined);
        QVERIFY(!result.note.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestQuestionRefiner)
#include "tst_questionrefiner.moc"
