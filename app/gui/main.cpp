// ragdesk: the desktop app. Parses arguments, opens the profile without blocking the window,
// wires the core objects into MainWindow and runs the event loop.

#include "core/diagnostics/StallMonitor.h"
#include "core/foundation/BuildInfo.h"
#include "core/foundation/Detach.h"
#include "core/ingest/IngestionStack.h"
#include "core/chat/AssistantCatalog.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/AssistantStore.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/llm/KeychainCredentialStore.h"
#include "core/llm/NetworkProxySettings.h"
#include "core/llm/ProviderCredentials.h"
#include "core/llm/ProviderProfileStore.h"
#include "core/llm/ProviderRegistry.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/ProfileDatabase.h"
#include "core/storage/ProfileLocation.h"
#include "ui/MainWindow.h"

#include <KSyntaxHighlighting/Repository>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QIcon>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QStatusBar>
#include <QTextStream>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

Q_LOGGING_CATEGORY(lcApp, "ragdesk.app")

/// What the command line asked for this run only; nothing here is saved.
struct RunOptions {
    QString profileDir;
    std::optional<QUrl> baseUrl;
    std::optional<QString> model;
    bool showKnowledgeBases = false;
};

/// The objects the window works with. Declared in dependency order, so they are destroyed in
/// reverse: the window first, the database connections last.
struct AppObjects {
    QNetworkAccessManager network;
    std::shared_ptr<ProfileDatabase> database;
    std::shared_ptr<ConversationStore> store;
    std::unique_ptr<MessageCheckpointer> checkpointer;
    std::unique_ptr<StallMonitor> stallMonitor;
    std::unique_ptr<ProviderProfileStore> profileStore;
    std::unique_ptr<NetworkProxyStore> proxyStore;
    /// Keys: RAGDESK_API_KEY, then the user's session-only choice, then the OS keychain.
    std::unique_ptr<ProviderCredentials> credentials;
    std::unique_ptr<ProviderRegistry> providers;
    std::unique_ptr<AssistantCatalog> assistants;
    /// Syntax definitions for code in answers: one per app, loaded once.
    std::unique_ptr<KSyntaxHighlighting::Repository> syntax;
    std::unique_ptr<AppearanceSettings> appearance;
    /// index.db, the extractor processes, the queue and the library; null if index.db failed to open.
    /// Shut down on aboutToQuit, destroyed after the window.
    std::unique_ptr<IngestionStack> ingestion;
    /// Search over the knowledge bases and the background embedding; null without ingestion.
    std::unique_ptr<RetrievalStack> retrieval;
    std::unique_ptr<MainWindow> window;
};

/// Tells the user why ragdesk cannot start, then quits once they closed the message.
void showFatalError(const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Critical, u"ragdesk"_s, message, QMessageBox::Close);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, qApp, [] { QCoreApplication::exit(1); });
    // open(), not exec(): no nested event loop, even for the last message before quitting.
    box->open();
}

/// The installed theme icon when there is one (hicolor, from the package), else the PNGs
/// compiled in from resources/icons, so a build-tree run has its icon too.
QIcon applicationIcon()
{
    QIcon bundled;
    const QDir icons(u":/icons"_s);
    for (const QString &file : icons.entryList(QDir::Files))
        bundled.addFile(icons.filePath(file)); // the size is read from the PNG
    return QIcon::fromTheme(u"org.ragdesk.Ragdesk"_s, bundled);
}

QCoro::Task<> startUp(AppObjects *objects, RunOptions options)
{
    // The database opens and migrates on its writer thread; the event loop is already running.
    auto opened = co_await ProfileDatabase::open(options.profileDir);
    if (!opened) {
        showFatalError(QApplication::translate("main", "ragdesk could not open its profile in %1.\n\n%2")
                           .arg(options.profileDir, opened.error().message));
        co_return;
    }
    objects->database = std::move(*opened);
    objects->store = std::make_shared<ConversationStore>(objects->database);
    objects->checkpointer = std::make_unique<MessageCheckpointer>(objects->store.get());
    objects->stallMonitor = std::make_unique<StallMonitor>();
    objects->stallMonitor->start();
    objects->profileStore = std::make_unique<ProviderProfileStore>(options.profileDir);
    objects->proxyStore = std::make_unique<NetworkProxyStore>(options.profileDir);
    objects->appearance = std::make_unique<AppearanceSettings>(options.profileDir);
    objects->credentials = std::make_unique<ProviderCredentials>(std::make_unique<KeychainCredentialStore>(),
                                                                 ProviderCredentials::environmentKey());
    objects->providers = std::make_unique<ProviderRegistry>(&objects->network, objects->credentials.get());

    // A few tiny reads of settings.ini, once, before the window exists.
    ProviderProfiles profiles = objects->profileStore->load();
    const NetworkProxySettings proxy = objects->proxyStore->load();
    applyNetworkProxy(&objects->network, proxy);
    const bool providerChosen = objects->profileStore->hasSavedProvider() || options.baseUrl.has_value();
    // Command-line overrides change the current profile for this run only; they are saved
    // only if the user confirms the settings dialog.
    for (ProviderSettings &provider : profiles.providers) {
        if (provider.id != profiles.currentId)
            continue;
        if (options.baseUrl)
            provider.baseUrl = *options.baseUrl;
        if (options.model)
            provider.model = *options.model;
    }
    objects->providers->setProviders(profiles.providers, profiles.currentId);

    MainWindow::Deps deps;
    deps.store = objects->store;
    deps.checkpointer = objects->checkpointer.get();
    deps.stallMonitor = objects->stallMonitor.get();
    deps.providers = objects->providers.get();
    deps.credentials = objects->credentials.get();
    deps.profileStore = objects->profileStore.get();
    deps.proxyStore = objects->proxyStore.get();
    deps.proxy = proxy;
    deps.appearance = objects->appearance.get();
    deps.theme = objects->appearance->theme();
    deps.network = &objects->network;
    deps.providerChosen = providerChosen;

    // Answers that were streaming when ragdesk last quit are marked before anyone can open them.
    const auto interrupted = co_await objects->store->markInterrupted();
    if (!interrupted)
        qCWarning(lcApp) << "could not mark interrupted answers:" << interrupted.error().message;
    else if (*interrupted > 0)
        qCInfo(lcApp) << *interrupted << "answers were interrupted by the previous run";

    // Conversations deleted last time stayed restorable (Undo) until the app quit; now they go.
    if (const auto purged = co_await objects->store->purgeDeleted(); !purged)
        qCWarning(lcApp) << "could not remove deleted conversations:" << purged.error().message;

    // The first tab starts with the user's assistant for new chats; the first start stores the default one.
    objects->assistants = std::make_unique<AssistantCatalog>(std::make_shared<AssistantStore>(objects->database));
    if (const auto loaded = co_await objects->assistants->load(); !loaded)
        qCWarning(lcApp).noquote() << "could not load the assistants:" << loaded.error().message;
    deps.assistants = objects->assistants.get();
    // Reads the definitions' index (~100 ms) while the window does not exist yet, never after.
    objects->syntax = std::make_unique<KSyntaxHighlighting::Repository>();
    deps.syntax = objects->syntax.get();

    // Knowledge bases are optional: if index.db cannot be opened the chat still works, and the
    // window says why the knowledge bases are missing.
    auto ingestion = co_await IngestionStack::open(objects->database, options.profileDir, IngestionStack::Options {});
    if (ingestion) {
        objects->ingestion = std::move(*ingestion);
        deps.library = objects->ingestion->library();
        deps.chunks = objects->ingestion->chunks();
        RetrievalStack::Options retrievalOptions;
        retrievalOptions.network = &objects->network;
        // Embeddings come from the chat provider's server, as it is set when they are needed
        // (the settings dialog can change it while the app runs).
        retrievalOptions.embeddingSettings = [objects](const QString &model) {
            const std::optional<ProviderSettings> provider = objects->providers->find(objects->providers->defaultId());
            EmbeddingSettings settings;
            settings.model = model;
            if (!provider)
                return settings;
            settings.baseUrl = provider->baseUrl;
            settings.apiKey = objects->providers->knownKey(provider->id);
            if (provider->kind == ProviderKind::Ollama)
                settings.api = EmbeddingSettings::Api::Ollama;
            return settings;
        };
        objects->retrieval = std::make_unique<RetrievalStack>(*objects->ingestion, std::move(retrievalOptions));
        deps.search = [retriever = objects->retrieval->retriever()](QString query, RetrievalOptions searchOptions,
                                                                    CancelToken cancel) {
            return retriever->search(std::move(query), std::move(searchOptions), std::move(cancel));
        };
        deps.embeddings = objects->retrieval->backfill(); // null without embedding settings
    } else {
        qCWarning(lcApp).noquote() << "knowledge bases unavailable:" << ingestion.error().message << ingestion.error().detail;
        deps.knowledgeBaseError = QApplication::translate("main", "Knowledge bases are unavailable: %1")
                                      .arg(ingestion.error().message);
    }

    objects->window = std::make_unique<MainWindow>(std::move(deps));
    objects->window->show();
    if (options.showKnowledgeBases)
        objects->window->openKnowledgeBases();

    if (objects->ingestion) {
        // Resumes files a previous run left queued and rescans the sources, in the background.
        const auto started = co_await objects->ingestion->library()->start();
        // The status bar's "worst" speaks of the running app; the first paint and font loading
        // of start-up (tens of ms, once) are not what a user feels while working.
        if (objects->stallMonitor)
            objects->stallMonitor->reset();
        if (!started && !started.error().isCancelled()) {
            qCWarning(lcApp).noquote() << "knowledge bases did not start:" << started.error().message;
            if (objects->window)
                objects->window->statusBar()->showMessage(started.error().message);
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"ragdesk"_s);
    QApplication::setApplicationDisplayName(u"ragdesk"_s);
    QApplication::setApplicationVersion(BuildInfo::version());
    // The .desktop file's id: Wayland's app_id, and how desktops match windows to launchers.
    QApplication::setDesktopFileName(u"org.ragdesk.Ragdesk"_s);
    QApplication::setWindowIcon(applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Chat with your own documents."_s);
    parser.addHelpOption();
    // Our own --version: Qt's prints only the application version, ours adds the libraries'.
    const QCommandLineOption versionOption({ u"v"_s, u"version"_s }, u"Displays version information."_s);
    parser.addOption(versionOption);
    parser.addOptions({
        { u"profile"_s, u"Profile directory (default: the XDG data dir)."_s, u"DIR"_s },
        { u"base-url"_s, u"OpenAI-compatible base URL for this run, e.g. http://localhost:11434/v1."_s, u"URL"_s },
        { u"model"_s, u"Model for this run."_s, u"NAME"_s },
        { u"knowledge-bases"_s, u"Opens the Knowledge Bases tab at start."_s },
    });
    parser.process(app);
    if (parser.isSet(versionOption)) {
        QTextStream(stdout) << BuildInfo::versionLine() << '\n';
        return 0;
    }

    const auto profileDir = ProfileLocation::resolve(parser.value(u"profile"_s));
    if (!profileDir) {
        // Shown in a window too: a desktop launcher has no terminal to read stderr from.
        qCCritical(lcApp).noquote() << profileDir.error().message;
        showFatalError(profileDir.error().message);
        return app.exec();
    }

    RunOptions options;
    options.profileDir = *profileDir;
    if (parser.isSet(u"base-url"_s))
        options.baseUrl = QUrl::fromUserInput(parser.value(u"base-url"_s));
    if (parser.isSet(u"model"_s))
        options.model = parser.value(u"model"_s);
    options.showKnowledgeBases = parser.isSet(u"knowledge-bases"_s);

    AppObjects objects;
    // Before the window and the stores go: stop claiming files and kill the extractor processes,
    // so quitting mid-ingestion is immediate. Files in flight stay queued for the next start.
    QElapsedTimer quitClock;
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &app, [&objects, &quitClock] {
        quitClock.start();
        if (objects.retrieval)
            objects.retrieval->shutdown();
        if (objects.ingestion)
            objects.ingestion->shutdown();
    });
    // Started from the event loop so that even opening the database happens with it running.
    QTimer::singleShot(0, &app, [&objects, options] { detach(startUp(&objects, options), "ragdesk start-up"); });
    const int status = app.exec();
    objects.window.reset();
    objects.retrieval.reset();
    objects.ingestion.reset();
    if (quitClock.isValid())
        qCInfo(lcApp) << "shut down in" << quitClock.elapsed() << "ms";
    return status;
}
