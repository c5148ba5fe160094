// OpenAiChatProvider against the in-process fake server: full streams with every wire quirk,
// Stop, each failure kind a user can meet, and cancellation that leaves nothing running.

#include "core/llm/OpenAiChatProvider.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/FakeLlmServer.h"

#include <QCoroTask>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using Failure = FakeLlmServer::Failure;

Q_DECLARE_METATYPE(ragdesk::testing::FakeLlmOptions)
Q_DECLARE_METATYPE(ragdesk::testing::FakeLlmOptions::Failure)

namespace {

struct Collected {
    QString content;
    QString reasoning;
    std::optional<Error> error;
    std::optional<TokenUsage> usage;
    int chunks = 0;
};

/// Drains a stream; @p afterChunk may cancel or inspect in the middle.
QCoro::Task<Collected> collect(std::shared_ptr<ChatProvider> provider, CancelToken cancel,
                               std::function<void(const Collected &)> afterChunk = {})
{
    Collected collected;
    ChatRequest request;
    request.messages = {{u"user"_s, u"Hello"_s}};
    auto stream = provider->stream(request, cancel);
    auto it = co_await stream.begin();
    while (it != stream.end()) {
        const StreamChunk &chunk = *it;
        ++collected.chunks;
        collected.content += chunk.content;
        collected.reasoning += chunk.reasoning;
        if (chunk.usage)
            collected.usage = chunk.usage;
        if (chunk.error)
            collected.error = chunk.error;
        if (afterChunk)
            afterChunk(collected);
        co_await ++it;
    }
    co_return collected;
}

} // namespace

class TestOpenAiChatProvider : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    std::shared_ptr<ChatProvider> providerFor(const FakeLlmServer &server, ProviderSettings settings = {})
    {
        settings.baseUrl = server.baseUrl();
        if (settings.model.isEmpty())
            settings.model = u"fake-model"_s;
        return std::make_shared<OpenAiChatProvider>(&m_network, settings);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void streamsTheWholeAnswer_data()
    {
        QTest::addColumn<FakeLlmServer::Options>("options");
        FakeLlmServer::Options plain;
        plain.tokens = 60;
        QTest::newRow("plain") << plain;
        auto crlf = plain;
        crlf.crlf = true;
        QTest::newRow("crlf") << crlf;
        auto noSpace = plain;
        noSpace.noSpaceAfterData = true;
        QTest::newRow("data-without-space") << noSpace;
        auto comments = plain;
        comments.comments = true;
        QTest::newRow("keep-alive-comments") << comments;
        auto glued = plain;
        glued.gluedFrames = true;
        QTest::newRow("glued-frames") << glued;
        auto split = plain;
        split.splitWrites = true;
        QTest::newRow("split-inside-utf8") << split;
        auto everything = plain;
        everything.crlf = everything.noSpaceAfterData = everything.comments = everything.gluedFrames = true;
        everything.splitWrites = everything.reasoning = everything.usageChunk = true;
        QTest::newRow("all-quirks") << everything;
    }

    void streamsTheWholeAnswer()
    {
        QFETCH(FakeLlmServer::Options, options);
        FakeLlmServer server(options);
        const Collected result = QCoro::waitFor(collect(providerFor(server), CancelToken()));
        QVERIFY2(!result.error, qPrintable(result.error ? result.error->message : QString()));
        QCOMPARE(result.content, options.replyText());
        QCOMPARE(result.reasoning, options.reasoningTexts().join(QString()));
        QCOMPARE(result.usage.has_value(), options.usageChunk);
        if (result.usage)
            QVERIFY(result.usage->completionTokens > 0);
        QCOMPARE(server.lastRequestBody().value(u"stream"_s).toBool(), true);
        QCOMPARE(server.lastRequestBody().value(u"model"_s).toString(), u"fake-model"_s);
    }

    void sendsTheKeyOnlyAsBearerHeader()
    {
        FakeLlmServer server;
        ProviderSettings settings;
        settings.apiKey = u"sk-test-123"_s;
        const Collected result = QCoro::waitFor(collect(providerFor(server, settings), CancelToken()));
        QVERIFY(!result.error);
        QCOMPARE(server.lastRequestHeader("Authorization"), QByteArray("Bearer sk-test-123"));
    }

    void stopAbortsTheRequestAtOnce()
    {
        FakeLlmServer::Options options;
        options.tokens = 400;
        options.tokensPerSecond = 50;
        FakeLlmServer server(options);
        CancelToken cancel;
        QElapsedTimer sinceStop;
        const Collected result = QCoro::waitFor(collect(providerFor(server), cancel, [&](const Collected &soFar) {
            if (soFar.chunks == 3 && !cancel.isCancelled()) {
                sinceStop.start();
                cancel.cancel();
            }
        }));
        QVERIFY(sinceStop.isValid());
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Cancelled);
        QVERIFY(!result.content.isEmpty());
        QVERIFY(result.content.size() < options.replyText().size());
        QTRY_COMPARE(server.abortedStreams(), 1);
    }

    void cancelBeforeTheFirstByteEndsTheStream()
    {
        FakeLlmServer::Options options;
        options.ttft = 10s;
        FakeLlmServer server(options);
        CancelToken cancel;
        QTimer::singleShot(50ms, [cancel]() mutable { cancel.cancel(); });
        ragdesk::testing::EventLoopChecker loop;
        QElapsedTimer elapsed;
        elapsed.start();
        const Collected result = QCoro::waitFor(collect(providerFor(server), cancel));
        QVERIFY(elapsed.elapsed() < 5000);
        QVERIFY(result.error && result.error->isCancelled());
        QCOMPARE(result.chunks, 1);
        QVERIFY(loop);
        QTRY_COMPARE(server.activeStreams(), 0);
    }

    void droppingTheGeneratorAbortsTheReply()
    {
        FakeLlmServer::Options options;
        options.tokens = 400;
        options.tokensPerSecond = 100;
        FakeLlmServer server(options);
        auto provider = providerFor(server);
        // The consumer stops iterating and destroys the generator mid-stream: its frame must
        // release the reply, which aborts the HTTP request.
        const bool gotAChunk = QCoro::waitFor([](std::shared_ptr<ChatProvider> p) -> QCoro::Task<bool> {
            ChatRequest request;
            request.messages = {{u"user"_s, u"Hi"_s}};
            auto stream = p->stream(request, CancelToken());
            auto it = co_await stream.begin();
            co_return it != stream.end();
        }(provider));
        QVERIFY(gotAChunk);
        QTRY_COMPARE(server.abortedStreams(), 1);
    }

    void streamEndsWhenTheNetworkGoesBeforeItsCancelResumesIt()
    {
        // QCoro resumes a waiting frame through a queued connection, so a cancelled stream wakes
        // on a later turn of the loop. If the network manager is deleted in between (a window
        // torn down), the reply it owned is gone: the frame must notice instead of reading it.
        FakeLlmServer::Options options;
        options.ttft = 10s;
        FakeLlmServer server(options);
        auto network = std::make_unique<QNetworkAccessManager>();
        ProviderSettings settings;
        settings.baseUrl = server.baseUrl();
        settings.model = u"fake-model"_s;
        auto provider = std::make_shared<OpenAiChatProvider>(network.get(), settings);
        CancelToken cancel;
        QCoro::Task<Collected> running = collect(provider, cancel);
        QTRY_COMPARE(server.activeStreams(), 1);
        cancel.cancel();
        network.reset();
        const Collected result = QCoro::waitFor(std::move(running));
        QVERIFY(result.error);
        QVERIFY(result.error->isCancelled());
    }

    void httpErrorsCarryTheServersMessage_data()
    {
        QTest::addColumn<Failure>("failure");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("serverText");
        QTest::addColumn<QString>("hint");
        QTest::newRow("401") << Failure::Http401 << 401 << u"Invalid API key provided"_s << u"API key"_s;
        QTest::newRow("429") << Failure::Http429 << 429 << u"Rate limit reached"_s << u"rate limiting"_s;
        QTest::newRow("500") << Failure::Http500 << 500 << u"model crashed"_s << u"retry"_s;
    }

    void httpErrorsCarryTheServersMessage()
    {
        QFETCH(Failure, failure);
        QFETCH(int, status);
        QFETCH(QString, serverText);
        QFETCH(QString, hint);
        FakeLlmServer::Options options;
        options.failure = failure;
        FakeLlmServer server(options);
        const Collected result = QCoro::waitFor(collect(providerFor(server), CancelToken()));
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Http);
        QCOMPARE(result.error->httpStatus, status);
        QVERIFY2(result.error->message.contains(serverText), qPrintable(result.error->message));
        QVERIFY2(result.error->message.contains(hint), qPrintable(result.error->message));
        QVERIFY(result.content.isEmpty());
    }

    void connectionRefusedIsExplained()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        ProviderSettings settings;
        settings.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port));
        settings.model = u"m"_s;
        auto provider = std::make_shared<OpenAiChatProvider>(&m_network, settings);
        const Collected result = QCoro::waitFor(collect(provider, CancelToken()));
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Network);
        QVERIFY2(result.error->message.contains(u"connection refused"_s), qPrintable(result.error->message));
    }

    void streamCutMidwayKeepsThePartialAnswer()
    {
        FakeLlmServer::Options options;
        options.tokens = 40;
        options.failure = Failure::CutMidStream;
        FakeLlmServer server(options);
        const Collected result = QCoro::waitFor(collect(providerFor(server), CancelToken()));
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Protocol);
        QVERIFY(!result.content.isEmpty());
        QVERIFY(options.replyText().startsWith(result.content));
        QVERIFY(result.content.size() < options.replyText().size());
    }

    void stallMidStreamTimesOut()
    {
        FakeLlmServer::Options options;
        options.tokens = 40;
        options.failure = Failure::StallMidStream;
        FakeLlmServer server(options);
        ProviderSettings settings;
        settings.idleTimeout = 300ms;
        const Collected result = QCoro::waitFor(collect(providerFor(server, settings), CancelToken()));
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Timeout);
        QVERIFY2(result.error->message.contains(u"stopped sending"_s), qPrintable(result.error->message));
        QVERIFY(!result.content.isEmpty());
        QTRY_COMPARE(server.activeStreams(), 0);
    }

    void noFirstByteTimesOut()
    {
        FakeLlmServer::Options options;
        options.ttft = 5s;
        FakeLlmServer server(options);
        ProviderSettings settings;
        settings.firstByteTimeout = 300ms;
        const Collected result = QCoro::waitFor(collect(providerFor(server, settings), CancelToken()));
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Timeout);
        QVERIFY2(result.error->message.contains(u"sent nothing"_s), qPrintable(result.error->message));
    }

    void errorObjectInsideTheStream()
    {
        FakeLlmServer::Options options;
        options.tokens = 20;
        options.failure = Failure::ErrorInStream;
        FakeLlmServer server(options);
        const Collected result = QCoro::waitFor(collect(providerFor(server), CancelToken()));
        QVERIFY(result.error);
        QCOMPARE(result.error->kind, Error::Kind::Server);
        QVERIFY(!result.error->message.isEmpty());
        QVERIFY(!result.content.isEmpty());
    }

    void listsModels()
    {
        FakeLlmServer::Options options;
        options.extraModels = {u"another"_s};
        FakeLlmServer server(options);
        const auto models = QCoro::waitFor(providerFor(server)->listModels(CancelToken()));
        QVERIFY(models);
        QCOMPARE(*models, (QStringList{u"another"_s, u"fake-model"_s}));
    }

    void listModelsReportsAuthFailure()
    {
        FakeLlmServer::Options options;
        options.failure = Failure::Http401;
        FakeLlmServer server(options);
        const auto models = QCoro::waitFor(providerFor(server)->listModels(CancelToken()));
        QVERIFY(!models);
        QCOMPARE(models.error().httpStatus, 401);
        QVERIFY(models.error().message.contains(u"Invalid API key"_s));
    }

    void cancellingListModelsEndsItAtOnce()
    {
        // A server that accepts and never answers: only cancellation can end the wait early.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ProviderSettings settings;
        settings.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()));
        OpenAiChatProvider provider(&m_network, settings);
        CancelToken cancel;
        QTimer::singleShot(100ms, [cancel]() mutable { cancel.cancel(); });
        QElapsedTimer elapsed;
        elapsed.start();
        const auto models = QCoro::waitFor(provider.listModels(cancel));
        QVERIFY(elapsed.elapsed() < 5000);
        QVERIFY(!models);
        QVERIFY(models.error().isCancelled());
    }

    void listModelsEndsWhenTheNetworkGoesBeforeItsCancelResumesIt()
    {
        // As for streams: the cancelled wait wakes after the network manager deleted the reply.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        auto network = std::make_unique<QNetworkAccessManager>();
        ProviderSettings settings;
        settings.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()));
        OpenAiChatProvider provider(network.get(), settings);
        CancelToken cancel;
        QCoro::Task<Result<QStringList>> running = provider.listModels(cancel);
        QTRY_VERIFY(silent.hasPendingConnections());
        cancel.cancel();
        network.reset();
        const auto models = QCoro::waitFor(std::move(running));
        QVERIFY(!models);
        QVERIFY(models.error().isCancelled());
    }
};

QTEST_GUILESS_MAIN(TestOpenAiChatProvider)
#include "tst_openaichatprovider.moc"
