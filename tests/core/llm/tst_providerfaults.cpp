// The fault matrix of issue 6: each API family (OpenAI-compatible, Ollama native, Anthropic
// Messages) end to end against the fake server, through ResilientStream as a chat turn runs it,
// under every fault a user meets: 401, 404, 429 with Retry-After (seconds and HTTP date), 500,
// 503, a cut mid-stream, an endless keep-alive drip, a slow first byte, context length, TLS with a
// self-signed certificate (refused, then accepted once trusted), and a redirect to another origin.

#include "core/llm/ChatProviderFactory.h"
#include "core/llm/ResilientStream.h"
#include "tests/support/FakeLlmServer.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSslCertificate>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using Failure = FakeLlmServer::Failure;

Q_DECLARE_METATYPE(ragdesk::ProviderKind)

namespace {

struct Outcome {
    QString content;
    QString reasoning;
    QString finishReason;
    std::optional<TokenUsage> usage;
    std::optional<Error> error;
    QList<StreamWait> waits;
};

QCoro::Task<Outcome> ask(ProviderHandle handle, RetryPolicy policy)
{
    Outcome outcome;
    ResilientStream request(std::move(handle), std::move(policy));
    QObject::connect(&request, &ResilientStream::waiting, [&outcome](const StreamWait &wait) { outcome.waits.append(wait); });
    ChatRequest chat;
    chat.messages = {{u"system"_s, u"Be brief."_s}, {u"user"_s, u"Hello"_s}};
    auto stream = request.run(std::move(chat), CancelToken());
    auto it = co_await stream.begin();
    while (it != stream.end()) {
        const StreamChunk &chunk = *it;
        outcome.content += chunk.content;
        outcome.reasoning += chunk.reasoning;
        if (!chunk.finishReason.isEmpty())
            outcome.finishReason = chunk.finishReason;
        if (chunk.usage)
            outcome.usage = chunk.usage;
        if (chunk.error)
            outcome.error = chunk.error;
        co_await ++it;
    }
    co_return outcome;
}

/// Retries that wait no longer than a test should, unless the server's Retry-After says so.
RetryPolicy quickRetries()
{
    RetryPolicy::Settings settings;
    settings.initialDelay = 50ms;
    settings.maxDelay = 200ms;
    return RetryPolicy(settings);
}

} // namespace

class TestProviderFaults : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    ProviderSettings settingsFor(ProviderKind kind, const QUrl &baseUrl) const
    {
        ProviderSettings settings;
        settings.id = u"test"_s;
        settings.kind = kind;
        settings.baseUrl = baseUrl;
        settings.model = u"fake-model"_s;
        return settings;
    }

    Outcome run(ProviderSettings settings, RetryPolicy policy = quickRetries())
    {
        return QCoro::waitFor(ask({makeChatProvider(&m_network, std::move(settings)), {}}, std::move(policy)));
    }

    static void addKinds()
    {
        QTest::addColumn<ProviderKind>("kind");
        QTest::newRow("openai") << ProviderKind::OpenAiCompatible;
        QTest::newRow("ollama") << ProviderKind::Ollama;
        QTest::newRow("anthropic") << ProviderKind::Anthropic;
    }

    /// One fault, one family: the outcome after the retries the policy allows.
    Outcome runWith(ProviderKind kind, Failure failure, int failureCount = -1,
                    std::function<void(ProviderSettings &)> adjust = {}, std::function<void(FakeLlmServer::Options &)> tune = {})
    {
        FakeLlmServer::Options options;
        options.failure = failure;
        options.failureCount = failureCount;
        if (tune)
            tune(options);
        FakeLlmServer server(options);
        ProviderSettings settings = settingsFor(kind, server.baseUrl());
        if (adjust)
            adjust(settings);
        Outcome outcome = run(settings);
        m_lastRequests = server.requestCount();
        return outcome;
    }
    int m_lastRequests = 0;

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<ProviderKind>(); }

    void streamsTheAnswerWithUsageAndFinishReason_data() { addKinds(); }
    void streamsTheAnswerWithUsageAndFinishReason()
    {
        QFETCH(ProviderKind, kind);
        FakeLlmServer::Options options;
        options.reasoning = true;
        FakeLlmServer server(options);
        const Outcome outcome = run(settingsFor(kind, server.baseUrl()));
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->message : QString()));
        QCOMPARE(outcome.content, options.replyText());
        QCOMPARE(outcome.reasoning, options.reasoningTexts().join(QString()));
        QCOMPARE(outcome.finishReason, u"stop"_s);
        if (kind != ProviderKind::OpenAiCompatible) { // OpenAI reports usage only when asked and able
            QVERIFY(outcome.usage);
            // Both count the thinking tokens as output.
            QCOMPARE(outcome.usage->completionTokens, options.tokenTexts().size() + options.reasoningTexts().size());
        }
    }

    void sendsTheKeyTheWayEachApiWantsIt_data() { addKinds(); }
    void sendsTheKeyTheWayEachApiWantsIt()
    {
        QFETCH(ProviderKind, kind);
        FakeLlmServer::Options options;
        options.requiredApiKey = u"sk-test-123"_s;
        FakeLlmServer server(options);
        ProviderSettings settings = settingsFor(kind, server.baseUrl());
        settings.apiKey = u"sk-test-123"_s;
        settings.extraHeaders = {{"X-Title", "ragdesk"}};
        const Outcome outcome = run(settings);
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->message : QString()));
        const auto request = server.requests().constLast();
        QCOMPARE(request.header("x-title"), QByteArray("ragdesk"));
        if (kind == ProviderKind::Anthropic) {
            QCOMPARE(request.header("x-api-key"), QByteArray("sk-test-123"));
            QVERIFY(request.header("authorization").isEmpty());
            QVERIFY(!request.header("anthropic-version").isEmpty());
        } else {
            QCOMPARE(request.header("authorization"), QByteArray("Bearer sk-test-123"));
        }
    }

    void unauthorizedSaysCheckTheKey_data() { addKinds(); }
    void unauthorizedSaysCheckTheKey()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::Http401);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->httpStatus, 401);
        QVERIFY2(outcome.error->message.contains(u"Check the API key"_s), qPrintable(outcome.error->message));
        QCOMPARE(m_lastRequests, 1); // never retried
    }

    void unknownModelListsTheAvailableOnes_data() { addKinds(); }
    void unknownModelListsTheAvailableOnes()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::Http404, -1, {},
                                        [](FakeLlmServer::Options &o) { o.extraModels = {u"other-model"_s}; });
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->httpStatus, 404);
        QVERIFY2(outcome.error->message.contains(u"Models this server offers: fake-model, other-model"_s),
                 qPrintable(outcome.error->message));
    }

    void rateLimitWaitsForRetryAfterThenSucceeds_data()
    {
        QTest::addColumn<ProviderKind>("kind");
        QTest::addColumn<bool>("httpDate");
        QTest::newRow("openai seconds") << ProviderKind::OpenAiCompatible << false;
        QTest::newRow("ollama seconds") << ProviderKind::Ollama << false;
        QTest::newRow("anthropic http-date") << ProviderKind::Anthropic << true;
        QTest::newRow("openai http-date") << ProviderKind::OpenAiCompatible << true;
    }
    void rateLimitWaitsForRetryAfterThenSucceeds()
    {
        QFETCH(ProviderKind, kind);
        QFETCH(bool, httpDate);
        QElapsedTimer clock;
        clock.start();
        const Outcome outcome = runWith(kind, Failure::Http429, 1, {}, [&](FakeLlmServer::Options &o) {
            o.retryAfterSeconds = 1;
            o.retryAfterHttpDate = httpDate;
        });
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->message : QString()));
        QVERIFY(!outcome.content.isEmpty());
        QCOMPARE(m_lastRequests, 2);
        QVERIFY(!outcome.waits.isEmpty());
        QCOMPARE(outcome.waits.constFirst().reason, StreamWait::Reason::RetryBackoff);
        QVERIFY2(outcome.waits.constFirst().why.contains(u"429"_s), qPrintable(outcome.waits.constFirst().why));
        // The quick policy would have waited 50 ms; the server asked for about a second (an
        // HTTP date has whole-second precision, so it may be a little less).
        QVERIFY2(clock.elapsed() >= 150, qPrintable(QString::number(clock.elapsed())));
    }

    void rateLimitThatPersistsReportsTheWait()
    {
        const Outcome outcome = runWith(ProviderKind::OpenAiCompatible, Failure::Http429, -1, {},
                                        [](FakeLlmServer::Options &o) { o.retryAfterSeconds = 0; });
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->httpStatus, 429);
        QVERIFY2(outcome.error->message.contains(u"rate limiting"_s), qPrintable(outcome.error->message));
        QCOMPARE(m_lastRequests, RetryPolicy::Settings().maxAttempts);
    }

    void serverErrorIsNotRetried_data() { addKinds(); }
    void serverErrorIsNotRetried()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::Http500);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->httpStatus, 500);
        QVERIFY(outcome.error->message.contains(u"model crashed"_s) || outcome.error->message.contains(u"failed"_s));
        QCOMPARE(m_lastRequests, 1);
        QVERIFY(outcome.waits.isEmpty());
    }

    void unavailableIsRetriedUntilItAnswers_data() { addKinds(); }
    void unavailableIsRetriedUntilItAnswers()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::Http503, 2, {}, [](FakeLlmServer::Options &o) { o.retryAfterSeconds = 0; });
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->message : QString()));
        QCOMPARE(m_lastRequests, 3);
    }

    void cutMidStreamKeepsThePartialAnswerAndIsNotRetried_data() { addKinds(); }
    void cutMidStreamKeepsThePartialAnswerAndIsNotRetried()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::CutMidStream);
        QVERIFY(outcome.error);
        QVERIFY(!outcome.content.isEmpty());
        QVERIFY2(outcome.error->message.contains(u"partial answer is kept"_s), qPrintable(outcome.error->message));
        QCOMPARE(m_lastRequests, 1);
    }

    void endlessKeepAliveDripMeetsTheTotalLimit_data() { addKinds(); }
    void endlessKeepAliveDripMeetsTheTotalLimit()
    {
        QFETCH(ProviderKind, kind);
        QElapsedTimer clock;
        clock.start();
        const Outcome outcome = runWith(kind, Failure::KeepAliveDrip, -1, [](ProviderSettings &s) {
            s.idleTimeout = 500ms; // each drip (every 100 ms) keeps this one from firing
            s.totalTimeout = 1500ms;
        });
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, Error::Kind::Timeout);
        QVERIFY2(outcome.error->message.contains(u"overall limit"_s), qPrintable(outcome.error->message));
        QVERIFY(clock.elapsed() >= 1400);
        QCOMPARE(m_lastRequests, 1); // a timeout is not retried
    }

    void slowFirstByteTimesOut_data() { addKinds(); }
    void slowFirstByteTimesOut()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::SlowFirstByte, -1,
                                        [](ProviderSettings &s) { s.firstByteTimeout = 300ms; },
                                        [](FakeLlmServer::Options &o) { o.ttft = 3s; });
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, Error::Kind::Timeout);
        QVERIFY2(outcome.error->message.contains(u"sent nothing for 0.3 s"_s), qPrintable(outcome.error->message));
    }

    void slowFirstByteWithinTheLimitStreams()
    {
        const Outcome outcome = runWith(ProviderKind::Anthropic, Failure::SlowFirstByte, -1,
                                        [](ProviderSettings &s) { s.firstByteTimeout = 3s; },
                                        [](FakeLlmServer::Options &o) { o.ttft = 300ms; });
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->message : QString()));
    }

    void contextLengthSuggestsFewerSources_data() { addKinds(); }
    void contextLengthSuggestsFewerSources()
    {
        QFETCH(ProviderKind, kind);
        const Outcome outcome = runWith(kind, Failure::ContextLength);
        QVERIFY(outcome.error);
        QVERIFY2(outcome.error->message.contains(u"fewer sources"_s), qPrintable(outcome.error->message));
        QCOMPARE(m_lastRequests, 1);
    }

    void selfSignedCertificateFailsUntilTrusted_data() { addKinds(); }
    void selfSignedCertificateFailsUntilTrusted()
    {
        QFETCH(ProviderKind, kind);
        FakeLlmServer server(FakeLlmServer::Options{});
        QVERIFY(server.listenTls());
        QCOMPARE(server.baseUrl().scheme(), u"https"_s);
        ProviderSettings settings = settingsFor(kind, server.baseUrl());
        settings.apiKey = u"sk-never-sent-on-failed-tls"_s;

        const Outcome refused = run(settings);
        QVERIFY(refused.error);
        QCOMPARE(refused.error->kind, Error::Kind::Tls);
        QVERIFY2(refused.error->message.contains(u"SHA-256"_s), qPrintable(refused.error->message));
        QVERIFY(refused.error->message.contains(u"never ignores certificate errors"_s));
        QVERIFY(refused.waits.isEmpty()); // not retried
        QCOMPARE(server.requestCount(), 0);

        settings.trustedCertificatesPem = FakeLlmServer::testCertificate().toPem();
        // Qt keeps the failed connection's TLS state; the app clears the cache when settings change.
        m_network.clearConnectionCache();
        const Outcome trusted = run(settings);
        QVERIFY2(!trusted.error, qPrintable(trusted.error ? trusted.error->message : QString()));
        QVERIFY(!trusted.content.isEmpty());
    }

    void redirectToAnotherOriginNeverCarriesTheKey_data() { addKinds(); }
    void redirectToAnotherOriginNeverCarriesTheKey()
    {
        QFETCH(ProviderKind, kind);
        FakeLlmServer elsewhere(FakeLlmServer::Options{});
        FakeLlmServer::Options options;
        options.redirectTo = elsewhere.url();
        FakeLlmServer server(options);
        ProviderSettings settings = settingsFor(kind, server.baseUrl());
        settings.apiKey = u"sk-stays-home"_s;
        const Outcome outcome = run(settings);
        QVERIFY(outcome.error);
        QVERIFY2(outcome.error->message.contains(u"does not send your key to another origin"_s), qPrintable(outcome.error->message));
        QVERIFY(outcome.error->message.contains(QString::number(elsewhere.url().port())));
        QCOMPARE(server.requestCount(), 1);
        for (const auto &request : elsewhere.requests()) {
            QVERIFY(request.header("authorization").isEmpty());
            QVERIFY(request.header("x-api-key").isEmpty());
        }
        QCOMPARE(elsewhere.requestCount(), 0);
    }

    void refusedConnectionIsRetriedThenExplained()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const Outcome outcome = run(settingsFor(ProviderKind::Ollama, QUrl(u"http://127.0.0.1:%1"_s.arg(port))));
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, Error::Kind::Network);
        QVERIFY2(outcome.error->message.contains(u"connection refused"_s), qPrintable(outcome.error->message));
        const auto backoffs = std::count_if(outcome.waits.cbegin(), outcome.waits.cend(), [](const StreamWait &wait) {
            return wait.reason == StreamWait::Reason::RetryBackoff;
        });
        QCOMPARE(backoffs, RetryPolicy::Settings().maxAttempts - 1);
    }

    void unknownHostIsExplained()
    {
        const Outcome outcome = run(settingsFor(ProviderKind::OpenAiCompatible, QUrl(u"http://no-such-host.invalid/v1"_s)),
                                    RetryPolicy(RetryPolicy::Settings{1, 10ms, 10ms, 0.0, 1s}));
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, Error::Kind::Network);
        QVERIFY2(outcome.error->message.contains(u"DNS"_s), qPrintable(outcome.error->message));
    }
};

QTEST_GUILESS_MAIN(TestProviderFaults)
#include "tst_providerfaults.moc"
