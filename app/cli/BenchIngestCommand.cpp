#include "app/cli/BenchIngestCommand.h"

#include "app/cli/BenchChatRig.h"
#include "app/cli/BenchCorpus.h"
#include "app/cli/Percentiles.h"
#include "core/chat/ChatSession.h"
#include "core/diagnostics/StallMonitor.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/ingest/extraction/ExtractorPool.h"
#include "core/storage/DocumentStore.h"

#include <QCoroProcess>
#include <QCoroSignal>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

double seconds(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e9;
}

/// pdftotext, one process per file as people run it; returns seconds for all files, -1 if unavailable.
QCoro::Task<double> timePdftotext(QStringList pdfs, QString scratch)
{
    const QString program = QStandardPaths::findExecutable(u"pdftotext"_s);
    if (program.isEmpty())
        co_return -1;
    QElapsedTimer clock;
    clock.start();
    for (const QString &pdf : std::as_const(pdfs)) {
        QProcess process;
        co_await qCoro(process).start(program, {u"-q"_s, pdf, QDir(scratch).filePath(u"out.txt"_s)});
        co_await qCoro(process).waitForFinished(std::chrono::minutes(5));
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            co_return -1;
    }
    co_return seconds(clock);
}

/// ragdesk's extractor on the same files, one helper process reused as the queue uses it.
QCoro::Task<double> timeOwnExtraction(QStringList pdfs, int *pages, QStringList *errors)
{
    ExtractorPool pool(ExtractorPool::defaultHelperPath(), 1, ExtractionLimits{});
    QElapsedTimer clock;
    clock.start();
    for (const QString &pdf : std::as_const(pdfs)) {
        auto extracted = co_await pool.extract(pdf);
        if (extracted)
            *pages += extracted->pageCount;
        else
            errors->append(extracted.error().message);
    }
    co_return seconds(clock);
}

/// One chat asking again and again until @p stop; TTFTs go to @p ttfts.
QCoro::Task<int> chatLoop(ChatSession *chat, std::shared_ptr<bool> stop, QList<double> *ttfts, QStringList *errors)
{
    int turns = 0;
    while (!*stop) {
        auto turn = co_await chat->runTurn(u"Summarise what the indexed documents say about latency."_s);
        if (*stop)
            break;
        ++turns;
        if (!turn)
            errors->append(turn.error().message);
        else if (chat->lastMetrics().ttftMs >= 0)
            ttfts->append(chat->lastMetrics().ttftMs);
    }
    co_return turns;
}

} // namespace

void BenchIngestCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"files"_s, u"bench-ingest: files in the generated corpus (45% Markdown, 45% text, 10% PDF)."_s, u"N"_s, u"300"_s},
        {u"pdf-pages"_s, u"bench-ingest: pages per generated PDF."_s, u"N"_s, u"20"_s},
        {u"chats"_s, u"bench-ingest: chats streaming during the ingestion (needs --base-url and --model)."_s, u"N"_s, u"10"_s},
        {u"extractors"_s, u"bench-ingest: extractor processes."_s, u"N"_s, u"2"_s},
        {u"write-corpus"_s, u"bench-ingest: only write the corpus into DIR and exit (to time the GUI by hand)."_s, u"DIR"_s},
    });
}

QCoro::Task<int> BenchIngestCommand::run(CliContext context)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QCommandLineParser &parser = *context.parser;
    const int chats = parser.value(u"chats"_s).toInt();

    if (parser.isSet(u"write-corpus"_s)) {
        auto written = BenchCorpus::write(parser.value(u"write-corpus"_s),
                                          {parser.value(u"files"_s).toInt(), parser.value(u"pdf-pages"_s).toInt()});
        if (!written) {
            err << "bench-ingest: " << written.error().message << '\n';
            co_return 1;
        }
        out << written->markdown + written->text + written->pdfs << " files, " << written->pdfPages << " PDF pages, "
            << written->bytes << " bytes in " << parser.value(u"write-corpus"_s) << '\n';
        co_return 0;
    }

    if (chats > 0 && (!context.provider.baseUrl.isValid() || context.provider.model.isEmpty())) {
        err << "bench-ingest: streaming chats need --base-url and --model (or --chats 0)\n";
        co_return 2;
    }

    QTemporaryDir scratch;
    const QString corpusDir = QDir(scratch.path()).filePath(u"corpus"_s);
    const QString profileDir = QDir(scratch.path()).filePath(u"profile"_s);
    auto corpus = BenchCorpus::write(corpusDir, {parser.value(u"files"_s).toInt(), parser.value(u"pdf-pages"_s).toInt()});
    if (!corpus) {
        err << "bench-ingest: " << corpus.error().message << '\n';
        co_return 1;
    }
    err << "bench-ingest: corpus of " << corpus->markdown << " Markdown, " << corpus->text << " text and " << corpus->pdfs
        << " PDF files (" << corpus->pdfPages << " pages), " << double(corpus->bytes) / 1e6 << " MB\n";
    err.flush();

    // The PDF yardstick first, on a quiet machine: both sides read the same files one at a time.
    const double pdftotextSeconds = co_await timePdftotext(corpus->pdfPaths, scratch.path());
    int ownPages = 0;
    QStringList extractionErrors;
    const double ownSeconds = co_await timeOwnExtraction(corpus->pdfPaths, &ownPages, &extractionErrors);

    auto rig = co_await BenchChatRig::open(profileDir, context.provider, chats, chats > 0);
    if (!rig) {
        err << "bench-ingest: " << rig.error().message << '\n';
        co_return 1;
    }

    IngestionStack::Options options;
    options.watchFolders = false;
    options.extractorProcesses = std::max(1, parser.value(u"extractors"_s).toInt());
    options.parallelFiles = options.extractorProcesses + 2;
    auto opened = co_await IngestionStack::open((*rig)->database(), profileDir, options);
    if (!opened) {
        err << "bench-ingest: " << opened.error().message << '\n';
        co_return 1;
    }
    IngestionStack &stack = **opened;
    if (auto started = co_await stack.library()->start(false); !started) {
        err << "bench-ingest: " << started.error().message << '\n';
        co_return 1;
    }
    auto knowledgeBase = co_await stack.library()->create(u"bench"_s, {}, u"en"_s);
    if (!knowledgeBase) {
        err << "bench-ingest: " << knowledgeBase.error().message << '\n';
        co_return 1;
    }

    StallMonitor monitor(std::chrono::milliseconds(1));
    monitor.start();
    std::vector<std::unique_ptr<ChatSession>> sessions;
    std::vector<QCoro::Task<int>> loops;
    auto stop = std::make_shared<bool>(false);
    QList<double> ttfts;
    QStringList chatErrors;
    for (int i = 0; i < chats; ++i) {
        sessions.push_back((*rig)->newSession());
        loops.push_back(chatLoop(sessions.back().get(), stop, &ttfts, &chatErrors));
    }

    monitor.reset();
    QElapsedTimer clock;
    clock.start();
    auto added = co_await stack.library()->addPaths(knowledgeBase->id, {corpusDir}, false);
    if (!added) {
        err << "bench-ingest: " << added.error().message << '\n';
        co_return 1;
    }
    IngestQueue *queue = stack.queue();
    // The queue belongs to the stack in this frame, so awaiting its signal cannot outlive it.
    while (!queue->isIdle())
        co_await qCoro(queue, &IngestQueue::idle);
    const double ingestSeconds = seconds(clock);
    const StallMonitor::Figures stalls = monitor.figures();

    *stop = true;
    int turns = 0;
    for (auto &session : sessions)
        session->stop();
    for (auto &loop : loops)
        turns += co_await std::move(loop);
    monitor.stop();

    auto documents = co_await stack.documents()->documents(knowledgeBase->id);
    if (!documents) {
        err << "bench-ingest: " << documents.error().message << '\n';
        co_return 1;
    }
    int indexed = 0;
    int pages = 0;
    qint64 chunks = 0;
    QStringList failures;
    for (const DocumentRecord &document : std::as_const(*documents)) {
        if (document.status == DocumentStatus::Indexed) {
            ++indexed;
            pages += document.pageCount;
            chunks += document.chunkCount;
        } else {
            failures.append(u"%1: %2"_s.arg(document.path, document.error));
        }
    }
    stack.shutdown();

    const double megabytes = double(corpus->bytes) / 1e6;
    const double pdftotextPagesPerSecond = pdftotextSeconds > 0 ? corpus->pdfPages / pdftotextSeconds : 0;
    const double ownPagesPerSecond = ownSeconds > 0 ? ownPages / ownSeconds : 0;
    const Percentiles ttft = Percentiles::of(ttfts);
    out << u"files %1 of %2 indexed in %3 s: %4 files/s, %5 MB/s, %6 chunks/s, %7 pages/s\n"_s.arg(indexed)
               .arg(documents->size())
               .arg(ingestSeconds, 0, 'f', 2)
               .arg(indexed / ingestSeconds, 0, 'f', 1)
               .arg(megabytes / ingestSeconds, 0, 'f', 2)
               .arg(double(chunks) / ingestSeconds, 0, 'f', 0)
               .arg(pages / ingestSeconds, 0, 'f', 1);
    out << u"pdf extraction: ragdesk %1 pages/s, pdftotext %2 pages/s, ratio %3\n"_s.arg(ownPagesPerSecond, 0, 'f', 1)
               .arg(pdftotextPagesPerSecond, 0, 'f', 1)
               .arg(pdftotextPagesPerSecond > 0 ? ownPagesPerSecond / pdftotextPagesPerSecond : 0, 0, 'f', 2);
    out << u"ui stall ms during ingestion with %1 chats streaming: p99 %2, max %3 (%4 samples)\n"_s.arg(chats)
               .arg(stalls.p99Ms, 0, 'f', 1)
               .arg(stalls.worstMs, 0, 'f', 1)
               .arg(stalls.samples);
    if (chats > 0)
        out << u"chat turns %1, ttft ms p50 %2 p95 %3 max %4\n"_s.arg(turns).arg(ttft.p50, 0, 'f', 1).arg(ttft.p95, 0, 'f', 1).arg(ttft.max, 0, 'f', 1);
    for (const QString &failure : std::as_const(failures))
        out << "not indexed: " << failure << '\n';
    extractionErrors.append(chatErrors);
    extractionErrors.removeDuplicates();
    for (const QString &error : std::as_const(extractionErrors))
        out << "error: " << error << '\n';
    if (context.json) {
        const auto round = [](double v, int digits) { return std::round(v * std::pow(10, digits)) / std::pow(10, digits); };
        const QJsonObject json{
            {u"files"_s, int(documents->size())},
            {u"indexed"_s, indexed},
            {u"seconds"_s, round(ingestSeconds, 2)},
            {u"files_per_s"_s, round(indexed / ingestSeconds, 1)},
            {u"mb_per_s"_s, round(megabytes / ingestSeconds, 2)},
            {u"chunks_per_s"_s, round(double(chunks) / ingestSeconds, 0)},
            {u"pages_per_s"_s, round(pages / ingestSeconds, 1)},
            {u"pdf_pages_per_s"_s, round(ownPagesPerSecond, 1)},
            {u"pdftotext_pages_per_s"_s, round(pdftotextPagesPerSecond, 1)},
            {u"stall_ms"_s, QJsonObject{{u"p99"_s, round(stalls.p99Ms, 1)}, {u"max"_s, round(stalls.worstMs, 1)}}},
            {u"chats"_s, chats},
            {u"chat_turns"_s, turns},
            {u"ttft_ms"_s, QJsonObject{{u"p50"_s, round(ttft.p50, 1)}, {u"p95"_s, round(ttft.p95, 1)}}},
        };
        out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    }
    out.flush();
    co_return failures.isEmpty() && chatErrors.isEmpty() ? 0 : 1;
}

} // namespace ragdesk::cli
