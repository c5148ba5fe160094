#include "app/cli/BenchRetrievalCommand.h"

#include "app/cli/Percentiles.h"
#include "app/cli/SyntheticChunks.h"
#include "app/cli/SyntheticKnowledgeBases.h"
#include "core/ingest/IngestionStack.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/KnowledgeBaseStore.h"
#include "core/storage/ProfileDatabase.h"

#include <QCoroFuture>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>
#include <QThread>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

const QString completeMarker = u"bench-complete"_s;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct QueryKind {
    QString name;
    bool vectors = false;
    bool filtered = false;
};

struct Measured {
    Percentiles total;
    Percentiles withoutEmbedding;
    Percentiles vectorStage;
    Percentiles keywordStage;
};

QJsonObject toJson(const Percentiles &p)
{
    return QJsonObject{{u"p50"_s, p.p50}, {u"p95"_s, p.p95}, {u"max"_s, p.max}};
}

} // namespace

void BenchRetrievalCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"sizes"_s, u"bench-retrieval: corpus sizes in chunks, comma-separated."_s, u"LIST"_s, u"10000,100000,1000000"_s},
        {u"query-count"_s, u"bench-retrieval: queries per query type."_s, u"N"_s, u"100"_s},
        {u"corpus-dir"_s, u"bench-retrieval: where the built corpora are kept for the next run."_s, u"DIR"_s},
    });
}

QCoro::Task<int> BenchRetrievalCommand::run(CliContext context)
{
    const QCommandLineParser &parser = *context.parser;
    if (!context.provider.baseUrl.isValid()) {
        QTextStream(stderr) << "ragdesk-cli: bench-retrieval embeds its queries; pass --base-url (see scripts/bench-retrieval.sh)\n";
        co_return 2;
    }
    QString root = parser.value(u"corpus-dir"_s);
    if (root.isEmpty())
        root = QDir::temp().filePath(u"ragdesk-bench-retrieval"_s);
    const int queryCount = std::max(1, parser.value(u"query-count"_s).toInt());
    const SyntheticChunks corpus;
    QNetworkAccessManager network;

    out() << u"# bench-retrieval: %1 queries per type, %2 threads, top 20\n"_s.arg(queryCount).arg(QThread::idealThreadCount());
    QJsonArray report;
    QHash<QString, double> previousP95;
    for (const QString &sizeText : parser.value(u"sizes"_s).split(u',', Qt::SkipEmptyParts)) {
        const qint64 size = sizeText.trimmed().toLongLong();
        if (size < SyntheticKnowledgeBases::chunksPerDocument * SyntheticKnowledgeBases::knowledgeBaseCount) {
            QTextStream(stderr) << "ragdesk-cli: size " << sizeText << " is too small\n";
            co_return 2;
        }
        const QString dir = QDir(root).filePath(u"chunks-%1"_s.arg(size));
        const bool cached = QFile::exists(QDir(dir).filePath(completeMarker));
        if (!cached)
            QDir(dir).removeRecursively();
        out() << u"## %1 chunks (%2)\n"_s.arg(size).arg(cached ? u"cached"_s : u"building"_s) << Qt::flush;

        auto profile = co_await ProfileDatabase::open(dir);
        if (!profile) {
            QTextStream(stderr) << "ragdesk-cli: " << profile.error().message << '\n';
            co_return 1;
        }
        IngestionStack::Options ingestOptions;
        ingestOptions.watchFolders = false;
        auto stack = co_await IngestionStack::open(*profile, dir, ingestOptions);
        if (!stack) {
            QTextStream(stderr) << "ragdesk-cli: " << stack.error().message << '\n';
            co_return 1;
        }
        if (!cached) {
            if (auto built = co_await SyntheticKnowledgeBases::build(**stack, size, corpus, out()); !built) {
                QTextStream(stderr) << "ragdesk-cli: " << built.error().message << '\n';
                co_return 1;
            }
            QFile marker(QDir(dir).filePath(completeMarker));
            if (!marker.open(QIODevice::WriteOnly)) {
                QTextStream(stderr) << "ragdesk-cli: could not write " << marker.fileName() << '\n';
                co_return 1;
            }
        }
        auto knowledgeBases = co_await (*stack)->knowledgeBases()->list();
        if (!knowledgeBases || knowledgeBases->isEmpty()) {
            QTextStream(stderr) << "ragdesk-cli: the cached corpus in " << dir << " has no knowledge bases; delete it\n";
            co_return 1;
        }

        RetrievalStack::Options retrievalOptions;
        retrievalOptions.network = &network;
        retrievalOptions.backfill = false;
        retrievalOptions.embeddingSettings = context.embeddingSettings(SyntheticChunks::dimensions);
        RetrievalStack retrieval(**stack, retrievalOptions);

        // The first hybrid search loads the vectors into memory; timed on its own.
        QElapsedTimer clock;
        clock.start();
        auto warm = co_await retrieval.retriever()->search(corpus.query(1, 1, 2), RetrievalOptions{});
        if (!warm || !warm->usedVectors) {
            QTextStream(stderr) << "ragdesk-cli: the warm-up search failed: "
                                << (!warm ? warm.error().message : warm->vectorNotice) << '\n';
            co_return 1;
        }
        const double loadMs = double(clock.elapsed());
        out() << u"  vectors loaded in %1 s\n"_s.arg(loadMs / 1000.0, 0, 'f', 1);

        QJsonObject sizeReport{{u"chunks"_s, size}, {u"vectorLoadMs"_s, loadMs}};
        const QList<QueryKind> kinds{{u"keyword, KB filter"_s, false, true},
                                     {u"hybrid, KB filter"_s, true, true},
                                     {u"hybrid, all KBs"_s, true, false}};
        for (const QueryKind &kind : kinds) {
            QList<double> totals, withoutEmbedding, vectorStage, keywordStage, analysis, fetch;
            for (int i = 0; i < queryCount; ++i) {
                RetrievalOptions options;
                options.topN = 20;
                options.candidatesPerStage = 20;
                options.useVectors = kind.vectors;
                if (kind.filtered)
                    options.knowledgeBaseIds = {knowledgeBases->first().id};
                // Alternating two- and four-word queries over many topics.
                const QString query = corpus.query((i * 37) % SyntheticChunks::topics, quint64(1000 + i), i % 2 ? 4 : 2);
                QElapsedTimer wall;
                wall.start();
                auto result = co_await retrieval.retriever()->search(query, options);
                const double wallMs = double(wall.nsecsElapsed()) / 1e6;
                if (!result) {
                    QTextStream(stderr) << "ragdesk-cli: " << result.error().message << '\n';
                    co_return 1;
                }
                if (kind.vectors && !result->usedVectors) {
                    QTextStream(stderr) << "ragdesk-cli: vectors unused: " << result->vectorNotice << '\n';
                    co_return 1;
                }
                const StageTimings &t = result->timings;
                // Wall time, what a user waits: the keyword and vector stages overlap, so it is
                // less than the sum of the stage timings.
                totals.append(wallMs);
                withoutEmbedding.append(wallMs - t.embedQueryMs);
                vectorStage.append(t.vectorMs);
                keywordStage.append(t.keywordMs);
                analysis.append(t.analysisMs);
                fetch.append(t.fetchMs);
            }
            const Measured measured{Percentiles::of(totals), Percentiles::of(withoutEmbedding),
                                    Percentiles::of(vectorStage), Percentiles::of(keywordStage)};
            out() << u"  %1: p50 %2 ms, p95 %3 ms (without the query's embedding: p50 %4, p95 %5; keyword stage "
                     "p50 %6, vector stage p50 %7)\n"_s.arg(kind.name)
                         .arg(measured.total.p50, 0, 'f', 1)
                         .arg(measured.total.p95, 0, 'f', 1)
                         .arg(measured.withoutEmbedding.p50, 0, 'f', 1)
                         .arg(measured.withoutEmbedding.p95, 0, 'f', 1)
                         .arg(measured.keywordStage.p50, 0, 'f', 1)
                         .arg(measured.vectorStage.p50, 0, 'f', 1);
            out() << u"    p95 by stage: analysis %1, keyword %2, vector %3, fetch %4 ms\n"_s
                         .arg(Percentiles::of(analysis).p95, 0, 'f', 1)
                         .arg(measured.keywordStage.p95, 0, 'f', 1)
                         .arg(measured.vectorStage.p95, 0, 'f', 1)
                         .arg(Percentiles::of(fetch).p95, 0, 'f', 1);
            if (previousP95.contains(kind.name) && previousP95.value(kind.name) > 0) {
                out() << u"    growth from the previous size: p95 x%1\n"_s.arg(
                    measured.total.p95 / previousP95.value(kind.name), 0, 'f', 2);
            }
            previousP95.insert(kind.name, measured.total.p95);
            if (kind.vectors && !kind.filtered && measured.vectorStage.p50 > 0) {
                const double rowsPerSecond = double(size) / (measured.vectorStage.p50 / 1000.0);
                out() << u"    exact scan: %1 M vectors/s over %2 threads (vector stage p50, includes the hop to the pool)\n"_s
                             .arg(rowsPerSecond / 1e6, 0, 'f', 1)
                             .arg(QThread::idealThreadCount());
                sizeReport.insert(u"scanVectorsPerSecond"_s, rowsPerSecond);
            }
            sizeReport.insert(kind.name, QJsonObject{{u"total"_s, toJson(measured.total)},
                                                     {u"withoutEmbedding"_s, toJson(measured.withoutEmbedding)},
                                                     {u"keywordStage"_s, toJson(measured.keywordStage)},
                                                     {u"vectorStage"_s, toJson(measured.vectorStage)}});
        }
        report.append(sizeReport);
        (*stack)->shutdown();
        out() << Qt::flush;
    }
    if (context.json)
        out() << QJsonDocument(QJsonObject{{u"sizes"_s, report}}).toJson(QJsonDocument::Compact) << '\n';
    co_return 0;
}

} // namespace ragdesk::cli
