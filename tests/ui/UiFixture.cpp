#include "tests/ui/UiFixture.h"

#include "core/diagnostics/StallMonitor.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/llm/ProviderCredentials.h"
#include "core/llm/ProviderProfileStore.h"
#include "core/llm/ProviderRegistry.h"
#include "core/llm/SessionCredentialStore.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/ShippedBinary.h"
#include "ui/ChatTab.h"
#include "ui/Composer.h"

#include <QCoreApplication>
#include <QCoroTask>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

UiFixture::UiFixture()
    : UiFixture(Config {})
{ }

UiFixture::UiFixture(Config config)
    : m_server(config.server)
{
    if (!m_profile.isValid() || !m_server.isListening()) {
        m_error = u"temp profile or fake server failed"_s;
        return;
    }
    // Opening the database in a nested loop is fine in a test; the app awaits it.
    auto database = QCoro::waitFor(ProfileDatabase::open(m_profile.path()));
    if (!database) {
        m_error = database.error().message;
        return;
    }
    m_database = *database;
    m_store = std::make_shared<ConversationStore>(m_database);
    m_checkpointer = std::make_unique<MessageCheckpointer>(m_store.get());
    m_stallMonitor = std::make_unique<StallMonitor>();
    m_stallMonitor->start();
    m_profileStore = std::make_unique<ProviderProfileStore>(m_profile.path());
    // No keychain in UI tests: an in-memory store stands in for it.
    m_credentials = std::make_unique<ProviderCredentials>(std::make_unique<SessionCredentialStore>(), QString());
    m_providers = std::make_unique<ProviderRegistry>(&m_network, m_credentials.get());
    ProviderSettings provider = ProviderProfileStore::defaultProvider();
    provider.kind = config.kind;
    provider.name = u"Fake server"_s;
    provider.baseUrl = config.deadProvider ? deadUrl() : m_server.baseUrl();
    provider.model = config.server.model;
    provider.maxConcurrent = config.maxConcurrent;
    m_providers->setProviders({provider}, provider.id);
    MainWindow::Deps deps;
    deps.store = m_store;
    deps.checkpointer = m_checkpointer.get();
    deps.stallMonitor = m_stallMonitor.get();
    deps.providers = m_providers.get();
    deps.credentials = m_credentials.get();
    deps.profileStore = m_profileStore.get();
    deps.network = &m_network;
    deps.providerChosen = config.providerChosen;
    deps.search = config.search;
    deps.autoTitle = config.autoTitle;
    if (config.knowledgeBases) {
        IngestionStack::Options options;
        options.helperPath = shippedBinary(u"ragdesk-extract"_s);
        options.watchFolders = false; // tests add paths explicitly; no inotify noise
        auto stack = QCoro::waitFor(IngestionStack::open(m_database, m_profile.path(), options));
        if (!stack) {
            m_error = stack.error().message;
            return;
        }
        m_ingestion = std::move(*stack);
        const auto started = QCoro::waitFor(m_ingestion->library()->start());
        if (!started) {
            m_error = started.error().message;
            return;
        }
        deps.library = m_ingestion->library();
        deps.chunks = m_ingestion->chunks();
    }
    m_window = std::make_unique<MainWindow>(std::move(deps));
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) {
        m_error = u"window never exposed"_s;
        m_window.reset();
        return;
    }
    // Shortcuts only fire in the active window.
    m_window->activateWindow();
    if (!QTest::qWaitForWindowActive(m_window.get())) {
        m_error = u"window never became active"_s;
        m_window.reset();
    }
}

namespace {

/// QCoro::waitFor runs no event loop when the awaited future has already finished (common on
/// a loaded machine), so a barrier alone does not deliver the wake-ups queued before it.
/// Delivers them, so coroutines of this test resume while its objects still exist, never in
/// the next test's first event loop.
void deliverQueuedWakeUps()
{
    QCoreApplication::sendPostedEvents();
}

} // namespace

UiFixture::~UiFixture()
{
    // As main() does on quit: no file is claimed or parsed while the window goes away.
    if (m_ingestion)
        m_ingestion->shutdown();
    if (m_window) {
        // A turn saves its answer after its tab is gone, through the store; let every turn end
        // before the store and the database go away.
        for (ChatTab *tab : m_window->chatTabs())
            tab->session()->stop();
        if (!QTest::qWaitFor([this] { return m_window->streamingCount() == 0; }, 5000))
            qWarning("UiFixture: answers still streaming at teardown");
        m_window.reset();
        // Cancelled requests (a closing dialog's connection test, stopped turns) resume only
        // when their queued wake-up is delivered: now, while the network manager still exists.
        deliverQueuedWakeUps();
    }
    if (m_ingestion) {
        // Barriers on the index's readers and writer: loads the closed panel started have resumed
        // (into its dead QPointer) before the stores go.
        for (int round = 0; round < 2; ++round) {
            (void)QCoro::waitFor(m_ingestion->documents()->progress(0));
            deliverQueuedWakeUps();
        }
        m_ingestion.reset();
    }
    if (m_store) {
        // Barriers on the writer and the readers: work queued before them (list reloads, final
        // writes) has resumed its coroutine by the time these return.
        for (int round = 0; round < 2; ++round) {
            (void)QCoro::waitFor(m_store->markInterrupted());
            (void)QCoro::waitFor(m_store->listConversations(1));
            (void)QCoro::waitFor(m_store->listConversations(1));
            deliverQueuedWakeUps();
        }
    }
}

void UiFixture::typeAndSend(ChatTab *tab, const QString &text)
{
    QTest::keyClicks(tab->composer(), text);
    QTest::keyClick(tab->composer(), Qt::Key_Return);
}

QList<MessageRecord> UiFixture::storedMessages(qint64 conversationId) const
{
    auto messages = QCoro::waitFor(m_store->messages(conversationId));
    return messages ? *messages : QList<MessageRecord> {};
}

QUrl UiFixture::deadUrl()
{
    // Bind an ephemeral port, then free it: nothing listens there for the rest of the test.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port));
}

} // namespace ragdesk::testing
