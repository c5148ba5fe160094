#include "core/retrieval/QuantisedQuery.h"
#include "core/retrieval/VectorKernels.h"
#include "core/retrieval/VectorMatrix.h"
#include "core/retrieval/VectorScan.h"
#include "tests/core/retrieval/SyntheticVectors.h"

#include <QTest>
#include <QThreadPool>

#include <algorithm>
#include <cmath>
#include <random>

using namespace ragdesk;
using ragdesk::test::SyntheticVectors;
using ragdesk::test::idsOf;
using ragdesk::test::recall;

namespace {

constexpr int dimensions = 384;
constexpr int chunksPerDocument = 10;

qint64 chunkIdOf(qsizetype row) { return 1000 + row; }
qint64 documentIdOf(qsizetype row) { return row / chunksPerDocument; }

/// The brute-force truth, in double precision over the raw (unnormalised) inputs.
QList<qint64> referenceTop(const std::vector<std::vector<float>> &rows, const std::vector<float> &query, int k,
                           const QSet<qint64> *allowed = nullptr)
{
    auto unit = [](const std::vector<float> &v) {
        double squares = 0;
        for (const float x : v)
            squares += double(x) * x;
        std::vector<double> out(v.size());
        for (size_t i = 0; i < v.size(); ++i)
            out[i] = v[i] / std::sqrt(squares);
        return out;
    };
    const std::vector<double> q = unit(query);
    std::vector<std::pair<double, qsizetype>> scored;
    for (size_t r = 0; r < rows.size(); ++r) {
        if (allowed && !allowed->contains(documentIdOf(qsizetype(r))))
            continue;
        const std::vector<double> row = unit(rows[r]);
        double dot = 0;
        for (size_t i = 0; i < row.size(); ++i)
            dot += row[i] * q[i];
        scored.emplace_back(dot, qsizetype(r));
    }
    std::sort(scored.begin(), scored.end(), [](const auto &a, const auto &b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    QList<qint64> ids;
    for (size_t i = 0; i < scored.size() && i < size_t(k); ++i)
        ids.append(chunkIdOf(scored[i].second));
    return ids;
}

} // namespace

class TestVectorScan : public QObject
{
    Q_OBJECT

private:
    std::vector<std::vector<float>> m_rows;
    std::vector<std::vector<float>> m_queries;
    VectorMatrix m_matrix{dimensions};

private Q_SLOTS:
    void initTestCase()
    {
        // Uniform noise: the int8 pass's hardest case, as its neighbours are barely separated.
        SyntheticVectors generator(dimensions, 1, 1.0, 20'261'126);
        for (int r = 0; r < 5000; ++r) {
            m_rows.push_back(generator.nextUniform());
            QVERIFY(m_matrix.append(chunkIdOf(r), documentIdOf(r), m_rows.back()));
        }
        for (int q = 0; q < 20; ++q)
            m_queries.push_back(generator.nextUniform());
        QCOMPARE(m_matrix.size(), 5000);
    }

    void everyKernelSetComputesExactDots()
    {
        std::mt19937 random(7);
        std::uniform_int_distribution<int> small(-127, 127);
        std::uniform_real_distribution<float> real(-1.0f, 1.0f);
        const size_t stride = 2 * VectorKernels::int8StrideMultiple;
        const size_t rowCount = 5;
        std::vector<float> floats(stride * rowCount), floatQuery(stride);
        std::vector<std::int8_t> bytes(stride * rowCount), byteQuery(stride);
        for (float &x : floats)
            x = real(random);
        for (float &x : floatQuery)
            x = real(random);
        for (std::int8_t &x : bytes)
            x = std::int8_t(small(random));
        for (std::int8_t &x : byteQuery)
            x = std::int8_t(small(random));
        bytes[0] = -127; // the extremes must not overflow the int16 pair sums
        byteQuery[0] = -127;
        bytes[1] = 127;
        byteQuery[1] = 127;
        const QuantisedQuery query(byteQuery);
        QVERIFY(VectorKernels::availableCount() >= 1);
        for (size_t set = 0; set < VectorKernels::availableCount(); ++set) {
            const VectorKernels &kernels = VectorKernels::available(set);
            std::vector<float> floatOut(rowCount);
            std::vector<std::int32_t> intOut(rowCount);
            kernels.dotsFloat(floatQuery.data(), floats.data(), rowCount, stride, floatOut.data());
            kernels.dotsInt8(query.view(), bytes.data(), rowCount, stride, intOut.data());
            for (size_t r = 0; r < rowCount; ++r) {
                double floatDot = 0;
                std::int32_t intDot = 0;
                for (size_t i = 0; i < stride; ++i) {
                    floatDot += double(floats[r * stride + i]) * floatQuery[i];
                    intDot += std::int32_t(bytes[r * stride + i]) * byteQuery[i];
                }
                QVERIFY2(std::abs(floatOut[r] - floatDot) < 1e-4, kernels.name);
                QCOMPARE(intOut[r], intDot);
            }
        }
    }

    void float32MatchesReference()
    {
        VectorScanOptions options;
        options.k = 10;
        options.mode = VectorScanMode::Float32;
        for (const std::vector<float> &query : m_queries) {
            const QList<StageHit> hits = VectorScan::search(m_matrix, query, options);
            QCOMPARE(idsOf(hits), referenceTop(m_rows, query, 10));
            for (qsizetype i = 1; i < hits.size(); ++i)
                QVERIFY(hits[i - 1].score >= hits[i].score);
            QVERIFY(hits.first().score <= 1.0 + 1e-6);
        }
    }

    void int8RescoredRecallsReference()
    {
        VectorScanOptions options;
        options.k = 10;
        options.mode = VectorScanMode::Int8Rescored;
        VectorScanOptions exact = options;
        exact.mode = VectorScanMode::Float32;
        double total = 0;
        for (const std::vector<float> &query : m_queries) {
            const QList<StageHit> hits = VectorScan::search(m_matrix, query, options);
            QCOMPARE(hits.size(), 10);
            total += recall(referenceTop(m_rows, query, 10), idsOf(hits));
            // Rescored hits carry the exact float32 score, not the int8 estimate.
            const QList<StageHit> exactHits = VectorScan::search(m_matrix, query, exact);
            for (const StageHit &hit : hits) {
                const auto same = std::find_if(exactHits.begin(), exactHits.end(),
                                               [&](const StageHit &e) { return e.chunkId == hit.chunkId; });
                if (same != exactHits.end())
                    QCOMPARE(hit.score, same->score);
            }
        }
        const double meanRecall = total / double(m_queries.size());
        QVERIFY2(meanRecall >= 0.99, qPrintable(QString::number(meanRecall)));
    }

    void filterKeepsOnlyAllowedDocuments_data()
    {
        QTest::addColumn<VectorScanMode>("mode");
        QTest::newRow("float32") << VectorScanMode::Float32;
        QTest::newRow("int8") << VectorScanMode::Int8Rescored;
    }

    void filterKeepsOnlyAllowedDocuments()
    {
        QFETCH(VectorScanMode, mode);
        const QSet<qint64> allowed{3, 77, 301, 499};
        VectorScanOptions options;
        options.k = 10;
        options.mode = mode;
        options.allowedDocumentIds = &allowed;
        for (const std::vector<float> &query : m_queries) {
            const QList<StageHit> hits = VectorScan::search(m_matrix, query, options);
            QCOMPARE(hits.size(), 10);
            for (const StageHit &hit : hits)
                QVERIFY(allowed.contains(documentIdOf(hit.chunkId - 1000)));
            QVERIFY(recall(referenceTop(m_rows, query, 10, &allowed), idsOf(hits)) >= 0.9);
        }
        // Fewer allowed rows than k: all of them, nothing else.
        const QSet<qint64> one{42};
        options.allowedDocumentIds = &one;
        QCOMPARE(VectorScan::search(m_matrix, m_queries.front(), options).size(), chunksPerDocument);
        // An empty set means no filter.
        const QSet<qint64> none;
        options.allowedDocumentIds = &none;
        QCOMPARE(VectorScan::search(m_matrix, m_queries.front(), options).size(), 10);
    }

    void kLargerThanSizeReturnsEveryRow()
    {
        VectorMatrix small(dimensions);
        for (int r = 0; r < 7; ++r)
            QVERIFY(small.append(chunkIdOf(r), documentIdOf(r), m_rows[size_t(r)]));
        for (const VectorScanMode mode : {VectorScanMode::Float32, VectorScanMode::Int8Rescored}) {
            VectorScanOptions options;
            options.k = 20;
            options.mode = mode;
            const QList<StageHit> hits = VectorScan::search(small, m_queries.front(), options);
            QCOMPARE(idsOf(hits), referenceTop({m_rows.begin(), m_rows.begin() + 7}, m_queries.front(), 20));
        }
    }

    void degenerateInputsGiveNothing()
    {
        VectorMatrix empty(dimensions);
        QCOMPARE(empty.size(), 0);
        QVERIFY(VectorScan::search(empty, m_queries.front()).isEmpty());
        const std::vector<float> shortQuery(10, 1.0f);
        QVERIFY(VectorScan::search(m_matrix, shortQuery).isEmpty());
        const std::vector<float> zero(dimensions, 0.0f);
        QVERIFY(VectorScan::search(m_matrix, zero).isEmpty());
        VectorScanOptions none;
        none.k = 0;
        QVERIFY(VectorScan::search(m_matrix, m_queries.front(), none).isEmpty());
        // Vectors without a direction or of the wrong size are refused, not stored.
        QVERIFY(!empty.append(1, 1, zero));
        QVERIFY(!empty.append(1, 1, shortQuery));
        std::vector<float> notANumber(dimensions, 1.0f);
        notANumber[5] = std::nanf("");
        QVERIFY(!empty.append(1, 1, notANumber));
        QCOMPARE(empty.size(), 0);
    }

    void rowsAreUnitLength()
    {
        for (const qsizetype row : {qsizetype(0), qsizetype(2500), qsizetype(4999)}) {
            double squares = 0;
            for (const float x : m_matrix.row(row))
                squares += double(x) * x;
            QVERIFY(std::abs(squares - 1.0) < 1e-5);
        }
        QVERIFY(m_matrix.memoryBytes() >= qint64(5000) * dimensions * 5);
    }

    void removalDropsRowsAndKeepsTheRest()
    {
        VectorMatrix matrix(dimensions);
        for (int r = 0; r < 2000; ++r)
            QVERIFY(matrix.append(chunkIdOf(r), documentIdOf(r), m_rows[size_t(r)]));
        const QSet<qint64> goneDocuments{0, 5, 199};
        QCOMPARE(matrix.removeDocuments(goneDocuments), 3 * chunksPerDocument);
        const QSet<qint64> goneChunks{chunkIdOf(11), chunkIdOf(1989)};
        QCOMPARE(matrix.removeChunks(goneChunks), 2);
        QCOMPARE(matrix.removeChunks({}), 0);
        QCOMPARE(matrix.size(), 2000 - 32);

        // The truth over the surviving rows, with their original ids.
        QSet<qint64> allowed;
        for (qint64 document = 0; document < 200; ++document) {
            if (!goneDocuments.contains(document))
                allowed.insert(document);
        }
        for (const std::vector<float> &query : m_queries) {
            VectorScanOptions options;
            options.k = 10;
            options.mode = VectorScanMode::Float32;
            QList<qint64> truth = referenceTop({m_rows.begin(), m_rows.begin() + 2000}, query, 12, &allowed);
            truth.removeAll(chunkIdOf(11));
            truth.removeAll(chunkIdOf(1989));
            truth.resize(10);
            QCOMPARE(idsOf(VectorScan::search(matrix, query, options)), truth);
        }
        // Rows moved down keep their own ids and vectors.
        QCOMPARE(matrix.chunkId(0), chunkIdOf(10));
        QCOMPARE(matrix.documentId(0), 1);
        QCOMPARE(matrix.chunkId(1), chunkIdOf(12));
        // rowOf follows every move: each surviving chunk finds its own row, removed ones none.
        for (qsizetype row = 0; row < matrix.size(); ++row)
            QCOMPARE(matrix.rowOf(matrix.chunkId(row)), row);
        QCOMPARE(matrix.rowOf(chunkIdOf(11)), -1);
        QCOMPARE(matrix.rowOf(chunkIdOf(0)), -1); // document 0 went
        QCOMPARE(matrix.rowOf(-42), -1);
        matrix.clear();
        QVERIFY(matrix.isEmpty());
        QCOMPARE(matrix.rowOf(chunkIdOf(10)), -1);
        QVERIFY(VectorScan::search(matrix, m_queries.front()).isEmpty());
    }

    void threadsDoNotChangeTheResult_data()
    {
        QTest::addColumn<VectorScanMode>("mode");
        QTest::newRow("float32") << VectorScanMode::Float32;
        QTest::newRow("int8") << VectorScanMode::Int8Rescored;
    }

    void threadsDoNotChangeTheResult()
    {
        QFETCH(VectorScanMode, mode);
        QThreadPool pool;
        pool.setMaxThreadCount(4);
        VectorScanOptions single;
        single.k = 25;
        single.mode = mode;
        single.threads = 1;
        VectorScanOptions several = single;
        several.threads = 4;
        several.pool = &pool;
        for (const std::vector<float> &query : m_queries) {
            const QList<StageHit> one = VectorScan::search(m_matrix, query, single);
            const QList<StageHit> four = VectorScan::search(m_matrix, query, several);
            QCOMPARE(idsOf(four), idsOf(one));
            for (qsizetype i = 0; i < one.size(); ++i)
                QCOMPARE(four[i].score, one[i].score);
        }
    }

    void batchAnswersEachQueryAsAlone_data()
    {
        QTest::addColumn<VectorScanMode>("mode");
        QTest::newRow("float32") << VectorScanMode::Float32;
        QTest::newRow("int8") << VectorScanMode::Int8Rescored;
    }

    void batchAnswersEachQueryAsAlone()
    {
        // Each query brings its own k and filter, and a query that cannot match (wrong length,
        // no direction, k 0) gets nothing without disturbing the rest of the batch.
        QFETCH(VectorScanMode, mode);
        const QSet<qint64> someDocuments{3, 77, 301, 499};
        const std::vector<float> shortQuery(dimensions - 1, 1.0f);
        const std::vector<float> zero(dimensions, 0.0f);
        std::vector<VectorQuery> batch;
        for (size_t q = 0; q < m_queries.size(); ++q)
            batch.push_back({m_queries[q], int(5 + q), q % 3 == 1 ? &someDocuments : nullptr});
        batch.insert(batch.begin() + 4, VectorQuery{shortQuery, 10, nullptr});
        batch.insert(batch.begin() + 9, VectorQuery{zero, 10, nullptr});
        batch.push_back({m_queries.front(), 0, nullptr});

        VectorScanOptions options;
        options.mode = mode;
        const std::vector<QList<StageHit>> together = VectorScan::searchMany(m_matrix, batch, options);
        QCOMPARE(together.size(), batch.size());
        for (size_t q = 0; q < batch.size(); ++q) {
            VectorScanOptions alone = options;
            alone.k = batch[q].k;
            alone.allowedDocumentIds = batch[q].allowedDocumentIds;
            const QList<StageHit> expected = VectorScan::search(m_matrix, batch[q].vector, alone);
            QCOMPARE(idsOf(together[q]), idsOf(expected));
            for (qsizetype i = 0; i < expected.size(); ++i)
                QCOMPARE(together[q][i].score, expected[i].score);
        }
        QVERIFY(together[4].isEmpty());
        QVERIFY(together[9].isEmpty());
        QVERIFY(together.back().isEmpty());
        QCOMPARE(together[0].size(), 5);
        if (mode == VectorScanMode::Float32)
            QCOMPARE(idsOf(together[0]), referenceTop(m_rows, m_queries[0], 5));
        for (const StageHit &hit : together[1])
            QVERIFY(someDocuments.contains(documentIdOf(hit.chunkId - 1000)));
        QVERIFY(VectorScan::searchMany(m_matrix, {}, options).empty());
    }

    void saturatedPoolDoesNotDeadlock()
    {
        // A scan started from inside a one-thread pool: its helper can never start, so the
        // caller must do all the work itself rather than wait.
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        QList<StageHit> hits;
        pool.start([&] {
            VectorScanOptions options;
            options.k = 10;
            options.mode = VectorScanMode::Float32;
            options.threads = 2;
            options.pool = &pool;
            hits = VectorScan::search(m_matrix, m_queries.front(), options);
        });
        QVERIFY(pool.waitForDone(30'000));
        QCOMPARE(idsOf(hits), referenceTop(m_rows, m_queries.front(), 10));
    }
};

QTEST_GUILESS_MAIN(TestVectorScan)
#include "tst_vectorscan.moc"
