#include "core/retrieval/HnswVectorIndex.h"
#include "core/retrieval/VectorMatrix.h"
#include "core/retrieval/VectorScan.h"
#include "tests/core/retrieval/SyntheticVectors.h"

#include <QTest>

using namespace ragdesk;
using ragdesk::test::SyntheticVectors;
using ragdesk::test::idsOf;
using ragdesk::test::recall;

namespace {

constexpr int dimensions = 384;
constexpr int rows = 20'000;
constexpr int chunksPerDocument = 20;

} // namespace

class TestHnswVectorIndex : public QObject
{
    Q_OBJECT

private:
    VectorMatrix m_matrix{dimensions};
    std::vector<std::vector<float>> m_queries;
    HnswVectorIndex m_index;

private Q_SLOTS:
    void initTestCase()
    {
        // 200 topics with gaussian spread: what real embeddings look like, unlike uniform noise.
        SyntheticVectors generator(dimensions, 200, 1.0, 4242);
        m_matrix.reserve(rows);
        for (int r = 0; r < rows; ++r)
            QVERIFY(m_matrix.append(5'000'000 + r, r / chunksPerDocument, generator.next()));
        for (int q = 0; q < 100; ++q)
            m_queries.push_back(generator.next());
        m_index.build(m_matrix);
        QCOMPARE(m_index.size(), rows);
        QVERIFY(m_index.memoryBytes() > qint64(rows) * dimensions * 4);
    }

    void recallAgainstExactScan()
    {
        VectorScanOptions exact;
        exact.k = 10;
        exact.mode = VectorScanMode::Float32;
        double total = 0;
        for (const std::vector<float> &query : m_queries) {
            const QList<StageHit> hits = m_index.search(query, 10);
            QCOMPARE(hits.size(), 10);
            for (qsizetype i = 1; i < hits.size(); ++i)
                QVERIFY(hits[i - 1].score >= hits[i].score);
            total += recall(idsOf(VectorScan::search(m_matrix, query, exact)), idsOf(hits));
        }
        const double meanRecall = total / double(m_queries.size());
        qInfo("recall@10 %.4f with M %d, efConstruction %d, ef %d", meanRecall, m_index.parameters().m,
              m_index.parameters().efConstruction, m_index.parameters().efSearch);
        QVERIFY2(meanRecall >= 0.95, qPrintable(QString::number(meanRecall)));
    }

    void scoresAreCosines()
    {
        VectorScanOptions exact;
        exact.k = 1;
        exact.mode = VectorScanMode::Float32;
        const QList<StageHit> best = VectorScan::search(m_matrix, m_queries.front(), exact);
        const QList<StageHit> hits = m_index.search(m_queries.front(), 1);
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.first().chunkId, best.first().chunkId);
        QVERIFY(std::abs(hits.first().score - best.first().score) < 1e-5);
    }

    void filterKeepsOnlyAllowedDocuments()
    {
        // A quarter of the documents: the share at which the graph walk still finds enough.
        QSet<qint64> allowed;
        for (qint64 document = 0; document < rows / chunksPerDocument; document += 4)
            allowed.insert(document);
        VectorScanOptions exact;
        exact.k = 10;
        exact.mode = VectorScanMode::Float32;
        exact.allowedDocumentIds = &allowed;
        double total = 0;
        for (const std::vector<float> &query : m_queries) {
            const QList<StageHit> hits = m_index.search(query, 10, &allowed);
            QCOMPARE(hits.size(), 10);
            for (const StageHit &hit : hits)
                QVERIFY(allowed.contains((hit.chunkId - 5'000'000) / chunksPerDocument));
            total += recall(idsOf(VectorScan::search(m_matrix, query, exact)), idsOf(hits));
        }
        const double meanRecall = total / double(m_queries.size());
        qInfo("filtered recall@10 %.4f", meanRecall);
        QVERIFY2(meanRecall >= 0.9, qPrintable(QString::number(meanRecall)));
    }

    void degenerateInputs()
    {
        HnswVectorIndex unbuilt;
        QVERIFY(unbuilt.search(m_queries.front(), 10).isEmpty());
        HnswVectorIndex empty;
        empty.build(VectorMatrix(dimensions));
        QCOMPARE(empty.size(), 0);
        QVERIFY(empty.search(m_queries.front(), 10).isEmpty());
        QVERIFY(m_index.search(std::vector<float>(3, 1.0f), 10).isEmpty());
        QVERIFY(m_index.search(std::vector<float>(dimensions, 0.0f), 10).isEmpty());
        QVERIFY(m_index.search(m_queries.front(), 0).isEmpty());
    }

    void rebuildSeesNewRows()
    {
        VectorMatrix matrix(dimensions);
        SyntheticVectors generator(dimensions, 5, 1.0, 9);
        for (int r = 0; r < 50; ++r)
            QVERIFY(matrix.append(r, r, generator.next()));
        HnswVectorIndex index;
        index.build(matrix, 1);
        QCOMPARE(index.search(m_queries.front(), 100).size(), 50);
        matrix.removeDocuments({0, 1, 2});
        index.build(matrix, 1);
        const QList<qint64> ids = idsOf(index.search(m_queries.front(), 100));
        QCOMPARE(ids.size(), 47);
        QVERIFY(!ids.contains(0) && !ids.contains(1) && !ids.contains(2));
    }
};

QTEST_GUILESS_MAIN(TestHnswVectorIndex)
#include "tst_hnswvectorindex.moc"
