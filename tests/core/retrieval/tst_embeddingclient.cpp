// EmbeddingClient against the in-process fake server: batching and order, the concurrency cap,
// retries (503, 429 with Retry-After, cut connections, timeouts), every failure a user can meet,
// cancellation, the Ollama shape, and vectors that mean something.

#include "core/retrieval/EmbeddingClient.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/HashingEmbedder.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using ragdesk::testing::HashingEmbedder;
using VectorFailure = FakeLlmServer::Options::VectorFailure;

Q_DECLARE_METATYPE(ragdesk::testing::FakeLlmOptions::VectorFailure)

namespace {

/// Retries that keep a test fast but still go through the real RetryPolicy.
RetryPolicy::Settings fastRetry(int maxAttempts = 4)
{
    RetryPolicy::Settings retry;
    retry.maxAttempts = maxAttempts;
    retry.initialDelay = 5ms;
    retry.maxDelay = 20ms;
    retry.jitter = 0;
    return retry;
}

QStringList numberedTexts(int count)
{
    QStringList texts;
    for (int i = 0; i < count; ++i)
        texts.append(u"Document %1 talks about topic %2 and item %3"_s.arg(i).arg(i % 7).arg(i * 31));
    return texts;
}

/// The error message of a failed result, for a failure description; empty on success.
template<typename T>
QString errorText(const Result<T> &result)
{
    return result ? QString() : result.error().message;
}

QUrl serverRoot(const FakeLlmServer &server)
{
    QUrl url = server.baseUrl();
    url.setPath(QString());
    return url;
}

Result<Embeddings> embedNow(EmbeddingClient &client, QStringList texts, CancelToken cancel = {})
{
    return QCoro::waitFor(client.embed(std::move(texts), std::move(cancel)));
}

} // namespace

class TestEmbeddingClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    EmbeddingSettings settingsFor(const FakeLlmServer &server)
    {
        EmbeddingSettings settings;
        settings.baseUrl = server.baseUrl();
        settings.model = u"fake-embed"_s;
        settings.retry = fastRetry();
        return settings;
    }

    /// Runs one request against a server scripted with @p failure on every request.
    Error failureFor(VectorFailure failure, int texts = 3)
    {
        FakeLlmServer::Options options;
        options.vectorFailure = failure;
        FakeLlmServer server(options);
        EmbeddingClient client(&m_network, settingsFor(server));
        const Result<Embeddings> result = embedNow(client, numberedTexts(texts));
        if (result)
            return {};
        return result.error();
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void batchesAndKeepsOrder_data()
    {
        QTest::addColumn<bool>("shuffled");
        QTest::newRow("in-order") << false;
        QTest::newRow("server-answers-out-of-order") << true;
    }

    void batchesAndKeepsOrder()
    {
        QFETCH(bool, shuffled);
        FakeLlmServer::Options options;
        options.shuffleEmbeddings = shuffled;
        FakeLlmServer server(options);
        EmbeddingClient client(&m_network, settingsFor(server));
        const QStringList texts = numberedTexts(150);

        const Result<Embeddings> result = embedNow(client, texts);
        QVERIFY2(result, qPrintable(errorText(result)));
        QCOMPARE(result->size(), 150);
        for (qsizetype i = 0; i < texts.size(); ++i)
            QCOMPARE(result->at(i), HashingEmbedder::embed(texts[i]));

        QList<int> sizes = server.embeddingBatchSizes();
        std::sort(sizes.begin(), sizes.end()); // concurrent batches arrive in any order
        QCOMPARE(sizes, (QList<int>{22, 64, 64}));
        QCOMPARE(server.lastRequestLine(), "POST /v1/embeddings"_ba);
        QCOMPARE(server.lastRequestBody().value(u"model"_s).toString(), u"fake-embed"_s);
    }

    void neverExceedsTheConcurrencyCap()
    {
        FakeLlmServer::Options options;
        options.vectorDelay = 40ms; // long enough for the batches to overlap on the server
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.batchSize = 4;
        settings.maxConcurrent = 3;
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, numberedTexts(40));
        QVERIFY2(result, qPrintable(errorText(result)));
        QCOMPARE(result->size(), 40);
        QCOMPARE(server.embeddingRequests(), 10);
        QVERIFY2(server.peakVectorRequests() <= 3, qPrintable(QString::number(server.peakVectorRequests())));
        QVERIFY2(server.peakVectorRequests() > 1, "batches ran one after another");
    }

    void retriesAfter503ThenSucceeds()
    {
        FakeLlmServer::Options options;
        options.vectorFailure = VectorFailure::Http503;
        options.vectorFailureCount = 2;
        FakeLlmServer server(options);
        EmbeddingClient client(&m_network, settingsFor(server));

        const Result<Embeddings> result = embedNow(client, {u"alpha"_s, u"beta"_s});
        QVERIFY2(result, qPrintable(errorText(result)));
        QCOMPARE(result->size(), 2);
        QCOMPARE(server.embeddingRequests(), 3);
    }

    void honoursRetryAfter()
    {
        FakeLlmServer::Options options;
        options.vectorFailure = VectorFailure::Http429;
        options.vectorFailureCount = 1;
        options.retryAfterSeconds = 1;
        FakeLlmServer server(options);
        EmbeddingClient client(&m_network, settingsFor(server)); // own backoff would be 5 ms

        QElapsedTimer elapsed;
        elapsed.start();
        const Result<Embeddings> result = embedNow(client, {u"alpha"_s});
        QVERIFY2(result, qPrintable(errorText(result)));
        QCOMPARE(server.embeddingRequests(), 2);
        QVERIFY2(elapsed.elapsed() >= 950, qPrintable(u"retried after %1 ms"_s.arg(elapsed.elapsed())));
    }

    void givesUpAfterTheLastAttempt()
    {
        FakeLlmServer::Options options;
        options.vectorFailure = VectorFailure::Http503;
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.retry = fastRetry(3);
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, {u"alpha"_s});
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Http);
        QCOMPARE(result.error().httpStatus, 503);
        QVERIFY2(result.error().message.contains(u"Model is loading"_s), qPrintable(result.error().message));
        QVERIFY(result.error().message.startsWith(u"Computing embeddings failed."_s));
        QCOMPARE(server.embeddingRequests(), 3);
    }

    void retriesACutConnection()
    {
        FakeLlmServer::Options options;
        options.vectorFailure = VectorFailure::CutConnection;
        options.vectorFailureCount = 1;
        FakeLlmServer server(options);
        EmbeddingClient client(&m_network, settingsFor(server));

        const Result<Embeddings> result = embedNow(client, numberedTexts(5));
        QVERIFY2(result, qPrintable(errorText(result)));
        QCOMPARE(result->size(), 5);
        QCOMPARE(server.embeddingRequests(), 2);
    }

    void retriesATimeoutThenReportsIt()
    {
        FakeLlmServer::Options options;
        options.vectorDelay = 2s;
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.timeout = 100ms;
        settings.retry = fastRetry(2);
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, {u"alpha"_s});
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Timeout);
        QVERIFY2(result.error().message.contains(u"did not answer"_s), qPrintable(result.error().message));
        QCOMPARE(server.embeddingRequests(), 2);
    }

    void deadServerSaysSo()
    {
        QTcpServer probe; // a port that was free a moment ago and now refuses connections
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();

        EmbeddingSettings settings;
        settings.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port));
        settings.model = u"fake-embed"_s;
        settings.retry = fastRetry(2);
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, {u"alpha"_s});
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Network);
        QVERIFY2(result.error().message.contains(u"connection refused"_s), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(u"Is the server running"_s), qPrintable(result.error().message));
    }

    void badKeyIsNotRetriedAndSaysCheckTheKey()
    {
        FakeLlmServer::Options options;
        options.requiredApiKey = u"sk-right"_s;
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.apiKey = u"sk-wrong"_s;
        EmbeddingClient wrong(&m_network, settings);

        const Result<Embeddings> result = embedNow(wrong, {u"alpha"_s});
        QVERIFY(!result);
        QCOMPARE(result.error().httpStatus, 401);
        QVERIFY2(result.error().message.contains(u"Check the API key"_s), qPrintable(result.error().message));
        QCOMPARE(server.requestCount(), 1);

        settings.apiKey = u"sk-right"_s;
        EmbeddingClient right(&m_network, settings);
        QVERIFY(embedNow(right, {u"alpha"_s}));
        QCOMPARE(server.lastRequestHeader("Authorization"), "Bearer sk-right"_ba);
    }

    void unknownModelSaysCheckModelAndUrl()
    {
        FakeLlmServer::Options options;
        options.vectorModels = {u"nomic-embed-text"_s};
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.model = u"no-such-model"_s;
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, {u"alpha"_s});
        QVERIFY(!result);
        QCOMPARE(result.error().httpStatus, 404);
        QVERIFY2(result.error().message.contains(u"no-such-model"_s), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(u"model name"_s), qPrintable(result.error().message));
        QCOMPARE(server.embeddingRequests(), 1);
    }

    void malformedAnswersSayWhatIsWrong_data()
    {
        QTest::addColumn<VectorFailure>("failure");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed-json") << VectorFailure::MalformedJson << u"not JSON"_s;
        QTest::newRow("wrong-count") << VectorFailure::WrongCount << u"returned 2 embeddings for 3 texts"_s;
        QTest::newRow("non-numeric") << VectorFailure::NonNumeric << u"not a number"_s;
        QTest::newRow("mixed-dimensions") << VectorFailure::MixedDimensions << u"different sizes"_s;
    }

    void malformedAnswersSayWhatIsWrong()
    {
        QFETCH(VectorFailure, failure);
        QFETCH(QString, expected);
        const Error error = failureFor(failure);
        QCOMPARE(error.kind, Error::Kind::Protocol);
        QVERIFY2(error.message.contains(expected), qPrintable(error.message));
        QVERIFY2(error.message.startsWith(u"Computing embeddings failed"_s), qPrintable(error.message));
    }

    void cancelAbortsTheRequestsInFlight()
    {
        FakeLlmServer::Options options;
        options.vectorDelay = 10s;
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.batchSize = 2;
        EmbeddingClient client(&m_network, settings);
        CancelToken cancel;
        connect(&server, &FakeLlmServer::requestReceived, this, [&] {
            if (server.requestCount() == 1) // the answer is held back 10 s
                QTimer::singleShot(20ms, this, [&] { cancel.cancel(); });
        });

        QElapsedTimer elapsed;
        elapsed.start();
        const Result<Embeddings> result = embedNow(client, numberedTexts(8), cancel);
        QVERIFY(!result);
        QVERIFY(result.error().isCancelled());
        QVERIFY2(elapsed.elapsed() < 5000, "cancel did not stop the wait");
        QTRY_COMPARE(server.activeVectorRequests(), 0);
        QVERIFY(server.abortedVectorRequests() >= 1);
        QVERIFY2(server.embeddingRequests() <= 2, "queued batches were still sent after cancel");
    }

    void ollamaShape()
    {
        FakeLlmServer server;
        EmbeddingSettings settings = settingsFor(server);
        settings.api = EmbeddingSettings::Api::Ollama;
        settings.baseUrl = serverRoot(server);
        EmbeddingClient client(&m_network, settings);
        const QStringList texts = numberedTexts(3);

        const Result<Embeddings> result = embedNow(client, texts);
        QVERIFY2(result, qPrintable(errorText(result)));
        QCOMPARE(server.lastRequestLine(), "POST /api/embed"_ba);
        QCOMPARE(server.lastRequestBody().value(u"input"_s).toArray().size(), 3);
        QCOMPARE(result->size(), 3);
        for (qsizetype i = 0; i < texts.size(); ++i)
            QCOMPARE(result->at(i), HashingEmbedder::embed(texts[i]));
    }

    void ollamaErrorTextReachesTheUser()
    {
        FakeLlmServer::Options options;
        options.vectorModels = {u"nomic-embed-text"_s};
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.api = EmbeddingSettings::Api::Ollama;
        settings.baseUrl = serverRoot(server);
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, {u"alpha"_s});
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(u"try pulling it first"_s), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(u"ollama pull"_s), qPrintable(result.error().message));
        QVERIFY2(!result.error().message.contains(u"ends in /v1)"_s), qPrintable(result.error().message));
    }

    void oneBadBatchFailsTheCallAndStopsTheRest()
    {
        FakeLlmServer::Options options;
        options.vectorFailure = VectorFailure::WrongCount;
        options.vectorFailureCount = 1;
        FakeLlmServer server(options);
        EmbeddingSettings settings = settingsFor(server);
        settings.batchSize = 2;
        settings.maxConcurrent = 1;
        EmbeddingClient client(&m_network, settings);

        const Result<Embeddings> result = embedNow(client, numberedTexts(10));
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Protocol);
        QCOMPARE(server.embeddingRequests(), 1); // the four queued batches were never sent
    }

    void batchesOfDifferentDimensionsAreRejected()
    {
        FakeLlmServer server;
        EmbeddingSettings settings = settingsFor(server);
        settings.batchSize = 2;
        settings.maxConcurrent = 1;
        EmbeddingClient client(&m_network, settings);
        // The server "switches models" after the first batch.
        connect(&server, &FakeLlmServer::requestReceived, this, [&server] {
            if (server.requestCount() == 2) {
                FakeLlmServer::Options changed = server.options();
                changed.embeddingDimensions = 32;
                server.setOptions(changed);
            }
        });

        const Result<Embeddings> result = embedNow(client, numberedTexts(4));
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Protocol);
        QVERIFY2(result.error().message.contains(u"different sizes (384 and 32)"_s), qPrintable(result.error().message));
    }

    void asksForDimensions()
    {
        FakeLlmServer server;
        EmbeddingSettings settings = settingsFor(server);
        settings.dimensions = 64;
        EmbeddingClient client(&m_network, settings);
        const Result<QList<float>> vector = QCoro::waitFor(client.embedQuery(u"a query"_s));
        QVERIFY2(vector, qPrintable(errorText(vector)));
        QCOMPARE(vector->size(), 64);
        QCOMPARE(server.lastRequestBody().value(u"dimensions"_s).toInt(), 64);
    }

    void sameTextSameVector()
    {
        FakeLlmServer server;
        EmbeddingClient client(&m_network, settingsFor(server));
        const QString text = u"The quick brown fox jumps over the lazy dog"_s;
        const Result<Embeddings> first = embedNow(client, {text, text});
        const Result<Embeddings> second = embedNow(client, {text});
        QVERIFY(first && second);
        QCOMPARE(first->at(0), first->at(1));
        QCOMPARE(first->at(0), second->at(0));
        QCOMPARE(first->at(0).size(), HashingEmbedder::kDefaultDimensions);
    }

    void similarTextsAreCloserThanUnrelatedOnes()
    {
        FakeLlmServer server;
        EmbeddingClient client(&m_network, settingsFor(server));
        const Result<Embeddings> vectors = embedNow(client, {
            u"How do I reset my router password?"_s,
            u"Resetting the password of a router"_s,
            u"Chocolate cake recipe with fresh strawberries"_s,
        });
        QVERIFY2(vectors, qPrintable(errorText(vectors)));
        const double similar = HashingEmbedder::cosine(vectors->at(0), vectors->at(1));
        const double unrelated = HashingEmbedder::cosine(vectors->at(0), vectors->at(2));
        QVERIFY2(similar > 0.5, qPrintable(QString::number(similar)));
        QVERIFY2(std::abs(unrelated) < 0.2, qPrintable(QString::number(unrelated)));
    }

    void emptyInputSendsNothing()
    {
        FakeLlmServer server;
        EmbeddingClient client(&m_network, settingsFor(server));
        const Result<Embeddings> result = embedNow(client, {});
        QVERIFY(result);
        QVERIFY(result->isEmpty());
        QCOMPARE(server.requestCount(), 0);
    }

    void missingSettingsAreConfigurationErrors()
    {
        EmbeddingClient noUrl(&m_network, EmbeddingSettings{});
        const Result<Embeddings> result = embedNow(noUrl, {u"alpha"_s});
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Configuration);

        EmbeddingSettings settings;
        settings.baseUrl = QUrl(u"http://127.0.0.1:1/v1"_s);
        EmbeddingClient noModel(&m_network, settings);
        const Result<Embeddings> noModelResult = embedNow(noModel, {u"alpha"_s});
        QVERIFY(!noModelResult);
        QVERIFY2(noModelResult.error().message.contains(u"model"_s), qPrintable(noModelResult.error().message));
    }

    void parserRejectsBadIndexes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("repeated") << R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]})"_ba;
        QTest::newRow("out-of-range") << R"({"data":[{"index":0,"embedding":[1]},{"index":5,"embedding":[2]}]})"_ba;
        QTest::newRow("no-data") << R"({"object":"list"})"_ba;
        QTest::newRow("empty-vector") << R"({"data":[{"index":0,"embedding":[]},{"index":1,"embedding":[]}]})"_ba;
    }

    void parserRejectsBadIndexes()
    {
        QFETCH(QByteArray, json);
        const Result<Embeddings> parsed = EmbeddingClient::parseResponse(EmbeddingSettings::Api::OpenAi,
                                                                         QJsonDocument::fromJson(json), 2);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().kind, Error::Kind::Protocol);
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingClient)
#include "tst_embeddingclient.moc"
