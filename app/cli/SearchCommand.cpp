#include "app/cli/SearchCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/Percentiles.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/retrieval/RetrievalMetrics.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/ProfileDatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

/// The profile's stacks and the knowledge base a command works on, opened in its frame.
struct SearchSetup {
    std::shared_ptr<ProfileDatabase> profile;
    std::unique_ptr<IngestionStack> ingestion;
    std::unique_ptr<QNetworkAccessManager> network;
    std::unique_ptr<RetrievalStack> retrieval;
    RetrievalOptions options;
};

QCoro::Task<Result<std::unique_ptr<SearchSetup>>> open(const CliContext &context)
{
    auto setup = std::make_unique<SearchSetup>();
    auto profile = co_await ProfileDatabase::open(context.profileDir);
    if (!profile)
        co_return std::unexpected(profile.error());
    setup->profile = *profile;
    IngestionStack::Options ingestOptions;
    ingestOptions.watchFolders = false;
    auto ingestion = co_await IngestionStack::open(setup->profile, context.profileDir, ingestOptions);
    if (!ingestion)
        co_return std::unexpected(ingestion.error());
    setup->ingestion = std::move(*ingestion);
    setup->network = std::make_unique<QNetworkAccessManager>();

    RetrievalStack::Options retrievalOptions;
    retrievalOptions.network = setup->network.get();
    retrievalOptions.backfill = false; // searching never starts embedding; `kb embed` does
    if (context.provider.baseUrl.isValid())
        retrievalOptions.embeddingSettings = context.embeddingSettings();
    setup->retrieval = std::make_unique<RetrievalStack>(*setup->ingestion, retrievalOptions);

    const QCommandLineParser &parser = *context.parser;
    RetrievalOptions &options = setup->options;
    for (const QString &name : parser.values(u"kb"_s)) {
        auto knowledgeBase = co_await setup->ingestion->library()->find(name);
        if (!knowledgeBase)
            co_return std::unexpected(knowledgeBase.error());
        options.knowledgeBaseIds.append(knowledgeBase->id);
    }
    options.topN = std::max(1, parser.value(u"top"_s).toInt());
    const QString mode = parser.value(u"mode"_s);
    if (mode != u"hybrid"_s && mode != u"keyword"_s && mode != u"vector"_s)
        co_return fail(Error::Kind::Configuration, u"--mode takes hybrid, keyword or vector."_s);
    options.useKeywords = mode != u"vector"_s;
    options.useVectors = mode != u"keyword"_s;
    const QString fusion = parser.value(u"fusion"_s);
    if (fusion != u"rrf"_s && fusion != u"weighted"_s)
        co_return fail(Error::Kind::Configuration, u"--fusion takes rrf or weighted."_s);
    options.fusion = fusion == u"rrf"_s ? FusionMethod::ReciprocalRank : FusionMethod::WeightedSum;
    options.keywordWeight = parser.value(u"keyword-weight"_s).toDouble();
    options.similarityThreshold = parser.value(u"threshold"_s).toDouble();
    options.rerank = parser.isSet(u"rerank"_s);
    co_return setup;
}

QJsonValue optional(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonObject toJson(const RetrievalResult &result)
{
    QJsonArray hits;
    for (const RetrievalHit &hit : result.hits) {
        QJsonArray foundBy;
        if (hit.foundBy.testFlag(RetrievalStage::Keyword))
            foundBy.append(u"keyword"_s);
        if (hit.foundBy.testFlag(RetrievalStage::Vector))
            foundBy.append(u"vector"_s);
        hits.append(QJsonObject{{u"chunk"_s, hit.chunkId},
                                {u"document"_s, hit.documentPath},
                                {u"title"_s, hit.documentTitle},
                                {u"heading"_s, hit.headingPath},
                                {u"page"_s, hit.page},
                                {u"snippet"_s, hit.snippet.text},
                                {u"foundBy"_s, foundBy},
                                {u"keywordScore"_s, optional(hit.keywordScore)},
                                {u"vectorSimilarity"_s, optional(hit.vectorSimilarity)},
                                {u"rerankScore"_s, optional(hit.rerankScore)},
                                {u"fusedScore"_s, hit.fusedScore}});
    }
    const StageTimings &t = result.timings;
    return QJsonObject{{u"query"_s, result.query},
                       {u"match"_s, result.matchExpression},
                       {u"usedVectors"_s, result.usedVectors},
                       {u"vectorNotice"_s, result.vectorNotice},
                       {u"hits"_s, hits},
                       {u"timingsMs"_s, QJsonObject{{u"analysis"_s, t.analysisMs},
                                                    {u"keyword"_s, t.keywordMs},
                                                    {u"embedQuery"_s, t.embedQueryMs},
                                                    {u"vector"_s, t.vectorMs},
                                                    {u"fusion"_s, t.fusionMs},
                                                    {u"rerank"_s, t.rerankMs},
                                                    {u"fetch"_s, t.fetchMs},
                                                    {u"total"_s, t.totalMs()}}}};
}

void printText(const RetrievalResult &result)
{
    QTextStream out(stdout);
    int rank = 0;
    for (const RetrievalHit &hit : result.hits) {
        QString where = hit.documentPath;
        if (hit.page > 0)
            where += u" p. %1"_s.arg(hit.page);
        if (!hit.headingPath.isEmpty())
            where += u" › "_s + hit.headingPath;
        out << ++rank << ". " << where << "  [" << QString::number(hit.fusedScore, 'f', 4) << "]\n";
        out << "   " << hit.snippet.text.simplified() << "\n";
    }
    if (result.hits.isEmpty())
        out << "No results.\n";
    if (!result.vectorNotice.isEmpty())
        out << result.vectorNotice << '\n';
    out << u"%1 ms (analysis %2, keyword %3, embed %4, vector %5, fusion %6, fetch %7)\n"_s
               .arg(result.timings.totalMs(), 0, 'f', 1)
               .arg(result.timings.analysisMs, 0, 'f', 1)
               .arg(result.timings.keywordMs, 0, 'f', 1)
               .arg(result.timings.embedQueryMs, 0, 'f', 1)
               .arg(result.timings.vectorMs, 0, 'f', 1)
               .arg(result.timings.fusionMs, 0, 'f', 2)
               .arg(result.timings.fetchMs, 0, 'f', 1);
}

} // namespace

void SearchCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"kb"_s, u"search, eval: the knowledge base to search (repeat for several; default all)."_s, u"NAME"_s},
        {u"top"_s, u"search, eval: hits to return."_s, u"N"_s, u"10"_s},
        {u"mode"_s, u"search, eval: hybrid, keyword or vector."_s, u"MODE"_s, u"hybrid"_s},
        {u"fusion"_s, u"search, eval: weighted (keyword weight) or rrf (reciprocal rank)."_s, u"METHOD"_s, u"weighted"_s},
        {u"keyword-weight"_s, u"search, eval: weighted fusion's keyword share."_s, u"W"_s, u"0.7"_s},
        {u"threshold"_s, u"search, eval: drop hits with a weighted similarity below this."_s, u"S"_s, u"0.1"_s},
        {u"rerank"_s, u"search, eval: rerank the fused hits (needs a rerank endpoint)."_s},
        {u"queries"_s, u"eval: JSON lines of {\"query\": ..., \"relevant\": [...]}."_s, u"FILE"_s},
    });
}

QCoro::Task<int> SearchCommand::search(CliContext context)
{
    const QString query = context.parser->positionalArguments().mid(1).join(u' ').trimmed();
    if (query.isEmpty()) {
        err() << "usage: ragdesk-cli search [--kb NAME] [--top N] [--mode hybrid|keyword|vector] [--json] QUERY\n";
        co_return 2;
    }
    auto setup = co_await open(context);
    if (!setup)
        co_return report(setup.error());
    auto result = co_await (*setup)->retrieval->retriever()->search(query, (*setup)->options);
    (*setup)->ingestion->shutdown();
    if (!result)
        co_return report(result.error());
    if (context.json)
        QTextStream(stdout) << QJsonDocument(toJson(*result)).toJson(QJsonDocument::Compact) << '\n';
    else
        printText(*result);
    co_return 0;
}

QCoro::Task<int> SearchCommand::eval(CliContext context)
{
    const QString path = context.parser->value(u"queries"_s);
    if (path.isEmpty()) {
        err() << "usage: ragdesk-cli eval --kb NAME --queries FILE.jsonl [--mode hybrid|keyword|vector] [--json]\n";
        co_return 2;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        co_return report(Error{Error::Kind::File, u"Could not read %1: %2"_s.arg(path, file.errorString()), {}});
    QList<EvalQuery> queries;
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        auto parsed = RetrievalMetrics::parseLine(line);
        if (!parsed)
            co_return report(Error{Error::Kind::File, u"%1 line %2: %3"_s.arg(path).arg(lineNumber).arg(parsed.error().message), {}});
        queries.append(*parsed);
    }

    auto setup = co_await open(context);
    if (!setup)
        co_return report(setup.error());
    // Rankings are judged on distinct sources, so ask for more chunks than the ten that count.
    RetrievalOptions options = (*setup)->options;
    options.topN = std::max(options.topN, 50);
    QList<EvalScores> scores;
    QList<double> latencies;
    QString notice;
    for (const EvalQuery &query : std::as_const(queries)) {
        auto result = co_await (*setup)->retrieval->retriever()->search(query.query, options);
        if (!result)
            co_return report(result.error());
        if (options.useVectors && !result->usedVectors && notice.isEmpty())
            notice = result->vectorNotice;
        scores.append(RetrievalMetrics::score(result->hits, query.relevant));
        latencies.append(result->timings.totalMs());
    }
    (*setup)->ingestion->shutdown();
    const EvalScores mean = RetrievalMetrics::mean(scores);
    const Percentiles latency = Percentiles::of(latencies);
    const QString mode = context.parser->value(u"mode"_s);
    if (context.json) {
        QTextStream(stdout) << QJsonDocument(QJsonObject{{u"queries"_s, int(queries.size())},
                                                         {u"mode"_s, mode},
                                                         {u"recallAt5"_s, mean.recallAt5},
                                                         {u"recallAt10"_s, mean.recallAt10},
                                                         {u"mrr"_s, mean.reciprocalRank},
                                                         {u"ndcgAt10"_s, mean.ndcgAt10},
                                                         {u"latencyP50Ms"_s, latency.p50},
                                                         {u"latencyP95Ms"_s, latency.p95}})
                                   .toJson(QJsonDocument::Compact)
                            << '\n';
    } else {
        QTextStream out(stdout);
        out << u"%1 queries, mode %2\n"_s.arg(queries.size()).arg(mode)
            << u"recall@5  %1\nrecall@10 %2\nMRR       %3\nnDCG@10   %4\n"_s.arg(mean.recallAt5, 0, 'f', 3)
                   .arg(mean.recallAt10, 0, 'f', 3)
                   .arg(mean.reciprocalRank, 0, 'f', 3)
                   .arg(mean.ndcgAt10, 0, 'f', 3)
            << u"latency p50 %1 ms, p95 %2 ms\n"_s.arg(latency.p50, 0, 'f', 1).arg(latency.p95, 0, 'f', 1);
        if (!notice.isEmpty())
            out << "note: " << notice << '\n';
    }
    co_return 0;
}

} // namespace ragdesk::cli
