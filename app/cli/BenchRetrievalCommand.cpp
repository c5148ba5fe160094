#include "app/cli/BenchRetrievalCommand.h"

#include "app/cli/Percentiles.h"
#include "app/cli/SyntheticChunks.h"
#include "core/ingest/IngestionStack.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseStore.h"
#include "core/storage/ProfileDatabase.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/VectorStore.h"

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

constexpr int knowledgeBaseCount = 4;
constexpr int chunksPerDocument = 20;
constexpr int documentsPerBatch = 250;
constexpr int vectorsPerBatch = 10'000;
const QString modelName = u"bench-384"_s;
const QString completeMarker = u"bench-complete"_s;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int topicOf(const QString &path)
{
    // "/bench/kb2/t137-d99.txt": the topic is the number after "t".
    const QString name = path.section(u'/', -1);
    return name.mid(1, name.indexOf(u'-') - 1).toInt();
}

/// Writes @p chunks chunks into the profile at @p dir: documents, text, FTS and vectors.
QCoro::Task<Result<void>> build(IngestionStack &stack, qint64 chunks, const SyntheticChunks &corpus)
{
    QElapsedTimer clock;
    clock.start();
    QList<qint64> knowledgeBases;
    for (int k = 0; k < knowledgeBaseCount; ++k) {
        auto created = co_await stack.knowledgeBases()->create(u"bench-%1"_s.arg(k + 1), ChunkingOptions{}, u"en"_s);
        if (!created)
            co_return std::unexpected(created.error());
        if (auto set = co_await stack.knowledgeBases()->setEmbeddingModel(created->id, modelName); !set)
            co_return std::unexpected(set.error());
        knowledgeBases.append(created->id);
    }
    const qint64 documents = chunks / chunksPerDocument;
    for (int k = 0; k < knowledgeBaseCount; ++k) {
        QList<FileSnapshot> files;
        for (qint64 d = k; d < documents; d += knowledgeBaseCount)
            files.append(FileSnapshot{u"/bench/kb%1/t%2-d%3.txt"_s.arg(k + 1).arg(d % SyntheticChunks::topics).arg(d), 1, {}});
        if (auto queued = co_await stack.documents()->enqueue(knowledgeBases[k], files); !queued)
            co_return std::unexpected(queued.error());
    }
    qint64 written = 0;
    while (true) {
        auto claimed = co_await stack.documents()->claimNext(documentsPerBatch);
        if (!claimed)
            co_return std::unexpected(claimed.error());
        if (claimed->isEmpty())
            break;
        QList<IndexedDocument> batch;
        for (const DocumentRecord &record : std::as_const(*claimed)) {
            IndexedDocument document;
            document.documentId = record.id;
            document.title = record.path.section(u'/', -1);
            document.mimeType = u"text/plain"_s;
            document.contentHash = QByteArray::number(record.id);
            document.size = 1;
            document.language = u"en"_s;
            const int topic = topicOf(record.path);
            for (int c = 0; c < chunksPerDocument; ++c) {
                ChunkDraft chunk;
                chunk.ordinal = c;
                chunk.text = corpus.text(topic, quint64(record.id) * 64 + quint64(c));
                chunk.headingPath = u"Section %1"_s.arg(c / 5 + 1);
                chunk.start = document.chunked.text.size();
                document.chunked.text += chunk.text + u'\n';
                chunk.end = chunk.start + chunk.text.size();
                chunk.tokenCount = int(chunk.text.size() / 4);
                document.chunked.chunks.append(chunk);
            }
            batch.append(std::move(document));
        }
        if (auto stored = co_await stack.documents()->storeIndexed(batch); !stored)
            co_return std::unexpected(stored.error());
        written += qint64(batch.size()) * chunksPerDocument;
        out() << u"\r  chunks %1 of %2"_s.arg(written).arg(chunks) << Qt::flush;
    }
    out() << u"\n  text and keyword index: %1 s\n"_s.arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1) << Qt::flush;

    clock.restart();
    VectorStore vectors(stack.index());
    auto modelId = co_await vectors.modelId(modelName, SyntheticChunks::dimensions);
    if (!modelId)
        co_return std::unexpected(modelId.error());
    qint64 cursor = 0;
    qint64 embedded = 0;
    while (true) {
        using Row = std::pair<qint64, QString>;
        auto rows = co_await stack.index()->readers().run([cursor](QSqlDatabase &db) -> Result<QList<Row>> {
            SqlStatement select(db, u"Could not read the bench chunks"_s);
            return select.selectAll<Row>(u"SELECT c.id, d.path FROM chunks c JOIN documents d ON d.id = c.document_id"
                                         " WHERE c.id > ? ORDER BY c.id LIMIT ?"_s,
                                         {cursor, vectorsPerBatch}, [](const SqlStatement &row) {
                                             return Row{row.value(0).toLongLong(), row.value(1).toString()};
                                         });
        });
        if (!rows)
            co_return std::unexpected(rows.error());
        if (rows->isEmpty())
            break;
        cursor = rows->last().first;
        QList<qint64> ids;
        QList<QList<float>> values;
        for (const auto &[id, path] : std::as_const(*rows)) {
            ids.append(id);
            values.append(corpus.vector(topicOf(path), quint64(id)));
        }
        if (auto stored = co_await vectors.store(*modelId, ids, values); !stored)
            co_return std::unexpected(stored.error());
        embedded += ids.size();
        out() << u"\r  vectors %1"_s.arg(embedded) << Qt::flush;
    }
    out() << u"\n  vectors: %1 s\n"_s.arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1) << Qt::flush;
    co_return {};
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
        if (size < chunksPerDocument * knowledgeBaseCount) {
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
            if (auto built = co_await build(**stack, size, corpus); !built) {
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
