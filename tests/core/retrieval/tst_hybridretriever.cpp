// HybridRetriever end to end: real index.db and profile.db, vectors stored through VectorStore,
// query vectors from the in-process fake server's hashing embedder (the same one that made the
// chunk vectors, so similar texts are near).

#include "core/retrieval/EmbeddingService.h"
#include "core/retrieval/HybridRetriever.h"
#include "core/retrieval/VectorIndex.h"
#include "core/storage/VectorStore.h"
#include "tests/core/retrieval/RetrievalFixture.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/HashingEmbedder.h"

#include <QCoroTask>
#include <QNetworkAccessManager>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using ragdesk::testing::HashingEmbedder;
using ragdesk::testing::mustSucceed;

namespace {
const QString model = u"hashing"_s;

QList<qint64> documentsOf(const RetrievalResult &result)
{
    QList<qint64> ids;
    for (const RetrievalHit &hit : result.hits) {
        if (!ids.contains(hit.documentId))
            ids.append(hit.documentId);
    }
    return ids;
}
} // namespace

class TestHybridRetriever : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::RetrievalFixture> m_fixture;
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<VectorIndex> m_vectors;
    std::unique_ptr<EmbeddingService> m_embeddings;
    std::unique_ptr<HybridRetriever> m_retriever;
    qint64 m_photosynthesis = 0;
    qint64 m_router = 0;


    RetrievalResult search(const QString &query, RetrievalOptions options = {})
    {
        options.similarityThreshold = 0;
        return mustSucceed(m_retriever->search(query, options));
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<testing::RetrievalFixture>();
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_vectors = std::make_unique<VectorIndex>(m_fixture->index);
        const QUrl baseUrl = m_server->baseUrl();
        m_embeddings = std::make_unique<EmbeddingService>(m_network.get(), [baseUrl](const QString &name) {
            EmbeddingSettings settings;
            settings.baseUrl = baseUrl;
            settings.model = name;
            return settings;
        });
        m_retriever = std::make_unique<HybridRetriever>(HybridRetriever::Parts{
            m_fixture->index, m_fixture->knowledgeBases, m_vectors.get(), m_embeddings.get(), nullptr,
            m_network.get(), {}});

        m_photosynthesis = m_fixture->add(m_fixture->english, u"/en/plants.txt"_s,
                                          {{u"Plants"_s, u"Photosynthesis turns light into sugar in the leaves."_s}});
        m_router = m_fixture->add(m_fixture->english, u"/en/router.txt"_s,
                                  {{u"Networking"_s, u"Reset the router by holding its button for ten seconds."_s}});
        // Every chunk gets its hashing vector, as the backfill would have fetched it.
        VectorStore store(m_fixture->index);
        const qint64 modelId = mustSucceed(store.modelId(model, HashingEmbedder::kDefaultDimensions));
        const auto rows = m_fixture->onReader([](QSqlDatabase &db) -> Result<QList<std::pair<qint64, QString>>> {
            QSqlQuery query(db);
            QList<std::pair<qint64, QString>> result;
            query.exec(u"SELECT id, text FROM chunks ORDER BY id"_s);
            while (query.next())
                result.append({query.value(0).toLongLong(), query.value(1).toString()});
            return result;
        });
        QList<qint64> ids;
        QList<QList<float>> vectors;
        for (const auto &[id, text] : rows) {
            ids.append(id);
            vectors.append(HashingEmbedder::embed(text));
        }
        QCOMPARE(mustSucceed(store.store(modelId, ids, vectors)), int(ids.size()));
    }

    void cleanup()
    {
        m_retriever.reset();
        m_embeddings.reset();
        m_vectors.reset();
        m_network.reset();
        m_server.reset();
        m_fixture.reset();
    }

    void withoutAnEmbeddingModelItSearchesKeywordsAndSaysSo()
    {
        const RetrievalResult result = search(u"router button"_s);
        QVERIFY(!result.usedVectors);
        QVERIFY2(result.vectorNotice.contains(u"no embedding model"_s), qPrintable(result.vectorNotice));
        QCOMPARE(documentsOf(result), QList<qint64>{m_router});
        QCOMPARE(result.hits.first().foundBy, RetrievalStages(RetrievalStage::Keyword));
        QVERIFY(result.hits.first().snippet.spans.size() >= 2); // "router", "button"
        QCOMPARE(result.hits.first().documentTitle, u"router.txt"_s);
        QCOMPARE(result.hits.first().headingPath, u"Networking"_s);
        QVERIFY(result.timings.keywordMs > 0);
    }

    void vectorsFindWhatKeywordsMiss()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        // Stems differ ("photosynthet" against "photosynthesi"), the character trigrams do not.
        const RetrievalResult result = search(u"photosynthetic"_s);
        QVERIFY2(result.usedVectors, qPrintable(result.vectorNotice));
        QVERIFY(!result.hits.isEmpty());
        const RetrievalHit &best = result.hits.first();
        QCOMPARE(best.documentId, m_photosynthesis);
        QCOMPARE(best.foundBy, RetrievalStages(RetrievalStage::Vector));
        QVERIFY(best.vectorSimilarity.value_or(0) > 0.1);
        for (const RetrievalHit &other : result.hits.mid(1))
            QVERIFY(other.vectorSimilarity.value_or(0) < *best.vectorSimilarity);
        QVERIFY(!best.keywordScore.has_value());
        QVERIFY(result.timings.vectorMs > 0);
        QVERIFY(result.timings.embedQueryMs > 0);
    }

    void bothStagesAgreeOnAnObviousQuery()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        const RetrievalResult result = search(u"reset the router"_s);
        QVERIFY(result.usedVectors);
        QCOMPARE(result.hits.first().documentId, m_router);
        QCOMPARE(result.hits.first().foundBy, RetrievalStages(RetrievalStage::Keyword | RetrievalStage::Vector));
        QCOMPARE(result.hits.first().keywordRank, 0);
        QCOMPARE(result.hits.first().vectorRank, 0);
    }

    void aDeadEmbeddingServerLeavesTheKeywordResults()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        m_server.reset(); // nothing listens on its port any more
        const RetrievalResult result = search(u"router"_s);
        QVERIFY(!result.usedVectors);
        QVERIFY2(result.vectorNotice.startsWith(u"Keyword search only"_s), qPrintable(result.vectorNotice));
        QCOMPARE(documentsOf(result), QList<qint64>{m_router});
    }

    void forgottenDocumentsLeaveTheVectorStage()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        QCOMPARE(documentsOf(search(u"photosynthetic"_s)).value(0), m_photosynthesis);
        m_vectors->forgetDocuments({m_photosynthesis});
        const RetrievalResult result = search(u"photosynthetic"_s);
        QVERIFY(!documentsOf(result).contains(m_photosynthesis));
    }

    void vectorsAddedLaterAreSearched()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        search(u"warm"_s); // loads the model
        const qint64 later = m_fixture->add(m_fixture->english, u"/en/later.txt"_s,
                                            {{u""_s, u"Chlorophyll absorbs photons."_s}});
        const qint64 chunk = m_fixture->onReader([later](QSqlDatabase &db) -> Result<qint64> {
            QSqlQuery query(db);
            query.prepare(u"SELECT id FROM chunks WHERE document_id = ?"_s);
            query.addBindValue(later);
            query.exec();
            return query.next() ? query.value(0).toLongLong() : qint64(-1);
        });
        m_vectors->add(model, {VectorRow{chunk, later, HashingEmbedder::embed(u"Chlorophyll absorbs photons."_s)}});
        const RetrievalResult result = search(u"chlorophyllous"_s);
        QCOMPARE(documentsOf(result).value(0), later);
    }

    void concurrentVectorSearchesEachGetTheirOwnHits()
    {
        // Searches that arrive while a scan runs share the next pass over the matrix; each must
        // still get what it would get alone: its own vector, k and filter, or its own error.
        mustSucceed(m_vectors->search(model, HashingEmbedder::embed(u"warm"_s), std::nullopt, 1)); // loads
        const QStringList questions{u"photosynthetic leaves"_s, u"router reset"_s, u"light"_s, u"button held"_s};
        struct Asked {
            QList<float> vector;
            std::optional<QSet<qint64>> allowed;
            int k;
        };
        std::vector<Asked> asked;
        for (int i = 0; i < 16; ++i) {
            asked.push_back({HashingEmbedder::embed(questions[i % questions.size()]),
                             i % 3 == 2 ? std::optional(QSet<qint64>{m_router}) : std::nullopt, 1 + i % 2});
        }
        std::vector<QCoro::Task<Result<QList<StageHit>>>> running;
        for (const Asked &question : asked)
            running.push_back(m_vectors->search(model, question.vector, question.allowed, question.k));
        auto wrongLength = m_vectors->search(model, QList<float>(7, 1.0f), std::nullopt, 3);

        std::vector<QList<StageHit>> together;
        for (auto &task : running)
            together.push_back(mustSucceed(std::move(task)));
        const auto refused = QCoro::waitFor(std::move(wrongLength));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Configuration);
        for (size_t i = 0; i < asked.size(); ++i) {
            const QList<StageHit> alone = mustSucceed(m_vectors->search(model, asked[i].vector, asked[i].allowed,
                                                                        asked[i].k));
            QCOMPARE(together[i].size(), asked[i].allowed ? 1 : asked[i].k); // the router has one chunk
            QCOMPARE(together[i].size(), alone.size());
            for (qsizetype h = 0; h < alone.size(); ++h) {
                QCOMPARE(together[i][h].chunkId, alone[h].chunkId);
                QCOMPARE(together[i][h].score, alone[h].score);
            }
        }
        // The filtered ones found only the router's chunk; the others found the closest chunk.
        QCOMPARE(together[2].size(), 1);
        QCOMPARE(together[0].first().chunkId, together[4].first().chunkId);
        QVERIFY(together[0].first().chunkId != together[1].first().chunkId);
    }

    void filtersApplyToTheVectorStage()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        RetrievalOptions options;
        options.fileSuffixes = {u"pdf"_s};
        QVERIFY(search(u"photosynthetic"_s, options).hits.isEmpty());
        options.fileSuffixes.clear();
        options.documentIds = {m_router};
        QCOMPARE(documentsOf(search(u"photosynthetic"_s, options)), QList<qint64>{m_router});
    }

    void topNAndThresholdCutTheHits()
    {
        mustSucceed(m_fixture->knowledgeBases->setEmbeddingModel(m_fixture->english.id, model));
        RetrievalOptions options;
        options.similarityThreshold = 0;
        options.topN = 1;
        QCOMPARE(mustSucceed(m_retriever->search(u"the router and the leaves"_s, options)).hits.size(), 1);
        options.topN = 10;
        const RetrievalResult all = mustSucceed(m_retriever->search(u"the router and the leaves"_s, options));
        QCOMPARE(all.hits.size(), 2);
        // A threshold between the two hits' weighted similarities keeps only the better one.
        options.similarityThreshold = (all.hits[0].weightedSimilarity + all.hits[1].weightedSimilarity) / 2;
        const RetrievalResult cut = mustSucceed(m_retriever->search(u"the router and the leaves"_s, options));
        QCOMPARE(cut.hits.size(), 1);
        QCOMPARE(cut.hits.first().chunkId, all.hits.first().chunkId);
    }

    void aCancelledSearchSaysSo()
    {
        CancelToken cancel;
        cancel.cancel();
        const auto result = QCoro::waitFor(m_retriever->search(u"router"_s, {}, cancel));
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestHybridRetriever)
#include "tst_hybridretriever.moc"
