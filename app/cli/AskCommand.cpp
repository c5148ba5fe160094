#include "app/cli/AskCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/ProviderChoice.h"
#include "core/chat/AssistantCatalog.h"
#include "core/chat/ChatSession.h"
#include "core/ingest/IngestionStack.h"
#include "core/llm/ChatProviderFactory.h"
#include "core/llm/ProviderProfileStore.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/AssistantStore.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/ProfileDatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

QString usage()
{
    return u"usage: ragdesk-cli ask [--assistant NAME] [--conversation ID] [--provider NAME] [--model M] [--json] QUESTION"_s;
}

/// The assistant's own provider and model, unless the command line named others.
QCoro::Task<Result<ProviderSettings>> providerFor(CliContext context, Assistant assistant)
{
    ProviderSettings provider = context.provider;
    const QCommandLineParser &parser = *context.parser;
    if (!assistant.providerId.isEmpty() && !parser.isSet(u"provider"_s) && !parser.isSet(u"base-url"_s)) {
        auto chosen = chooseProvider(ProviderProfileStore(context.profileDir).load(), assistant.providerId);
        // A provider deleted since the assistant was made: the current one answers instead.
        if (chosen && chosen->id != provider.id) {
            provider = *chosen;
            provider.apiKey = co_await readProviderKey(provider.id);
        }
    }
    if (!assistant.model.isEmpty() && !parser.isSet(u"model"_s))
        provider.model = assistant.model;
    co_return provider;
}

QString sourceLine(const CitationSnapshot &source)
{
    QString line = u"[%1] %2"_s.arg(source.number).arg(source.documentTitle.isEmpty() ? source.documentPath
                                                                                      : source.documentTitle);
    if (source.page > 0)
        line += u", p. %1"_s.arg(source.page);
    // Markdown headings usually start with the document's own title; it is already printed.
    QString heading = source.headingPath;
    const QString titlePrefix = source.documentTitle + u" › "_s; // the Chunker's separator
    if (heading.startsWith(titlePrefix))
        heading = heading.mid(titlePrefix.size());
    if (!heading.isEmpty() && heading != source.documentTitle)
        line += u" › "_s + heading;
    if (!source.documentPath.isEmpty() && source.documentPath != source.documentTitle)
        line += u" (%1)"_s.arg(source.documentPath);
    return line;
}

/// The sources the answer cites, in number order; every listed one when it cites none.
QList<CitationSnapshot> citedSources(const MessageRecord &answer, QList<bool> *inferred)
{
    QList<int> numbers;
    QList<bool> guessed;
    for (const CitationMarker &marker : answer.citations) {
        for (int number : marker.sources) {
            if (!numbers.contains(number)) {
                numbers.append(number);
                guessed.append(marker.inferred);
            }
        }
    }
    QList<CitationSnapshot> cited;
    for (const CitationSnapshot &source : answer.sources) {
        const qsizetype at = numbers.indexOf(source.number);
        if (at >= 0) {
            cited.append(source);
            inferred->append(guessed.at(at));
        }
    }
    return cited;
}

QJsonObject jsonResult(const MessageRecord &answer, qint64 conversationId)
{
    QList<bool> inferred;
    const QList<CitationSnapshot> cited = citedSources(answer, &inferred);
    QJsonArray citations;
    for (qsizetype i = 0; i < cited.size(); ++i) {
        const CitationSnapshot &source = cited.at(i);
        citations.append(QJsonObject{{u"n"_s, source.number},
                                     {u"document"_s, source.documentTitle},
                                     {u"path"_s, source.documentPath},
                                     {u"page"_s, source.page},
                                     {u"chunk_id"_s, source.chunkId},
                                     {u"inferred"_s, inferred.at(i)}});
    }
    QJsonObject result{{u"answer"_s, answer.content},
                       {u"citations"_s, citations},
                       {u"metrics"_s, answer.metrics},
                       {u"conversation_id"_s, conversationId},
                       {u"status"_s, messageStatusName(answer.status)}};
    if (!answer.errorText.isEmpty())
        result.insert(u"error"_s, answer.errorText);
    return result;
}

} // namespace

void AskCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"assistant"_s, u"ask: the assistant to ask (default: the one new chats use)."_s, u"NAME"_s},
        {u"conversation"_s, u"ask: continue this stored conversation (its id) instead of starting one."_s, u"ID"_s},
    });
}

QCoro::Task<int> AskCommand::run(CliContext context)
{
    const QString question = context.parser->positionalArguments().mid(1).join(u' ').trimmed();
    if (question.isEmpty()) {
        err() << usage() << Qt::endl;
        co_return 2;
    }
    auto profile = co_await ProfileDatabase::open(context.profileDir);
    if (!profile)
        co_return report(profile.error());
    AssistantCatalog catalog(std::make_shared<AssistantStore>(*profile));
    if (auto loaded = co_await catalog.load(); !loaded)
        co_return report(loaded.error());
    Assistant assistant = catalog.forNewChats();
    if (const QString wanted = context.parser->value(u"assistant"_s); !wanted.isEmpty()) {
        const auto found = catalog.findByName(wanted);
        if (!found) {
            QStringList names;
            for (const Assistant &known : catalog.assistants())
                names.append(known.name);
            co_return report(Error(Error::Kind::Configuration, u"There is no assistant named \u201c%1\u201d. The assistants are: %2."_s
                                                                   .arg(wanted, names.join(u", "_s))));
        }
        assistant = *found;
    }
    auto provider = co_await providerFor(context, assistant);
    if (!provider)
        co_return report(provider.error());

    IngestionStack::Options ingestOptions;
    ingestOptions.watchFolders = false;
    auto ingestion = co_await IngestionStack::open(*profile, context.profileDir, ingestOptions);
    if (!ingestion)
        co_return report(ingestion.error());
    QNetworkAccessManager network;
    RetrievalStack::Options retrievalOptions;
    retrievalOptions.network = &network;
    retrievalOptions.backfill = false; // asking never starts embedding; `kb embed` does
    context.provider = *provider;
    if (provider->baseUrl.isValid())
        retrievalOptions.embeddingSettings = context.embeddingSettings();
    RetrievalStack retrieval(**ingestion, retrievalOptions);

    auto store = std::make_shared<ConversationStore>(*profile);
    MessageCheckpointer checkpointer(store.get());
    ChatServices services;
    services.store = store;
    services.checkpointer = &checkpointer;
    services.openProvider = ChatServices::fixed({makeChatProvider(&network, *provider), {}});
    services.retrieve = [retriever = retrieval.retriever()](QString query, RetrievalOptions options,
                                                            CancelToken cancel) {
        return retriever->search(std::move(query), std::move(options), std::move(cancel));
    };
    ChatSession session(services);
    session.setAssistant(assistant);
    if (const QString id = context.parser->value(u"conversation"_s); !id.isEmpty()) {
        bool valid = false;
        const qint64 conversationId = id.toLongLong(&valid);
        if (!valid || conversationId <= 0)
            co_return report(Error(Error::Kind::Configuration, u"--conversation takes a conversation id, not \u201c%1\u201d."_s.arg(id)));
        if (auto opened = co_await session.open(conversationId); !opened)
            co_return report(opened.error());
    }

    // The answer streams to stdout as it arrives; only its new characters are written each time.
    QTextStream out(stdout);
    qsizetype printed = 0;
    QObject::connect(&session, &ChatSession::messageTextAppended, &session, [&](int index) {
        const MessageRecord &message = session.messages().at(index);
        if (!context.json && message.content.size() > printed) {
            out << QStringView(message.content).mid(printed) << Qt::flush;
            printed = message.content.size();
        }
    });
    QObject::connect(&session, &ChatSession::waitChanged, &session, [](const StreamWait &wait) {
        if (wait.reason == StreamWait::Reason::QueuedForSlot)
            err() << "ragdesk-cli: waiting for a free slot (" << wait.ahead << " ahead)" << Qt::endl;
        else if (wait.reason != StreamWait::Reason::None)
            err() << "ragdesk-cli: " << wait.why << Qt::endl;
    });
    const auto turn = co_await session.runTurn(question);
    (*ingestion)->shutdown();
    checkpointer.flush();

    const MessageRecord answer = session.messages().isEmpty() ? MessageRecord() : session.messages().last();
    if (context.json) {
        out << QJsonDocument(jsonResult(answer, session.conversationId())).toJson(QJsonDocument::Compact) << '\n';
    } else {
        // A reply that never streamed (the assistant's "nothing found" text) is printed whole.
        if (answer.content.size() > printed)
            out << QStringView(answer.content).mid(printed);
        out << '\n';
        QList<bool> inferred;
        const QList<CitationSnapshot> cited = citedSources(answer, &inferred);
        if (!cited.isEmpty()) {
            out << (inferred.contains(false) ? "\nSources:\n" : "\nSources (matched by the app, not cited by the model):\n");
            for (const CitationSnapshot &source : cited)
                out << "  " << sourceLine(source) << '\n';
        }
        out << "\nConversation " << session.conversationId() << '\n';
    }
    out.flush();
    if (!turn && !turn.error().isCancelled())
        co_return report(turn.error());
    co_return 0;
}

} // namespace ragdesk::cli
