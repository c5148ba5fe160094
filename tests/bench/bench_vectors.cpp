// ragdesk-bench-vectors: the in-memory vector search at 10^4, 10^5 and 10^6 chunks of 384
// dimensions (clustered synthetic data, see tests/core/retrieval/SyntheticVectors.h).
//   ragdesk-bench-vectors [--min N] [--max N] [--hnsw-max N] [--queries Q] [--clusters C]
//                         [--m M] [--ef-construction E] [--ef E1,E2,...]
// For each size: the raw kernel speed of every instruction set this CPU has, then the exact scan
// (float32 and int8 with rescoring) on 1 and 2 threads: vectors/s, per thread, p50/p95 latency of
// a top-20 search and recall@10 against float32; then HNSW (up to --hnsw-max, default 10^5,
// because building 10^6 takes minutes on two cores): build time, memory, and for several ef the
// p50/p95 latency and recall@10 against the exact scan. Prints figures; no pass or fail.

#include "core/retrieval/HnswVectorIndex.h"
#include "core/retrieval/QuantisedQuery.h"
#include "core/retrieval/VectorKernels.h"
#include "core/retrieval/VectorMatrix.h"
#include "core/retrieval/VectorScan.h"
#include "tests/core/retrieval/SyntheticVectors.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::test::SyntheticVectors;

namespace {

constexpr int dimensions = 384;
constexpr int topK = 20;

struct Latencies {
    std::vector<double> ms;
    double totalMs = 0;
    double percentile(double p) const
    {
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        return sorted.empty() ? 0 : sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size())))];
    }
};

template<class Search>
Latencies timeQueries(const std::vector<std::vector<float>> &queries, Search search)
{
    search(queries.front()); // warm caches and the pool's threads
    Latencies latencies;
    for (const std::vector<float> &query : queries) {
        QElapsedTimer timer;
        timer.start();
        search(query);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        latencies.ms.push_back(ms);
        latencies.totalMs += ms;
    }
    return latencies;
}

double recallAt10(const QList<StageHit> &truth, const QList<StageHit> &found)
{
    const qsizetype n = std::min<qsizetype>(10, truth.size());
    int shared = 0;
    for (qsizetype i = 0; i < n; ++i) {
        for (qsizetype j = 0; j < std::min<qsizetype>(10, found.size()); ++j)
            shared += truth[i].chunkId == found[j].chunkId ? 1 : 0;
    }
    return n == 0 ? 1.0 : double(shared) / double(n);
}

void benchKernels(const VectorMatrix &matrix, const std::vector<float> &query)
{
    // One thread, no heap: what the instruction set alone gives.
    std::vector<float> unit(size_t(matrix.floatStride()), 0.0f);
    VectorMatrix::normalise(query, unit);
    const QuantisedQuery int8Query = QuantisedQuery::fromUnit(unit, matrix.int8Stride());
    std::vector<float> floatOut(size_t(matrix.size()));
    std::vector<std::int32_t> intOut(size_t(matrix.size()));
    for (size_t set = 0; set < VectorKernels::availableCount(); ++set) {
        const VectorKernels &kernels = VectorKernels::available(set);
        QElapsedTimer timer;
        timer.start();
        kernels.dotsFloat(unit.data(), matrix.floatData(), size_t(matrix.size()), size_t(matrix.floatStride()),
                          floatOut.data());
        const double floatSeconds = double(timer.nsecsElapsed()) / 1e9;
        timer.restart();
        kernels.dotsInt8(int8Query.view(), matrix.int8Data(), size_t(matrix.size()),
                         size_t(matrix.int8Stride()), intOut.data());
        const double int8Seconds = double(timer.nsecsElapsed()) / 1e9;
        std::printf("  kernel %-10s 1 thread: float32 %7.2f M vectors/s, int8 %7.2f M vectors/s\n", kernels.name,
                    double(matrix.size()) / floatSeconds / 1e6, double(matrix.size()) / int8Seconds / 1e6);
    }
}

void benchExact(const VectorMatrix &matrix, const std::vector<std::vector<float>> &queries, QThreadPool &pool)
{
    std::vector<QList<StageHit>> truth;
    for (const std::vector<float> &query : queries) {
        VectorScanOptions options;
        options.k = topK;
        options.mode = VectorScanMode::Float32;
        options.pool = &pool;
        truth.push_back(VectorScan::search(matrix, query, options));
    }
    for (const VectorScanMode mode : {VectorScanMode::Float32, VectorScanMode::Int8Rescored}) {
        for (const int threads : {1, 2}) {
            VectorScanOptions options;
            options.k = topK;
            options.mode = mode;
            options.threads = threads;
            options.pool = &pool;
            const Latencies latencies = timeQueries(queries, [&](const std::vector<float> &query) {
                VectorScan::search(matrix, query, options);
            });
            double recall = 0;
            for (size_t q = 0; q < queries.size(); ++q)
                recall += recallAt10(truth[q], VectorScan::search(matrix, queries[q], options));
            const double perSecond = double(matrix.size()) * double(queries.size()) / (latencies.totalMs / 1e3);
            std::printf("  exact %-7s %d thread%s: %7.2f M vectors/s (%6.2f M/s per thread)  top-%d p50 %8.2f ms"
                        "  p95 %8.2f ms  recall@10 %.4f\n",
                        mode == VectorScanMode::Float32 ? "float32" : "int8", threads, threads > 1 ? "s" : " ",
                        perSecond / 1e6, perSecond / 1e6 / threads, topK, latencies.percentile(0.5),
                        latencies.percentile(0.95), recall / double(queries.size()));
        }
    }
}

/// Concurrent searches share one pass over the matrix (VectorIndex batches them through
/// VectorScan::searchMany): what a batch of n costs against n single scans.
void benchBatches(const VectorMatrix &matrix, const std::vector<std::vector<float>> &queries, QThreadPool &pool)
{
    VectorScanOptions options;
    options.pool = &pool;
    for (const size_t size : {size_t(1), size_t(5), size_t(20)}) {
        if (size > queries.size())
            break;
        std::vector<VectorQuery> batch;
        for (size_t q = 0; q < size; ++q)
            batch.push_back({queries[q], topK, nullptr});
        Latencies latencies;
        for (int round = 0; round < 5; ++round) {
            QElapsedTimer timer;
            timer.start();
            VectorScan::searchMany(matrix, batch, options);
            latencies.ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        std::printf("  batch of %2zu int8, 2 threads: %8.2f ms per batch (p50 of 5), %6.2f ms per query\n", size,
                    latencies.percentile(0.5), latencies.percentile(0.5) / double(size));
    }
}

void benchHnsw(const VectorMatrix &matrix, const std::vector<std::vector<float>> &queries, QThreadPool &pool,
               HnswParameters parameters, const QList<int> &efs)
{
    std::vector<QList<StageHit>> truth;
    for (const std::vector<float> &query : queries) {
        VectorScanOptions options;
        options.k = 10;
        options.mode = VectorScanMode::Float32;
        options.pool = &pool;
        truth.push_back(VectorScan::search(matrix, query, options));
    }
    HnswVectorIndex index(parameters);
    QElapsedTimer timer;
    timer.start();
    index.build(matrix, pool.maxThreadCount(), &pool);
    std::printf("  hnsw M %d efConstruction %d: build %.1f s on %d threads, %.0f MB\n", index.parameters().m,
                index.parameters().efConstruction, double(timer.elapsed()) / 1e3, pool.maxThreadCount(),
                double(index.memoryBytes()) / 1e6);
    for (const int ef : efs) {
        index.setEfSearch(ef);
        const Latencies latencies = timeQueries(queries, [&](const std::vector<float> &query) {
            static_cast<void>(index.search(query, topK));
        });
        double recall = 0;
        for (size_t q = 0; q < queries.size(); ++q)
            recall += recallAt10(truth[q], index.search(queries[q], topK));
        std::printf("  hnsw ef %3d (1 thread): top-%d p50 %7.3f ms  p95 %7.3f ms  recall@10 %.4f\n", ef, topK,
                    latencies.percentile(0.5), latencies.percentile(0.95), recall / double(queries.size()));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"In-memory vector search benchmark"_s);
    parser.addHelpOption();
    parser.addOption({u"min"_s, u"Smallest matrix size (default 10000)."_s, u"N"_s, u"10000"_s});
    parser.addOption({u"max"_s, u"Largest matrix size (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"hnsw-max"_s, u"Largest size HNSW is built for (default 100000)."_s, u"N"_s, u"100000"_s});
    parser.addOption({u"queries"_s, u"Queries per measurement (default 50)."_s, u"Q"_s, u"50"_s});
    parser.addOption({u"clusters"_s, u"Topic clusters in the data (default 1000)."_s, u"C"_s, u"1000"_s});
    parser.addOption({u"m"_s, u"HNSW links per node (default 16)."_s, u"M"_s, u"16"_s});
    parser.addOption({u"ef-construction"_s, u"HNSW build candidate list (default 100)."_s, u"E"_s, u"100"_s});
    parser.addOption({u"ef"_s, u"HNSW search candidate lists to measure."_s, u"LIST"_s, u"16,32,64,96,128,256,512"_s});
    parser.process(app);
    HnswParameters hnsw;
    hnsw.m = std::max(parser.value(u"m"_s).toInt(), 2);
    hnsw.efConstruction = std::max(parser.value(u"ef-construction"_s).toInt(), 1);
    QList<int> efs;
    for (const QString &ef : parser.value(u"ef"_s).split(u',', Qt::SkipEmptyParts))
        efs.append(std::max(ef.toInt(), 1));
    const qint64 minRows = parser.value(u"min"_s).toLongLong();
    const qint64 maxRows = parser.value(u"max"_s).toLongLong();
    const qint64 hnswMax = parser.value(u"hnsw-max"_s).toLongLong();
    const int queryCount = std::max(parser.value(u"queries"_s).toInt(), 2);
    const int clusters = std::max(parser.value(u"clusters"_s).toInt(), 1);

    QThreadPool pool;
    pool.setMaxThreadCount(2);
    std::printf("ragdesk-bench-vectors: %d dims, %d clusters (spread 1.0), %d queries, kernels in use: %s, "
                "ideal thread count %d\n",
                dimensions, clusters, queryCount, VectorKernels::best().name, QThread::idealThreadCount());
    for (const qint64 rows : {qint64(10'000), qint64(100'000), qint64(1'000'000)}) {
        if (rows > maxRows)
            break;
        if (rows < minRows)
            continue;
        SyntheticVectors generator(dimensions, clusters, 1.0, 20'261'127);
        VectorMatrix matrix(dimensions);
        matrix.reserve(rows);
        QElapsedTimer timer;
        timer.start();
        std::vector<float> vector(dimensions);
        for (qint64 r = 0; r < rows; ++r) {
            generator.fill(vector);
            matrix.append(r, r / 20, vector);
        }
        std::vector<std::vector<float>> queries;
        for (int q = 0; q < queryCount; ++q)
            queries.push_back(generator.next());
        std::printf("\nN = %lld: matrix %.0f MB (float32 + int8), filled in %.1f s\n", static_cast<long long>(rows),
                    double(matrix.memoryBytes()) / 1e6, double(timer.elapsed()) / 1e3);
        benchKernels(matrix, queries.front());
        benchExact(matrix, queries, pool);
        benchBatches(matrix, queries, pool);
        if (rows <= hnswMax)
            benchHnsw(matrix, queries, pool, hnsw, efs);
        else
            std::printf("  hnsw skipped (N > --hnsw-max %lld)\n", static_cast<long long>(hnswMax));
        std::fflush(stdout);
    }
    return 0;
}
