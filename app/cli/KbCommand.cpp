#include "app/cli/KbCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/IngestProgressPrinter.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/retrieval/EmbeddingBackfill.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/ProfileDatabase.h"

#include <QCoroSignal>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

const QString usage = u"usage: ragdesk-cli kb create NAME [--chunk-tokens N] [--chunk-overlap N] [--language CODE]\n"
                      "                                [--embedding-model MODEL]\n"
                      "       ragdesk-cli kb add NAME PATH...\n"
                      "       ragdesk-cli kb embed NAME [--embedding-model MODEL]\n"
                      "       ragdesk-cli kb sync NAME\n"
                      "       ragdesk-cli kb list\n"
                      "       ragdesk-cli kb status NAME\n"
                      "       ragdesk-cli kb remove NAME PATH...\n"
                      "       ragdesk-cli kb delete NAME\n"_s;

bool isBelow(const QString &path, const QStringList &roots)
{
    for (const QString &root : roots) {
        if (path == root || path.startsWith(root + u'/'))
            return true;
    }
    return false;
}

/// Runs the queue until it is idle, showing progress, and prints the failures under @p roots.
QCoro::Task<int> ingest(IngestionStack &stack, qint64 knowledgeBaseId, QStringList roots)
{
    IngestQueue *queue = stack.queue();
    auto documents = stack.documents();
    IngestProgressPrinter printer(IngestProgressPrinter::stdoutIsTerminal());
    QObject receiver; // disconnects the lambdas below when this coroutine ends
    QObject::connect(queue, &IngestQueue::progressChanged, &receiver, [&printer, knowledgeBaseId](qint64 id, const IngestProgress &progress) {
        if (id == knowledgeBaseId)
            printer.update(progress);
    });
    QObject::connect(queue, &IngestQueue::fileFinished, &receiver, [&printer](const IngestOutcome &outcome) {
        printer.fileFinished(outcome);
    });

    QElapsedTimer clock;
    clock.start();
    // The queue lives in this frame's stack object, so awaiting its signal cannot outlive it.
    while (!queue->isIdle())
        co_await qCoro(queue, &IngestQueue::idle);
    auto all = co_await documents->documents(knowledgeBaseId);
    printer.finish();
    if (!all)
        co_return report(all.error());

    int indexed = 0;
    int failed = 0;
    int skipped = 0;
    qint64 chunks = 0;
    QStringList failures;
    for (const DocumentRecord &document : std::as_const(*all)) {
        if (!isBelow(document.path, roots))
            continue;
        switch (document.status) {
        case DocumentStatus::Indexed:
            ++indexed;
            chunks += document.chunkCount;
            break;
        case DocumentStatus::Failed:
            ++failed;
            failures.append(u"  %1: %2"_s.arg(QDir::toNativeSeparators(document.path), document.error));
            break;
        case DocumentStatus::Skipped:
            ++skipped;
            break;
        case DocumentStatus::Queued:
        case DocumentStatus::Extracting:
            break;
        }
    }
    QTextStream out(stdout);
    out << u"%1 indexed, %2 failed, %3 skipped; %4 chunks; %5 s\n"_s.arg(indexed)
               .arg(failed)
               .arg(skipped)
               .arg(QLocale().toString(chunks))
               .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1);
    if (!failures.isEmpty()) {
        out << "failed files:\n" << failures.join(u'\n') << '\n';
        co_return 1;
    }
    co_return 0;
}

QCoro::Task<int> list(IngestionStack &stack)
{
    auto knowledgeBases = co_await stack.library()->list();
    if (!knowledgeBases)
        co_return report(knowledgeBases.error());
    QTextStream out(stdout);
    if (knowledgeBases->isEmpty())
        out << "No knowledge bases yet. Create one with: ragdesk-cli kb create NAME\n";
    for (const KnowledgeBase &knowledgeBase : std::as_const(*knowledgeBases)) {
        auto progress = co_await stack.documents()->progress(knowledgeBase.id);
        if (!progress)
            co_return report(progress.error());
        out << knowledgeBase.name << "  " << progress->indexed << " files, " << QLocale().toString(progress->chunks)
            << " chunks";
        if (progress->queued + progress->extracting > 0)
            out << ", " << progress->queued + progress->extracting << " queued";
        if (progress->failed > 0)
            out << ", " << progress->failed << " failed";
        out << '\n';
    }
    co_return 0;
}

QCoro::Task<int> status(IngestionStack &stack, KnowledgeBase knowledgeBase)
{
    auto progress = co_await stack.documents()->progress(knowledgeBase.id);
    auto sources = co_await stack.library()->sources(knowledgeBase.id);
    auto documents = co_await stack.documents()->documents(knowledgeBase.id);
    if (!progress || !sources || !documents)
        co_return report(!progress ? progress.error() : !sources ? sources.error() : documents.error());
    const QLocale locale;
    QTextStream out(stdout);
    out << knowledgeBase.name << '\n'
        << u"  chunks of %1 tokens, %2 overlap, language %3\n"_s.arg(knowledgeBase.chunking.targetTokens)
               .arg(knowledgeBase.chunking.overlapTokens)
               .arg(knowledgeBase.language)
        << u"  %1 indexed, %2 queued, %3 extracting, %4 failed, %5 skipped\n"_s.arg(progress->indexed)
               .arg(progress->queued)
               .arg(progress->extracting)
               .arg(progress->failed)
               .arg(progress->skipped)
        << u"  %1 chunks, %2 of %3 read\n"_s.arg(locale.toString(progress->chunks), locale.formattedDataSize(progress->bytesDone),
                                                 locale.formattedDataSize(progress->bytesTotal));
    for (const KnowledgeBaseSource &source : std::as_const(*sources))
        out << "  source: " << QDir::toNativeSeparators(source.path) << (source.watched ? " (watched)" : "") << '\n';
    for (const DocumentRecord &document : std::as_const(*documents)) {
        if (document.status == DocumentStatus::Failed || document.status == DocumentStatus::Skipped)
            out << "  " << documentStatusName(document.status) << ": " << QDir::toNativeSeparators(document.path) << ": "
                << document.error << '\n';
    }
    co_return 0;
}

/// Sets the embedding model if one is given, then embeds every chunk still without a vector,
/// printing progress; the same backfill the GUI runs in the background.
QCoro::Task<int> embed(IngestionStack &stack, KnowledgeBase knowledgeBase, CliContext context)
{
    if (context.parser->isSet(u"embedding-model"_s)) {
        knowledgeBase.embeddingModel = context.parser->value(u"embedding-model"_s).trimmed();
        if (auto set = co_await stack.library()->setEmbeddingModel(knowledgeBase.id, knowledgeBase.embeddingModel); !set)
            co_return report(set.error());
    }
    if (knowledgeBase.embeddingModel.isEmpty()) {
        err() << "ragdesk-cli: " << knowledgeBase.name << " has no embedding model; set one with --embedding-model MODEL\n";
        co_return 2;
    }
    if (!context.provider.baseUrl.isValid()) {
        err() << "ragdesk-cli: no server to embed with; pass --base-url URL\n";
        co_return 2;
    }
    QNetworkAccessManager network;
    RetrievalStack::Options options;
    options.network = &network;
    options.backfill = false; // driven by hand below
    options.embeddingSettings = context.embeddingSettings();
    RetrievalStack retrieval(stack, options);
    EmbeddingBackfill *backfill = retrieval.backfill();
    QString failure;
    QTextStream out(stdout);
    QObject receiver;
    QObject::connect(backfill, &EmbeddingBackfill::progressChanged, &receiver,
                     [&out, id = knowledgeBase.id](qint64 knowledgeBaseId, const EmbeddingCoverage &coverage) {
                         if (knowledgeBaseId == id)
                             out << "\rembedded " << coverage.embedded << " of " << coverage.total << " chunks" << Qt::flush;
                     });
    QObject::connect(backfill, &EmbeddingBackfill::failed, &receiver,
                     [&failure, id = knowledgeBase.id](qint64 knowledgeBaseId, const QString &message) {
                         if (knowledgeBaseId == id)
                             failure = message;
                     });
    QElapsedTimer clock;
    clock.start();
    backfill->schedule();
    co_await qCoro(backfill, &EmbeddingBackfill::finished);
    out << '\n';
    if (!failure.isEmpty()) {
        err() << "ragdesk-cli: " << failure << Qt::endl;
        co_return 1;
    }
    out << u"done in %1 s\n"_s.arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1);
    co_return 0;
}

} // namespace

void KbCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"chunk-tokens"_s, u"kb create: target tokens per chunk."_s, u"N"_s, u"512"_s},
        {u"chunk-overlap"_s, u"kb create: tokens repeated between neighbouring chunks."_s, u"N"_s, u"64"_s},
        {u"language"_s, u"kb create: language of the documents (ISO 639-1), for stemming."_s, u"CODE"_s, u"en"_s},
        {u"embedding-model"_s, u"kb create, kb embed: the model that embeds the chunks for vector search."_s, u"MODEL"_s},
    });
}

QCoro::Task<int> KbCommand::run(CliContext context)
{
    const QStringList args = context.parser->positionalArguments().mid(1);
    const QString action = args.value(0);
    const QString name = args.value(1);
    const QStringList paths = args.mid(2);
    const bool known = QStringList{u"create"_s, u"add"_s, u"list"_s, u"status"_s, u"remove"_s, u"delete"_s, u"sync"_s, u"embed"_s}.contains(action);
    if (!known || (action != u"list"_s && name.isEmpty()) || ((action == u"add"_s || action == u"remove"_s) && paths.isEmpty())) {
        err() << usage;
        co_return 2;
    }

    auto profile = co_await ProfileDatabase::open(context.profileDir);
    if (!profile)
        co_return report(profile.error());
    IngestionStack::Options options;
    options.watchFolders = false; // the CLI runs once; the GUI follows watched folders
    auto opened = co_await IngestionStack::open(*profile, context.profileDir, options);
    if (!opened)
        co_return report(opened.error());
    IngestionStack &stack = **opened;
    KnowledgeBaseLibrary *library = stack.library();
    // Only the commands that index start the queue (which also resumes what an earlier run left
    // queued); list and status must not start extracting files behind the user's back.
    if (action == u"add"_s || action == u"sync"_s) {
        if (auto started = co_await library->start(false); !started)
            co_return report(started.error());
    }

    if (action == u"list"_s)
        co_return co_await list(stack);
    if (action == u"create"_s) {
        const ChunkingOptions chunking{context.parser->value(u"chunk-tokens"_s).toInt(),
                                       context.parser->value(u"chunk-overlap"_s).toInt()};
        auto created = co_await library->create(name, chunking, context.parser->value(u"language"_s));
        if (!created)
            co_return report(created.error());
        if (context.parser->isSet(u"embedding-model"_s)) {
            if (auto set = co_await library->setEmbeddingModel(created->id, context.parser->value(u"embedding-model"_s)); !set)
                co_return report(set.error());
        }
        QTextStream(stdout) << "Created knowledge base " << created->name << '\n';
        co_return 0;
    }

    auto knowledgeBase = co_await library->find(name);
    if (!knowledgeBase)
        co_return report(knowledgeBase.error());
    if (action == u"status"_s)
        co_return co_await status(stack, *knowledgeBase);
    if (action == u"embed"_s)
        co_return co_await embed(stack, *knowledgeBase, context);
    if (action == u"delete"_s) {
        if (auto removed = co_await library->remove(knowledgeBase->id); !removed)
            co_return report(removed.error());
        QTextStream(stdout) << "Deleted knowledge base " << knowledgeBase->name << '\n';
        co_return 0;
    }
    if (action == u"remove"_s) {
        auto removed = co_await library->removePaths(knowledgeBase->id, paths);
        if (!removed)
            co_return report(removed.error());
        QTextStream(stdout) << "Removed " << *removed << " documents from " << knowledgeBase->name << '\n';
        co_return 0;
    }

    // add, or sync: rescan what the knowledge base already has and finish its queue (also what
    // resumes an ingestion that was interrupted).
    QStringList roots;
    if (action == u"sync"_s) {
        auto sources = co_await library->sources(knowledgeBase->id);
        if (!sources)
            co_return report(sources.error());
        for (const KnowledgeBaseSource &source : std::as_const(*sources))
            roots.append(source.path);
    } else {
        for (const QString &path : paths)
            roots.append(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    }
    // Two statements, not a conditional expression: g++ 14 crashes on co_await inside ?:.
    Result<SourceSync::Summary> added;
    if (action == u"sync"_s)
        added = co_await library->syncSources(knowledgeBase->id);
    else
        added = co_await library->addPaths(knowledgeBase->id, paths);
    if (!added)
        co_return report(added.error());
    QTextStream(stdout) << added->listed << " files found, " << added->queued << " new or changed\n";
    const int code = co_await ingest(stack, knowledgeBase->id, roots);
    stack.shutdown();
    co_return code;
}

} // namespace ragdesk::cli
