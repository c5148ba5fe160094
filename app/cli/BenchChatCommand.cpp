#include "app/cli/BenchChatCommand.h"

#include "app/cli/BenchChatRig.h"
#include "app/cli/CachedSyntheticProfile.h"
#include "app/cli/Percentiles.h"
#include "core/chat/ChatSession.h"
#include "core/diagnostics/StallMonitor.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

double round1(double value)
{
    return std::round(value * 10.0) / 10.0;
}

QJsonObject toJson(const Percentiles &p)
{
    return {{u"p50"_s, round1(p.p50)}, {u"p95"_s, round1(p.p95)}, {u"max"_s, round1(p.max)}};
}

QString line(const QString &label, const Percentiles &p)
{
    return u"%1 p50 %2  p95 %3  max %4\n"_s.arg(label, -12)
        .arg(p.p50, 0, 'f', 1)
        .arg(p.p95, 0, 'f', 1)
        .arg(p.max, 0, 'f', 1);
}

/// What the searches of a RAG run reported, one entry per search, for the stage breakdown.
struct SearchLog {
    QList<StageTimings> timings;
    QList<int> hits;
    QStringList vectorNotices; ///< a search that fell back to keywords says why
};

/// @p retrieve, noting each result's stage timings in @p log (which outlives the sessions).
RetrieveFunction logged(RetrieveFunction retrieve, std::shared_ptr<SearchLog> log)
{
    return [retrieve = std::move(retrieve), log = std::move(log)](QString query, RetrievalOptions options,
                                                                  CancelToken cancel) -> QCoro::Task<Result<RetrievalResult>> {
        auto result = co_await retrieve(std::move(query), std::move(options), std::move(cancel));
        if (result) {
            log->timings.append(result->timings);
            log->hits.append(int(result->hits.size()));
            if (!result->usedVectors)
                log->vectorNotices.append(result->vectorNotice);
        }
        co_return result;
    };
}

/// The assistant of a RAG run: every knowledge base, six sources, citations; no refinement,
/// since a single-turn run has no follow-up to rewrite.
Assistant ragAssistant()
{
    Assistant assistant = Assistant::makeDefault();
    assistant.allKnowledgeBases = true;
    assistant.topN = 6;
    assistant.citations = true;
    assistant.refineQuestion = false;
    return assistant;
}

/// p95 of each retrieval stage, the breakdown of retrieval_ms.
QJsonObject stageP95(const SearchLog &log)
{
    const auto p95 = [&log](double StageTimings::*stage) {
        QList<double> values;
        for (const StageTimings &timings : log.timings)
            values.append(timings.*stage);
        return round1(Percentiles::of(values).p95);
    };
    return {{u"analysis"_s, p95(&StageTimings::analysisMs)}, {u"keyword"_s, p95(&StageTimings::keywordMs)},
            {u"embed_query"_s, p95(&StageTimings::embedQueryMs)}, {u"vector"_s, p95(&StageTimings::vectorMs)},
            {u"fusion"_s, p95(&StageTimings::fusionMs)}, {u"fetch"_s, p95(&StageTimings::fetchMs)}};
}

} // namespace

void BenchChatCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"sessions"_s, u"bench-chat: number of concurrent conversations."_s, u"N"_s, u"10"_s},
        {u"prompt"_s, u"bench-chat: the question every session asks."_s, u"TEXT"_s,
         u"Summarise the design of a responsive desktop app in a few paragraphs."_s},
        {u"timeout"_s, u"bench-chat: give up (and stop all sessions) after this many seconds."_s, u"S"_s, u"300"_s},
        {u"stall-resolution-ms"_s, u"bench-chat: tick of the UI-thread stall monitor."_s, u"MS"_s, u"1"_s},
        {u"rag-chunks"_s,
         u"bench-chat: RAG turns over a synthetic corpus of N chunks (kept in --corpus-dir); 0: no documents."_s,
         u"N"_s, u"0"_s},
    });
}

QCoro::Task<int> BenchChatCommand::run(CliContext context)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QCommandLineParser &parser = *context.parser;
    const int sessions = parser.value(u"sessions"_s).toInt();
    const QString prompt = parser.value(u"prompt"_s);
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt();
    bool chunksValid = false;
    const qint64 ragChunks = parser.value(u"rag-chunks"_s).toLongLong(&chunksValid);
    if (sessions < 1 || sessions > 1000) {
        err << "bench-chat: --sessions must be between 1 and 1000\n";
        co_return 2;
    }
    if (!chunksValid || ragChunks < 0) {
        err << "bench-chat: --rag-chunks takes a number of chunks (0: no documents)\n";
        co_return 2;
    }
    if (!context.provider.baseUrl.isValid() || context.provider.model.isEmpty()) {
        err << "bench-chat: needs --base-url and --model\n";
        co_return 2;
    }

    // The corpus is opened (and warmed up) before the rig, so neither building it nor loading
    // its vectors falls inside the measured turns.
    std::unique_ptr<CachedSyntheticProfile> corpus;
    if (ragChunks > 0) {
        QString root = parser.value(u"corpus-dir"_s);
        if (root.isEmpty())
            root = CachedSyntheticProfile::defaultRoot();
        auto opened = co_await CachedSyntheticProfile::open(root, ragChunks, context.embeddingSettings(SyntheticChunks::dimensions), err);
        if (!opened) {
            err << "bench-chat: " << opened.error().message << '\n';
            co_return 1;
        }
        corpus = std::move(*opened);
        err << u"bench-chat: %1 chunks %2 in %3; warm-up search %4 ms\n"_s.arg(ragChunks)
                   .arg(corpus->wasCached() ? u"cached"_s : u"built"_s, corpus->directory())
                   .arg(corpus->warmUpMs(), 0, 'f', 0);
    }

    // Without --profile the run gets a throwaway profile, so benchmarks never pollute a user's chats.
    QTemporaryDir scratch;
    const QString profileDir = context.profileDir.isEmpty() ? scratch.path() : context.profileDir;
    auto rig = co_await BenchChatRig::open(profileDir, context.provider, sessions, true);
    if (!rig) {
        err << "bench-chat: " << rig.error().message << '\n';
        co_return 1;
    }
    const ProviderSettings &settings = (*rig)->settings();

    StallMonitor monitor(std::chrono::milliseconds(std::max(1, parser.value(u"stall-resolution-ms"_s).toInt())));
    monitor.start();

    const auto searches = std::make_shared<SearchLog>();
    std::vector<std::unique_ptr<ChatSession>> chats;
    QStringList questions;
    for (int i = 0; i < sessions; ++i) {
        if (corpus) {
            chats.push_back((*rig)->newSession(logged(corpus->retrieve(), searches)));
            chats.back()->setAssistant(ragAssistant());
            // A different topic per session, so the searches do not all hit the same pages.
            questions.append(corpus->text().query((i * 37) % SyntheticChunks::topics, quint64(1000 + i), 4));
        } else {
            chats.push_back((*rig)->newSession());
            questions.append(prompt);
        }
    }

    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, [&chats] {
        for (auto &chat : chats)
            chat->stop();
    });
    deadline.start(std::chrono::seconds(timeoutSeconds));

    err << "bench-chat: " << sessions << " sessions against " << settings.baseUrl.toDisplayString() << " (" << settings.model
        << "), profile " << profileDir << '\n';
    err.flush();

    QElapsedTimer wall;
    wall.start();
    // CPU time of all this process's threads: what the turns cost whatever else the machine runs.
    const std::clock_t cpuStart = std::clock();
    const auto cpuMsSince = [cpuStart] { return double(std::clock() - cpuStart) * 1000.0 / CLOCKS_PER_SEC; };
    // Up to the last first token the turns do everything but stream: retrieval, prompts, requests.
    double cpuToFirstTokensMs = -1;
    int firstTokens = 0;
    for (auto &chat : chats) {
        QObject::connect(chat.get(), &ChatSession::firstToken, chat.get(), [&, sessions] {
            if (++firstTokens == sessions)
                cpuToFirstTokensMs = cpuMsSince();
        });
    }
    monitor.reset();
    std::vector<QCoro::Task<Result<void>>> turns;
    turns.reserve(size_t(sessions));
    for (int i = 0; i < sessions; ++i)
        turns.push_back(chats[size_t(i)]->runTurn(questions.at(i)));

    int completed = 0;
    QStringList errors;
    for (auto &turn : turns) {
        auto result = co_await std::move(turn);
        if (result)
            ++completed;
        else
            errors.append(result.error().message);
    }
    const double wallMs = double(wall.nsecsElapsed()) / 1e6;
    const double cpuMs = cpuMsSince();
    deadline.stop();
    const StallMonitor::Figures stalls = monitor.figures();
    monitor.stop();

    QList<double> ttft;
    QList<double> total;
    QList<double> overhead;
    QList<double> retrieval;
    QList<double> rates;
    int totalTokens = 0;
    for (const auto &chat : chats) {
        const TurnMetrics metrics = chat->lastMetrics();
        if (metrics.ttftMs >= 0)
            ttft.append(metrics.ttftMs);
        if (metrics.totalMs >= 0)
            total.append(metrics.totalMs);
        if (metrics.overheadMs >= 0)
            overhead.append(metrics.overheadMs);
        if (metrics.retrievalMs >= 0)
            retrieval.append(metrics.retrievalMs);
        if (metrics.tokensPerSecond > 0)
            rates.append(metrics.tokensPerSecond);
        totalTokens += std::max(0, metrics.completionTokens);
    }
    double meanRate = 0;
    for (double rate : std::as_const(rates))
        meanRate += rate / double(rates.size());
    double meanHits = 0;
    for (int hits : std::as_const(searches->hits))
        meanHits += double(hits) / double(searches->hits.size());

    const Percentiles ttftP = Percentiles::of(ttft);
    const Percentiles totalP = Percentiles::of(total);
    const Percentiles overheadP = Percentiles::of(overhead);
    const Percentiles retrievalP = Percentiles::of(retrieval);
    out << u"sessions %1  completed %2  failed %3  wall %4 ms\n"_s.arg(sessions).arg(completed).arg(sessions - completed).arg(wallMs, 0, 'f', 0);
    out << u"process cpu ms  %1 until every first token, %2 in all\n"_s.arg(cpuToFirstTokensMs, 0, 'f', 0).arg(cpuMs, 0, 'f', 0);
    out << line(u"ttft ms"_s, ttftP) << line(u"total ms"_s, totalP) << line(u"overhead ms"_s, overheadP);
    if (corpus) {
        const QJsonObject stages = stageP95(*searches);
        out << line(u"retrieval ms"_s, retrievalP);
        out << u"retrieval p95 by stage (ms): analysis %1  keyword %2  embed query %3  vector %4  fusion %5  fetch %6\n"_s
                   .arg(stages.value(u"analysis"_s).toDouble())
                   .arg(stages.value(u"keyword"_s).toDouble())
                   .arg(stages.value(u"embed_query"_s).toDouble())
                   .arg(stages.value(u"vector"_s).toDouble())
                   .arg(stages.value(u"fusion"_s).toDouble())
                   .arg(stages.value(u"fetch"_s).toDouble());
        out << u"sources      %1 chunks, %2 hits per search on average\n"_s.arg(ragChunks).arg(meanHits, 0, 'f', 1);
    }
    out << u"ui stall ms p99 %1  max %2  (resolution %3 ms, %4 samples)\n"_s.arg(stalls.p99Ms, 0, 'f', 1)
               .arg(stalls.worstMs, 0, 'f', 1)
               .arg(parser.value(u"stall-resolution-ms"_s))
               .arg(stalls.samples);
    out << u"tokens/s    per session %1  aggregate %2\n"_s.arg(meanRate, 0, 'f', 1).arg(totalTokens / (wallMs / 1000.0), 0, 'f', 0);
    errors.append(searches->vectorNotices);
    errors.removeDuplicates();
    for (const QString &error : std::as_const(errors))
        out << "error: " << error << '\n';

    if (context.json) {
        QJsonObject json{
            {u"sessions"_s, sessions},
            {u"completed"_s, completed},
            {u"failed"_s, sessions - completed},
            {u"ttft_ms"_s, toJson(ttftP)},
            {u"total_ms"_s, toJson(totalP)},
            {u"overhead_ms"_s, toJson(overheadP)},
            {u"stall_ms"_s, QJsonObject{{u"p99"_s, round1(stalls.p99Ms)}, {u"max"_s, round1(stalls.worstMs)}}},
            {u"tokens_per_s"_s, round1(meanRate)},
            {u"aggregate_tokens_per_s"_s, std::round(totalTokens / (wallMs / 1000.0))},
            {u"wall_ms"_s, std::round(wallMs)},
            {u"cpu_ms"_s, std::round(cpuMs)},
            {u"cpu_to_first_tokens_ms"_s, std::round(cpuToFirstTokensMs)},
        };
        if (corpus) {
            json.insert(u"rag_chunks"_s, ragChunks);
            json.insert(u"retrieval_ms"_s, toJson(retrievalP));
            json.insert(u"retrieval_stage_p95_ms"_s, stageP95(*searches));
            json.insert(u"hits_per_search"_s, round1(meanHits));
            json.insert(u"searches_without_vectors"_s, int(searches->vectorNotices.size()));
        }
        out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    }
    out.flush();
    chats.clear();
    co_return completed == sessions ? 0 : 1;
}

} // namespace ragdesk::cli
