// ChatSession end to end: real profile database, real provider, fake server on loopback.

#include "tests/core/chat/ChatSessionFixture.h"
#include "tests/support/EventLoopChecker.h"

#include <QCoroTask>
#include <QCoroTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using QuoteSources = ragdesk::testing::FakeLlmOptions::QuoteSources;

namespace {

RetrievalHit hit(qint64 chunkId, int page, const QString &text)
{
    RetrievalHit h;
    h.chunkId = chunkId;
    h.documentId = 100 + chunkId;
    h.documentTitle = u"Earth science"_s;
    h.documentPath = u"/docs/earth.pdf"_s;
    h.page = page;
    h.text = text;
    return h;
}

const QList<RetrievalHit> kHits{
    hit(1, 4, u"Basalt forms when lava cools quickly at the surface of a volcano."_s),
    hit(2, 9, u"Glaciers creep downhill a few metres each day, sliding on meltwater under the ice."_s),
};

QCoro::Task<Result<RetrievalResult>> foundHits(QList<RetrievalHit> hits)
{
    RetrievalResult result;
    result.hits = std::move(hits);
    co_return result;
}

/// A search that only ends when cancelled, as a slow index would.
QCoro::Task<Result<RetrievalResult>> searchUntilCancelled(CancelToken cancel)
{
    while (!cancel.isCancelled())
        co_await QCoro::sleepFor(5ms);
    co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
}

/// Records what the turns searched for and answers with @p hits.
struct FakeSearch {
    QList<RetrievalHit> hits;
    QStringList queries;
    RetrieveFunction function()
    {
        return [this](QString query, RetrievalOptions, CancelToken) {
            queries.append(query);
            return foundHits(hits);
        };
    }
};

} // namespace

class TestChatSession : public QObject, private ragdesk::testing::ChatSessionFixture
{
    Q_OBJECT

private:

    void setQuoting(QuoteSources mode, const QString &refineReply = {})
    {
        auto options = m_server->options();
        options.quoteSources = mode;
        options.refineReply = refineReply;
        m_server->setOptions(options);
    }

private Q_SLOTS:
    void init() { QVERIFY(setUp()); }
    void cleanup() { tearDown(); }

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
        // The new answer replaces the failed one on screen; the failed one stays as version 1.
        QCOMPARE(session->messages().size(), 2);
        QCOMPARE(session->messages().at(1).status, MessageStatus::Done);
        QCOMPARE(session->versionsOf(1).current, 2);
        QCOMPARE(session->versionsOf(1).count, 2);
        // The model is asked the question alone, never shown the failure.
        const QJsonArray sent = m_server->lastRequestBody().value(u"messages"_s).toArray();
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.at(0).toObject().value(u"content"_s).toString(), u"Will this fail?"_s);
        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 3);
        QCOMPARE(stored.at(1).status, MessageStatus::Error);
        QCOMPARE(stored.at(2).parentId, stored.at(0).id);
        QCOMPARE(storedActiveLeaf(session->conversationId()), stored.at(2).id);
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

    void answersFromTheSourcesAndCitesThem()
    {
        setQuoting(QuoteSources::WithMarker);
        FakeSearch search{kHits, {}};
        auto session = newSession(search.function());
        // The chips can show before the first token.
        bool sourcesBeforeText = false;
        connect(session.get(), &ChatSession::sourcesChanged, this, [&](int index) {
            const MessageRecord &message = session->messages().at(index);
            sourcesBeforeText = message.sources.size() == 2 && message.content.isEmpty();
        });
        const auto result = QCoro::waitFor(session->runTurn(u"How fast do glaciers creep downhill?"_s));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QVERIFY(sourcesBeforeText);
        QCOMPARE(search.queries, QStringList{u"How fast do glaciers creep downhill?"_s});

        const MessageRecord &answer = session->messages().at(1);
        QVERIFY2(answer.content.endsWith(u"[2]."_s), qPrintable(answer.content));
        QCOMPARE(answer.sources.size(), 2);
        QCOMPARE(answer.sources.at(1).chunkId, 2);
        QCOMPARE(answer.sources.at(1).page, 9);
        QCOMPARE(answer.sources.at(1).documentPath, u"/docs/earth.pdf"_s);
        QCOMPARE(answer.citations.size(), 1);
        QCOMPARE(answer.citations.at(0).sources, QList<int>{2});
        QVERIFY(!answer.citations.at(0).inferred);
        QCOMPARE(answer.retrieval.value(u"query"_s).toObject().value(u"searched"_s).toString(),
                 u"How fast do glaciers creep downhill?"_s);
        QVERIFY(answer.retrieval.value(u"prompt"_s).toObject().value(u"text"_s).toString().contains(u"Basalt forms"_s));

        // The model saw the numbered sources in the user message, the system rules first.
        const QJsonArray sent = m_server->lastRequestBody().value(u"messages"_s).toArray();
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
        QVERIFY(sent.at(1).toObject().value(u"content"_s).toString().contains(u"[2] title: Earth science | page: 9"_s));

        const TurnMetrics metrics = session->lastMetrics();
        QVERIFY(metrics.retrievalMs >= 0);
        QVERIFY(metrics.promptMs >= 0);
        QVERIFY(metrics.overheadMs >= metrics.retrievalMs);
        QVERIFY(metrics.ttftMs >= metrics.overheadMs);
        QCOMPARE(metrics.refineMs, -1.0); // no history, nothing to refine
        QVERIFY(answer.metrics.contains(u"overhead_ms"_s));
    }

    void unmarkedAnswersGetInferredCitations()
    {
        setQuoting(QuoteSources::WithoutMarker);
        FakeSearch search{kHits, {}};
        auto session = newSession(search.function());
        QVERIFY(QCoro::waitFor(session->runTurn(u"Where does basalt form?"_s)));
        const MessageRecord &answer = session->messages().at(1);
        QVERIFY(!answer.content.contains(u'['));
        QCOMPARE(answer.citations.size(), 1);
        QCOMPARE(answer.citations.at(0).sources, QList<int>{1});
        QVERIFY(answer.citations.at(0).inferred);
    }

    void nothingFoundRepliesWithoutTheModel()
    {
        FakeSearch search;
        auto session = newSession(search.function());
        Assistant assistant = Assistant::makeDefault();
        assistant.onEmpty = EmptyRetrieval::ReplyWithText;
        assistant.emptyResponse = u"Your documents say nothing about that."_s;
        session->setAssistant(assistant);
        QVERIFY(QCoro::waitFor(session->runTurn(u"Who won the match?"_s)));
        QCOMPARE(m_server->requestCount(), 0);
        const MessageRecord &answer = session->messages().at(1);
        QCOMPARE(answer.content, u"Your documents say nothing about that."_s);
        QCOMPARE(answer.status, MessageStatus::Done);
        QVERIFY(answer.sources.isEmpty());
        QCOMPARE(answer.retrieval.value(u"replied_without_model"_s).toBool(), true);
        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.at(1).content, u"Your documents say nothing about that."_s);
    }

    void aFollowUpIsRefinedBeforeTheSearch()
    {
        setQuoting(QuoteSources::WithMarker, u"glacier creep speed"_s);
        FakeSearch search{kHits, {}};
        auto session = newSession(search.function());
        QVERIFY(QCoro::waitFor(session->runTurn(u"Tell me about glaciers"_s)));
        const int before = m_server->requestCount();
        QVERIFY(QCoro::waitFor(session->runTurn(u"How fast are they?"_s)));
        QCOMPARE(m_server->requestCount(), before + 2); // the refinement, then the answer
        QCOMPARE(search.queries, (QStringList{u"Tell me about glaciers"_s, u"glacier creep speed"_s}));
        QVERIFY(session->lastMetrics().refineMs >= 0);
        const QJsonObject query = session->messages().at(3).retrieval.value(u"query"_s).toObject();
        QCOMPARE(query.value(u"question"_s).toString(), u"How fast are they?"_s);
        QCOMPARE(query.value(u"searched"_s).toString(), u"glacier creep speed"_s);
        // The answer's prompt asks the question as typed, with the history before it.
        const QJsonArray sent = m_server->lastRequestBody().value(u"messages"_s).toArray();
        QCOMPARE(sent.size(), 4);
        QVERIFY(sent.at(3).toObject().value(u"content"_s).toString().endsWith(u"Question: How fast are they?"_s));
    }

    void theAssistantChoosesProviderModelAndTemperature()
    {
        auto session = newSession();
        Assistant assistant;
        assistant.providerId = u"local"_s;
        assistant.model = u"small"_s;
        assistant.temperature = 0.25;
        assistant.systemPrompt = u"Be brief."_s;
        session->setAssistant(assistant);
        QVERIFY(QCoro::waitFor(session->runTurn(u"Hi"_s)));
        QCOMPARE(m_server->lastRequestBody().value(u"temperature"_s).toDouble(), 0.25);
        const QJsonArray sent = m_server->lastRequestBody().value(u"messages"_s).toArray();
        QCOMPARE(sent.at(0).toObject().value(u"content"_s).toString(), u"Be brief."_s);
        // The tab's pick wins, as a pair.
        session->setProvider(u"cloud"_s, {});
        QVERIFY(QCoro::waitFor(session->runTurn(u"Again"_s)));
        QCOMPARE(m_opened, (QStringList{u"local/small"_s, u"cloud/"_s}));
    }

    void aFailedSearchIsTheAnswersError()
    {
        auto session = newSession([](QString, RetrievalOptions, CancelToken) {
            return [](Error error) -> QCoro::Task<Result<RetrievalResult>> { co_return std::unexpected(error); }(
                Error(Error::Kind::Database, u"index.db is locked."_s));
        });
        QVERIFY(!QCoro::waitFor(session->runTurn(u"Anything?"_s)));
        QCOMPARE(m_server->requestCount(), 0);
        const MessageRecord &answer = session->messages().at(1);
        QCOMPARE(answer.status, MessageStatus::Error);
        QVERIFY2(answer.errorText.contains(u"index.db is locked."_s), qPrintable(answer.errorText));
    }

    void closingDuringTheSearchStopsTheTurn()
    {
        auto session = newSession([](QString, RetrievalOptions, CancelToken cancel) { return searchUntilCancelled(cancel); });
        session->send(u"Slow search"_s);
        QTRY_VERIFY(session->messages().size() == 2 && session->messages().at(1).id != 0);
        const qint64 conversation = session->conversationId();
        session.reset();
        QTRY_VERIFY([&] {
            const auto stored = storedMessages(conversation);
            return stored.size() == 2 && stored.at(1).status == MessageStatus::Stopped;
        }());
        QCOMPARE(m_server->requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chatsession.moc"
