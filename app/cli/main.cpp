// ragdesk-cli: the GUI's core without the window, for scripting and benchmarks.

#include "app/cli/AskCommand.h"
#include "app/cli/BenchChatCommand.h"
#include "app/cli/BenchIngestCommand.h"
#include "app/cli/BenchRetrievalCommand.h"
#include "app/cli/CliContext.h"
#include "app/cli/KbCommand.h"
#include "app/cli/KeyCommand.h"
#include "app/cli/ChatCommand.h"
#include "app/cli/ModelsCommand.h"
#include "app/cli/ProviderChoice.h"
#include "core/llm/ProviderCredentials.h"
#include "app/cli/SearchCommand.h"
#include "core/foundation/BuildInfo.h"
#include "core/foundation/Detach.h"
#include "core/storage/ProfileLocation.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

QCoro::Task<> runCommand(QString command, cli::CliContext context)
{
    // A saved provider's key sits in the keychain; only commands that talk to it ask for it.
    static const QStringList usesProvider{u"ask"_s, u"chat"_s, u"models"_s, u"kb"_s, u"search"_s, u"eval"_s};
    if (context.keyFromStore && context.provider.apiKey.isEmpty() && usesProvider.contains(command))
        context.provider.apiKey = co_await cli::readProviderKey(context.provider.id);
    int code = 2;
    if (command == u"ask"_s)
        code = co_await cli::AskCommand::run(context);
    else if (command == u"bench-chat"_s)
        code = co_await cli::BenchChatCommand::run(context);
    else if (command == u"bench-ingest"_s)
        code = co_await cli::BenchIngestCommand::run(context);
    else if (command == u"bench-retrieval"_s)
        code = co_await cli::BenchRetrievalCommand::run(context);
    else if (command == u"chat"_s)
        code = co_await cli::ChatCommand::run(context);
    else if (command == u"models"_s)
        code = co_await cli::ModelsCommand::run(context);
    else if (command == u"kb"_s)
        code = co_await cli::KbCommand::run(context);
    else if (command == u"key"_s)
        code = co_await cli::KeyCommand::run(context);
    else if (command == u"search"_s)
        code = co_await cli::SearchCommand::search(context);
    else if (command == u"eval"_s)
        code = co_await cli::SearchCommand::eval(context);
    QCoreApplication::exit(code);
}

} // namespace

int main(int argc, char *argv[])
{
    // bench-ingest draws its PDFs with QPdfWriter, which needs a QGuiApplication; it never shows
    // a window, so it runs headless unless the caller chose a platform.
    const bool drawsPdfs = std::any_of(argv, argv + argc, [](const char *arg) { return qstrcmp(arg, "bench-ingest") == 0; });
    if (drawsPdfs && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> application = drawsPdfs ? std::make_unique<QGuiApplication>(argc, argv)
                                                              : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *application;
    QCoreApplication::setApplicationName(u"ragdesk"_s);
    QCoreApplication::setApplicationVersion(BuildInfo::version());

    // One parser knows every option, so global options work before and after the command name.
    QCommandLineParser parser;
    parser.setApplicationDescription(u"ragdesk command line.\n\nCommands:\n"
                                     "  bench-chat   run N chats at once and report latency and UI stalls\n"
                                     "  bench-ingest index a generated corpus while chats stream; report throughput and UI stalls\n"
                                     "  chat         ask a provider one question; the answer streams to stdout\n"
                                     "  bench-retrieval  keyword and hybrid search latency over 10^4..10^6 synthetic chunks\n"
                                     "  kb           knowledge bases: create, add, embed, list, status, remove, delete\n"
                                     "  key          API keys in the OS keychain: set (from stdin), forget, status\n"
                                     "  search       search knowledge bases: ranked passages with their scores\n"
                                     "  eval         run a query set and print recall@5/10, MRR and nDCG@10\n"
                                     "  models       list the models the server offers"_s);
    parser.addHelpOption();
    // Our own --version: Qt's prints only the application version, ours adds the libraries'.
    const QCommandLineOption versionOption({u"v"_s, u"version"_s}, u"Displays version information."_s);
    parser.addOption(versionOption);
    parser.addOptions({
        {u"profile"_s, u"Profile directory (default: the XDG data dir)."_s, u"DIR"_s},
        {u"base-url"_s, u"OpenAI-compatible base URL for this run, e.g. http://localhost:11434/v1."_s, u"URL"_s},
        {u"model"_s, u"Model for this run."_s, u"NAME"_s},
        {u"provider"_s, u"Saved provider to use (its name or id; default: the current one)."_s, u"NAME"_s},
        {u"json"_s, u"Print the result as one JSON object on the last line."_s},
    });
    cli::AskCommand::addOptions(parser);
    cli::BenchChatCommand::addOptions(parser);
    cli::ChatCommand::addOptions(parser);
    cli::BenchIngestCommand::addOptions(parser);
    cli::BenchRetrievalCommand::addOptions(parser);
    cli::KbCommand::addOptions(parser);
    cli::SearchCommand::addOptions(parser);
    parser.addPositionalArgument(u"command"_s, u"bench-chat, bench-ingest, kb, search, eval or models"_s);
    parser.addPositionalArgument(u"args"_s, u"Arguments of the command (kb: ACTION NAME [PATH...])."_s, u"[args...]"_s);
    parser.process(app);
    if (parser.isSet(versionOption)) {
        QTextStream(stdout) << BuildInfo::versionLine() << '\n';
        return 0;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        QTextStream(stderr) << parser.helpText();
        return 2;
    }
    const QString command = positional.first();
    static const QStringList commands{u"bench-chat"_s, u"bench-ingest"_s, u"kb"_s, u"models"_s, u"search"_s, u"eval"_s,
                                      u"bench-retrieval"_s, u"key"_s, u"chat"_s, u"ask"_s};
    if (!commands.contains(command)) {
        QTextStream(stderr) << "ragdesk-cli: unknown command '" << command << "'\n\n" << parser.helpText();
        return 2;
    }

    cli::CliContext context;
    context.parser = &parser;
    context.json = parser.isSet(u"json"_s);
    context.profileDir = parser.value(u"profile"_s);
    // Saved settings apply only when a profile is named or exists; flags override them for this run.
    if (!context.profileDir.isEmpty() || command == u"models"_s || command == u"chat"_s || command == u"ask"_s || command == u"kb"_s || command == u"search"_s
        || command == u"eval"_s) {
        auto dir = ProfileLocation::resolve(context.profileDir);
        if (!dir) {
            QTextStream(stderr) << "ragdesk-cli: " << dir.error().message << '\n';
            return 1;
        }
        context.profileDir = *dir;
        auto chosen = cli::chooseProvider(ProviderProfileStore(*dir).load(), parser.value(u"provider"_s));
        if (!chosen) {
            QTextStream(stderr) << "ragdesk-cli: " << chosen.error().message << '\n';
            return 2;
        }
        context.provider = *chosen;
        context.keyFromStore = true;
    }
    context.provider.apiKey = ProviderCredentials::environmentKey();
    if (parser.isSet(u"base-url"_s)) {
        context.provider.baseUrl = QUrl::fromUserInput(parser.value(u"base-url"_s));
        // Another server than the saved one: its stored key must not travel there.
        context.keyFromStore = false;
    }
    if (parser.isSet(u"model"_s))
        context.provider.model = parser.value(u"model"_s);
    if (parser.isSet(u"api"_s)) {
        const QString api = parser.value(u"api"_s);
        if (api == u"ollama"_s)
            context.provider.kind = ProviderKind::Ollama;
        else if (api == u"anthropic"_s)
            context.provider.kind = ProviderKind::Anthropic;
        else if (api == u"openai"_s)
            context.provider.kind = ProviderKind::OpenAiCompatible;
        else {
            QTextStream(stderr) << "ragdesk-cli: --api takes openai, ollama or anthropic, not '" << api << "'\n";
            return 2;
        }
    }

    QTimer::singleShot(0, &app, [command, context] { detach(runCommand(command, context), "ragdesk-cli command"); });
    return app.exec();
}
