// RerankClient against the in-process fake server: the Jina/Cohere and TEI request shapes, both
// answer shapes, top_n, ordering by relevance, retries and the errors a user can meet.

#include "core/retrieval/RerankClient.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/HashingEmbedder.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using ragdesk::testing::HashingEmbedder;
using VectorFailure = FakeLlmServer::Options::VectorFailure;

Q_DECLARE_METATYPE(ragdesk::RerankSettings::Shape)
Q_DECLARE_METATYPE(ragdesk::testing::FakeLlmOptions::VectorFailure)

namespace {

const QString kQuery = u"how to bake sourdough bread"_s;
const QStringList kDocuments = {
    u"The stock market fell sharply on Monday."_s,
    u"Baking sourdough bread needs a lively starter and a hot oven."_s,
    u"Bread baking basics: flour, water, salt."_s,
    u"Migrating birds fly south in autumn."_s,
};

RetryPolicy::Settings fastRetry(int maxAttempts = 4)
{
    RetryPolicy::Settings retry;
    retry.maxAttempts = maxAttempts;
    retry.initialDelay = 5ms;
    retry.maxDelay = 20ms;
    retry.jitter = 0;
    return retry;
}

/// The error message of a failed result, for a failure description; empty on success.
template<typename T>
QString errorText(const Result<T> &result)
{
    return result ? QString() : result.error().message;
}

/// Document indexes, most relevant first; unscored ones are left out.
QList<qsizetype> ranking(const RerankScores &scores)
{
    QList<qsizetype> order;
    for (qsizetype i = 0; i < scores.size(); ++i) {
        if (scores[i])
            order.append(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) { return *scores[a] > *scores[b]; });
    return order;
}

} // namespace

class TestRerankClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    RerankSettings settingsFor(const FakeLlmServer &server, RerankSettings::Shape shape = RerankSettings::Shape::JinaCohere)
    {
        RerankSettings settings;
        settings.shape = shape;
        settings.baseUrl = server.baseUrl();
        if (shape == RerankSettings::Shape::Tei)
            settings.baseUrl.setPath(QString()); // TEI serves /rerank at its root
        settings.model = u"fake-reranker"_s;
        settings.retry = fastRetry();
        return settings;
    }

    Result<RerankScores> rerankNow(RerankClient &client, QStringList documents = kDocuments)
    {
        return QCoro::waitFor(client.rerank(kQuery, std::move(documents)));
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void scoresAlignWithTheDocuments_data()
    {
        QTest::addColumn<RerankSettings::Shape>("shape");
        QTest::addColumn<QByteArray>("requestLine");
        QTest::newRow("jina-cohere") << RerankSettings::Shape::JinaCohere << "POST /v1/rerank"_ba;
        QTest::newRow("tei") << RerankSettings::Shape::Tei << "POST /rerank"_ba;
    }

    void scoresAlignWithTheDocuments()
    {
        QFETCH(RerankSettings::Shape, shape);
        QFETCH(QByteArray, requestLine);
        FakeLlmServer server;
        RerankClient client(&m_network, settingsFor(server, shape));

        const Result<RerankScores> scores = rerankNow(client);
        QVERIFY2(scores, qPrintable(errorText(scores)));
        QCOMPARE(server.lastRequestLine(), requestLine);
        QCOMPARE(scores->size(), kDocuments.size());
        const QList<float> query = HashingEmbedder::embed(kQuery);
        for (qsizetype i = 0; i < kDocuments.size(); ++i) {
            QVERIFY(scores->at(i).has_value());
            QVERIFY(qFuzzyCompare(1.0 + *scores->at(i), 1.0 + HashingEmbedder::cosine(query, HashingEmbedder::embed(kDocuments[i]))));
        }
        // The two bread documents beat the market and the birds.
        const QList<qsizetype> order = ranking(*scores);
        QCOMPARE(QSet<qsizetype>(order.begin(), order.begin() + 2), (QSet<qsizetype>{1, 2}));
        QCOMPARE(server.rerankRequests(), 1);
    }

    void sendsTheShapeItWasToldTo()
    {
        FakeLlmServer server;
        RerankClient jina(&m_network, settingsFor(server));
        QVERIFY(rerankNow(jina));
        QJsonObject body = server.lastRequestBody();
        QCOMPARE(body.value(u"model"_s).toString(), u"fake-reranker"_s);
        QCOMPARE(body.value(u"query"_s).toString(), kQuery);
        QCOMPARE(body.value(u"documents"_s).toArray().size(), kDocuments.size());
        QCOMPARE(body.value(u"top_n"_s).toInt(), kDocuments.size());
        QVERIFY(!body.contains(u"texts"_s));

        RerankClient tei(&m_network, settingsFor(server, RerankSettings::Shape::Tei));
        QVERIFY(rerankNow(tei));
        body = server.lastRequestBody();
        QCOMPARE(body.value(u"texts"_s).toArray().size(), kDocuments.size());
        QVERIFY(!body.contains(u"documents"_s));
    }

    void topNLeavesTheRestUnscored()
    {
        FakeLlmServer server;
        RerankSettings settings = settingsFor(server);
        settings.topN = 2;
        RerankClient client(&m_network, settings);

        const Result<RerankScores> scores = rerankNow(client);
        QVERIFY2(scores, qPrintable(errorText(scores)));
        QCOMPARE(server.lastRequestBody().value(u"top_n"_s).toInt(), 2);
        QVERIFY(scores->at(1) && scores->at(2));
        QVERIFY(!scores->at(0) && !scores->at(3));
    }

    void parsesBothAnswerShapes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("jina") << R"({"model":"m","results":[{"index":2,"relevance_score":0.9},{"index":0,"relevance_score":0.1}]})"_ba;
        QTest::newRow("cohere-with-documents")
            << R"({"id":"x","results":[{"index":2,"relevance_score":0.9,"document":{"text":"c"}},{"index":0,"relevance_score":0.1}]})"_ba;
        QTest::newRow("tei") << R"([{"index":2,"score":0.9},{"index":0,"score":0.1}])"_ba;
    }

    void parsesBothAnswerShapes()
    {
        QFETCH(QByteArray, json);
        const Result<RerankScores> scores = RerankClient::parseResponse(QJsonDocument::fromJson(json), 3);
        QVERIFY2(scores, qPrintable(errorText(scores)));
        QCOMPARE(scores->size(), 3);
        QCOMPARE(scores->at(0), std::optional<double>(0.1));
        QCOMPARE(scores->at(1), std::optional<double>());
        QCOMPARE(scores->at(2), std::optional<double>(0.9));
    }

    void parserRejectsNonsense_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("index-out-of-range") << R"({"results":[{"index":3,"relevance_score":0.5}]})"_ba << u"not sent"_s;
        QTest::newRow("negative-index") << R"([{"index":-1,"score":0.5}])"_ba << u"not sent"_s;
        QTest::newRow("index-twice") << R"([{"index":0,"score":0.5},{"index":0,"score":0.4}])"_ba << u"twice"_s;
        QTest::newRow("no-index") << R"([{"score":0.5}])"_ba << u"not sent"_s;
        QTest::newRow("string-score") << R"([{"index":0,"score":"high"}])"_ba << u"not a number"_s;
        QTest::newRow("no-score") << R"({"results":[{"index":0}]})"_ba << u"not a number"_s;
        QTest::newRow("neither-shape") << R"({"data":[]})"_ba << u"neither"_s;
    }

    void parserRejectsNonsense()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const Result<RerankScores> scores = RerankClient::parseResponse(QJsonDocument::fromJson(json), 3);
        QVERIFY(!scores);
        QCOMPARE(scores.error().kind, Error::Kind::Protocol);
        QVERIFY2(scores.error().message.contains(expected), qPrintable(scores.error().message));
    }

    void badAnswersFromTheServer_data()
    {
        QTest::addColumn<VectorFailure>("failure");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed") << VectorFailure::MalformedJson << u"not JSON"_s;
        QTest::newRow("index-out-of-range") << VectorFailure::WrongCount << u"not sent"_s;
        QTest::newRow("non-numeric") << VectorFailure::NonNumeric << u"not a number"_s;
    }

    void badAnswersFromTheServer()
    {
        QFETCH(VectorFailure, failure);
        QFETCH(QString, expected);
        FakeLlmServer::Options options;
        options.vectorFailure = failure;
        FakeLlmServer server(options);
        RerankClient client(&m_network, settingsFor(server));

        const Result<RerankScores> scores = rerankNow(client);
        QVERIFY(!scores);
        QCOMPARE(scores.error().kind, Error::Kind::Protocol);
        QVERIFY2(scores.error().message.contains(expected), qPrintable(scores.error().message));
        QVERIFY2(scores.error().message.startsWith(u"Reranking failed"_s), qPrintable(scores.error().message));
    }

    void retriesUnavailableThenSucceeds()
    {
        FakeLlmServer::Options options;
        options.vectorFailure = VectorFailure::Http503;
        options.vectorFailureCount = 2;
        FakeLlmServer server(options);
        RerankClient client(&m_network, settingsFor(server, RerankSettings::Shape::Tei));

        const Result<RerankScores> scores = rerankNow(client);
        QVERIFY2(scores, qPrintable(errorText(scores)));
        QCOMPARE(server.rerankRequests(), 3);
    }

    void badKeySaysCheckTheKey()
    {
        FakeLlmServer::Options options;
        options.requiredApiKey = u"jina_right"_s;
        FakeLlmServer server(options);
        RerankSettings settings = settingsFor(server);
        settings.apiKey = u"jina_wrong"_s;
        RerankClient client(&m_network, settings);

        const Result<RerankScores> scores = rerankNow(client);
        QVERIFY(!scores);
        QCOMPARE(scores.error().httpStatus, 401);
        QVERIFY2(scores.error().message.contains(u"Check the API key"_s), qPrintable(scores.error().message));
        QCOMPARE(server.requestCount(), 1);
    }

    void cancelStopsTheRequest()
    {
        FakeLlmServer::Options options;
        options.vectorDelay = 10s;
        FakeLlmServer server(options);
        RerankClient client(&m_network, settingsFor(server));
        CancelToken cancel;
        connect(&server, &FakeLlmServer::requestReceived, this, [&] { cancel.cancel(); });

        const Result<RerankScores> scores = QCoro::waitFor(client.rerank(kQuery, kDocuments, cancel));
        QVERIFY(!scores);
        QVERIFY(scores.error().isCancelled());
        QTRY_COMPARE(server.activeVectorRequests(), 0);
        QCOMPARE(server.abortedVectorRequests(), 1);
    }

    void nothingToRerankSendsNothing()
    {
        FakeLlmServer server;
        RerankClient client(&m_network, settingsFor(server));
        const Result<RerankScores> scores = rerankNow(client, {});
        QVERIFY(scores && scores->isEmpty());
        QCOMPARE(server.requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRerankClient)
#include "tst_rerankclient.moc"
