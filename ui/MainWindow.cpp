#include "ui/MainWindow.h"

#include "core/chat/AssistantCatalog.h"
#include "core/chat/ChatSession.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/foundation/Detach.h"
#include "core/llm/ChatProvider.h"
#include "core/llm/ProviderCredentials.h"
#include "core/llm/ProviderProfileStore.h"
#include "core/llm/ProviderRegistry.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "ui/AboutDialog.h"
#include "ui/AssistantPicker.h"
#include "ui/AssistantsDialog.h"
#include "ui/ChatTab.h"
#include "ui/ConversationFileActions.h"
#include "ui/ConversationListPanel.h"
#include "ui/IngestStatusReadout.h"
#include "ui/KnowledgeBasePanel.h"
#include "ui/SearchTab.h"
#include "ui/SettingsDialog.h"
#include "ui/SourceDocumentOpener.h"
#include "ui/StatusReadout.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QMenuBar>
#include <QNetworkAccessManager>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>
#include <QScreen>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>

#include <array>
#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

namespace {
constexpr int kMaxTabTitle = 28;

QCoro::Task<Result<ProviderHandle>> openProvider(QPointer<ProviderRegistry> providers, QString id, QString model)
{
    if (!providers)
        co_return fail(Error::Kind::Cancelled, u"The window is closing."_s);
    co_return co_await providers->open(std::move(id), std::move(model));
}

constexpr auto kSpinnerInterval = 150ms;
/// How long closing the window waits for stopped answers to be saved.
constexpr auto kCloseGrace = 3s;
constexpr std::array kSpinnerFrames = { u'◐', u'◓', u'◑', u'◒' };
} // namespace

MainWindow::MainWindow(Deps deps, QWidget *parent)
    : QMainWindow(parent)
    , m_deps(std::move(deps))
    , m_tabs(new QTabWidget(this))
    , m_list(new ConversationListPanel(m_deps.store.get(), this))
    , m_dock(new QDockWidget(tr("Conversations"), this))
    , m_status(new StatusReadout(m_deps.stallMonitor, this))
    , m_ingestStatus(new IngestStatusReadout(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(u"ragdesk"_s);
    // A comfortable default that still fits small screens (a 1366x768 laptop, a VNC session).
    const QSize preferred(1180, 760);
    const QRect available = screen() ? screen()->availableGeometry() : QRect(QPoint(), preferred);
    resize(preferred.boundedTo(available.size() * 0.92));
    m_settingsWriter.setMaxThreadCount(1);
    // Before any widget is polished, so the first paint already has the user's colours.
    m_theme.apply(m_deps.theme);

    m_tabs->setObjectName(u"chatTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->setMovable(true);
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->setUsesScrollButtons(true);
    auto *newTabButton = new QToolButton(m_tabs);
    newTabButton->setText(u"+"_s);
    newTabButton->setAutoRaise(true);
    newTabButton->setToolTip(tr("New chat (Ctrl+T)"));
    connect(newTabButton, &QToolButton::clicked, this, &MainWindow::newChat);
    m_tabs->setCornerWidget(newTabButton, Qt::TopRightCorner);
    setCentralWidget(m_tabs);

    m_dock->setObjectName(u"conversationDock"_s);
    m_dock->setWidget(createSidebar());
    m_dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    m_dock->setMinimumWidth(220);
    addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    resizeDocks({ m_dock }, { 250 }, Qt::Horizontal);

    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::onCurrentTabChanged);
    connect(m_list, &ConversationListPanel::openRequested, this, &MainWindow::openConversation);
    connect(m_list, &ConversationListPanel::newChatRequested, this, &MainWindow::newChat);
    connect(m_list, &ConversationListPanel::deleteRequested, this, [this](qint64 id, const QString &title) {
        ragdesk::detach(deleteConversation(id, title), "MainWindow::deleteConversation");
    });
    m_files = new ConversationFileActions(m_deps.store, this, m_list);
    connect(m_list, &ConversationListPanel::exportRequested, this,
        [this](qint64 id, ConversationArchive::Format format) { m_files->exportConversation(id, format, titleOf(id)); });
    connect(m_list, &ConversationListPanel::renamed, this, [this](qint64 id, const QString &title) {
        for (ChatTab *tab : chatTabs()) {
            if (tab->session()->conversationId() == id)
                tab->session()->setTitle(title);
        }
    });

    m_spinner.setInterval(kSpinnerInterval);
    connect(&m_spinner, &QTimer::timeout, this, &MainWindow::advanceSpinner);

    createMenus();
    statusBar()->addPermanentWidget(m_ingestStatus);
    statusBar()->addPermanentWidget(m_status);
    connectKnowledgeBases();
    newChat();
    m_list->refresh();

    if (!m_deps.providerChosen)
        ragdesk::detach(probeProvider(m_deps.providers->defaultId()), "MainWindow::probeProvider");
}

MainWindow::~MainWindow()
{
    // A pending start-up probe would otherwise wait forever on a reply that dies with the network.
    m_probeCancel.cancel();
    // Tabs go first so their sessions stop while the rest of the window still exists.
    while (m_tabs->count() > 0) {
        QWidget *tab = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete tab;
    }
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newChatAction = file->addAction(tr("&New Chat"), this, &MainWindow::newChat);
    newChatAction->setObjectName(u"actionNewChat"_s);
    newChatAction->setShortcut(QKeySequence::AddTab);
    QAction *searchAction = file->addAction(tr("New &Search"), this, [this] { newSearch(); });
    searchAction->setObjectName(u"actionNewSearch"_s);
    searchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    searchAction->setToolTip(tr("Search your knowledge bases in a new tab"));
    QAction *closeAction = file->addAction(tr("&Close Tab"), this, [this] { closeTab(m_tabs->currentIndex()); });
    closeAction->setObjectName(u"actionCloseTab"_s);
    closeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    file->addSeparator();
    file->addSeparator();
    QAction *exportOne = file->addAction(tr("&Export Conversation…"), this, [this] {
        ChatTab *tab = currentChatTab();
        if (tab && tab->session()->conversationId() != 0)
            m_files->exportConversation(tab->session()->conversationId(), ConversationArchive::Format::Markdown, tab->title());
        else
            m_list->showNotice(tr("Open a conversation to export it, or use Export All Conversations."));
    });
    exportOne->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export &All Conversations…"), m_files, &ConversationFileActions::exportAll);
    file->addAction(tr("&Import Conversations…"), m_files, &ConversationFileActions::importConversations);
    file->addSeparator();
    QAction *assistants = file->addAction(tr("&Assistants…"), this, &MainWindow::openAssistants);
    assistants->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    assistants->setEnabled(m_deps.assistants != nullptr);
    QAction *settings = file->addAction(tr("&Settings…"), this, [this] { openSettings(); });
    settings->setObjectName(u"actionSettings"_s);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(u"actionQuit"_s);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *next = view->addAction(tr("&Next Tab"), this, [this] { switchTab(1); });
    next->setObjectName(u"actionNextTab"_s);
    next->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown) });
    QAction *previous = view->addAction(tr("&Previous Tab"), this, [this] { switchTab(-1); });
    previous->setObjectName(u"actionPreviousTab"_s);
    previous->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageUp) });
    view->addSeparator();
    QAction *sidebar = m_dock->toggleViewAction();
    sidebar->setText(tr("&Conversation List"));
    sidebar->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    view->addAction(sidebar);

    view->addSeparator();
    QAction *knowledgeBases = view->addAction(tr("&Knowledge Bases"), this, [this] { openKnowledgeBases(); });
    knowledgeBases->setObjectName(u"actionKnowledgeBases"_s);
    knowledgeBases->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    knowledgeBases->setToolTip(tr("Create knowledge bases, add files and folders, watch them being indexed"));

    QMenu *theme = view->addMenu(tr("&Theme"));
    auto *themes = new QActionGroup(this);
    const std::array choices = { std::pair { tr("&System"), ThemeMode::System },
        std::pair { tr("&Light"), ThemeMode::Light }, std::pair { tr("&Dark"), ThemeMode::Dark } };
    for (const auto &[label, mode] : choices) {
        QAction *action = theme->addAction(label, this, [this, mode] { setTheme(mode); });
        action->setCheckable(true);
        action->setChecked(mode == m_theme.mode());
        themes->addAction(action);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ragdesk"), this, &MainWindow::showAbout);
}

ChatServices MainWindow::services() const
{
    // A QPointer: a session that outlives the window (its last write finishing) gets an error,
    // never a dangling registry.
    ChatServices services { m_deps.store, m_deps.checkpointer,
        [providers = QPointer<ProviderRegistry>(m_deps.providers)](QString id, QString model) {
            return openProvider(providers, std::move(id), std::move(model));
        },
        RetryPolicy() };
    // Chat turns search the way search tabs do: the same retriever, off the UI thread.
    services.retrieve = m_deps.search;
    // New conversations are named by the model after their first exchange.
    services.autoTitle = m_deps.autoTitle;
    return services;
}

ChatTab *MainWindow::newChat()
{
    ChatTab *tab = insertChatTab(m_tabs->count());
    m_tabs->setCurrentWidget(tab);
    tab->setFocus();
    return tab;
}

void MainWindow::addCloseButton(int index, QWidget *tab)
{
    // A quiet text button instead of the style's red close icon; it finds its tab when clicked,
    // since tabs can be moved.
    auto *close = new QToolButton(m_tabs->tabBar());
    close->setObjectName(u"tabCloseButton"_s);
    close->setText(u"✕"_s);
    close->setAutoRaise(true);
    close->setFixedSize(20, 20);
    close->setToolTip(tr("Close tab (Ctrl+W)"));
    connect(close, &QToolButton::clicked, this, [this, tab] { closeTab(m_tabs->indexOf(tab)); });
    m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, close);
}

ChatTab *MainWindow::insertChatTab(int index)
{
    auto *tab = new ChatTab(services(), m_deps.providers, m_deps.assistants, m_deps.syntax, m_tabs);
    connect(tab, &ChatTab::assistantsRequested, this, &MainWindow::openAssistants);
    connect(tab, &ChatTab::openDocumentRequested, this, [this](const CitationSnapshot &source) {
        DocumentTextFunction documentText;
        if (m_deps.chunks)
            documentText = [chunks = m_deps.chunks](qint64 documentId) { return chunks->documentText(documentId); };
        SourceDocumentOpener(std::move(documentText), this).open(source);
    });
    connect(tab, &ChatTab::stateChanged, this, [this, tab] {
        updateTabLabel(tab);
        updateStreamingStatus();
        if (tab == currentChatTab())
            m_list->setCurrentConversation(tab->session()->conversationId());
    });
    connect(tab, &ChatTab::conversationsChanged, m_list, &ConversationListPanel::refresh);
    connect(tab, &ChatTab::settingsRequested, this, &MainWindow::openSettings);
    m_tabs->insertTab(index, tab, tab->title());
    addCloseButton(index, tab);
    updateTabLabel(tab);
    if (!m_welcomeError.isEmpty())
        tab->showWelcome(m_welcomeError);
    return tab;
}

void MainWindow::openConversation(qint64 id, const QString &title)
{
    for (ChatTab *tab : chatTabs()) {
        if (tab->session()->conversationId() == id) {
            m_tabs->setCurrentWidget(tab);
            return;
        }
    }
    // An untouched empty chat is replaced instead of piling up next to the opened one.
    ChatTab *current = currentChatTab();
    const bool replace = current && current->isPristine();
    ChatTab *tab = insertChatTab(replace ? m_tabs->currentIndex() : m_tabs->count());
    m_tabs->setCurrentWidget(tab);
    if (replace) {
        m_tabs->removeTab(m_tabs->indexOf(current));
        current->retire();
    }
    tab->openConversation(id, title);
}

QString MainWindow::titleOf(qint64 conversationId) const
{
    for (ChatTab *tab : chatTabs()) {
        if (tab->session()->conversationId() == conversationId)
            return tab->title();
    }
    return m_list->titleOf(conversationId);
}

void MainWindow::openAssistants()
{
    if (m_assistantsDialog) {
        m_assistantsDialog->raise();
        m_assistantsDialog->activateWindow();
        return;
    }
    if (m_deps.assistants)
        ragdesk::detach(showAssistantsDialog(), "MainWindow::showAssistantsDialog");
}

AssistantsDialog *MainWindow::assistantsDialog() const
{
    return m_assistantsDialog.data();
}

QCoro::Task<> MainWindow::showAssistantsDialog()
{
    QPointer<MainWindow> self(this);
    // The knowledge bases to choose from come from the index threads; the dialog waits for them.
    QList<KnowledgeBase> knowledgeBases;
    if (m_deps.library) {
        auto listed = co_await m_deps.library->list();
        if (!self)
            co_return;
        if (listed)
            knowledgeBases = std::move(*listed);
        else
            statusBar()->showMessage(tr("Could not list the knowledge bases: %1").arg(listed.error().message), 8000);
    }
    if (m_assistantsDialog || !m_deps.assistants)
        co_return;
    auto *dialog = new AssistantsDialog(m_deps.assistants->assistants(), std::move(knowledgeBases),
        m_deps.providers ? m_deps.providers->providers() : QList<ProviderSettings>(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    if (ChatTab *tab = currentChatTab(); tab && tab->assistantPicker())
        dialog->select(tab->assistantPicker()->assistant().id);
    m_assistantsDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        ragdesk::detach(saveAssistants(dialog->assistants(), dialog->removedIds()), "MainWindow::saveAssistants");
    });
    dialog->open();
}

QCoro::Task<> MainWindow::saveAssistants(QList<Assistant> ordered, QList<qint64> removed)
{
    QPointer<MainWindow> self(this);
    auto saved = co_await m_deps.assistants->save(std::move(ordered), std::move(removed));
    if (!self || saved)
        co_return;
    // Nothing was stored (one transaction): say why; the dialog's edits are gone, so say that too.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Assistants not saved"),
        tr("Could not save the assistants: %1\nNothing was changed; open Assistants… to try again.")
            .arg(saved.error().message),
        QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeTab(int index)
{
    if (m_knowledgeBasePanel && m_tabs->widget(index) == m_knowledgeBasePanel) {
        // Kept alive (hidden, still a child of the window): reopening shows it as it was.
        m_tabs->removeTab(index);
        if (m_tabs->count() == 0 && !m_closing)
            newChat();
        return;
    }
    if (auto *search = qobject_cast<SearchTab *>(m_tabs->widget(index))) {
        // Deleting it cancels its query; the engine's late answer finds the tab gone.
        m_tabs->removeTab(index);
        search->deleteLater();
        if (m_tabs->count() == 0 && !m_closing)
            newChat();
        return;
    }
    auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(index));
    if (!tab)
        return;
    m_tabs->removeTab(index);
    tab->retire();
    // The window always offers somewhere to type.
    if (m_tabs->count() == 0 && !m_closing)
        newChat();
    updateStreamingStatus();
}

void MainWindow::switchTab(int step)
{
    const int count = m_tabs->count();
    if (count > 1)
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + step + count) % count);
}

QList<ChatTab *> MainWindow::chatTabs() const
{
    QList<ChatTab *> tabs;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(i)))
            tabs.append(tab);
    }
    return tabs;
}

ChatTab *MainWindow::currentChatTab() const
{
    return qobject_cast<ChatTab *>(m_tabs->currentWidget());
}

SettingsDialog *MainWindow::settingsDialog() const
{
    return m_settingsDialog.data();
}

int MainWindow::streamingCount() const
{
    int count = 0;
    for (ChatTab *tab : chatTabs())
        count += tab->isStreaming() ? 1 : 0;
    return count;
}

void MainWindow::onCurrentTabChanged()
{
    ChatTab *tab = currentChatTab();
    m_list->setCurrentConversation(tab ? tab->session()->conversationId() : 0);
    if (tab)
        tab->setFocus();
    else if (auto *search = qobject_cast<SearchTab *>(m_tabs->currentWidget()))
        search->setFocus();
}

void MainWindow::updateTabLabel(ChatTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    const QString title = tab->title();
    QString label = title.size() > kMaxTabTitle ? title.left(kMaxTabTitle - 1).trimmed() + u'…' : title;
    // A spinning mark tells which tabs are still answering without opening them.
    if (tab->isStreaming())
        label = QString(kSpinnerFrames.at(size_t(m_spinnerFrame) % kSpinnerFrames.size())) + u"  "_s + label;
    m_tabs->setTabText(index, label);
    m_tabs->setTabToolTip(index, tab->isStreaming() ? tr("%1 (answering…)").arg(title) : title);
}

void MainWindow::advanceSpinner()
{
    ++m_spinnerFrame;
    for (ChatTab *tab : chatTabs()) {
        if (tab->isStreaming())
            updateTabLabel(tab);
    }
}

void MainWindow::updateStreamingStatus()
{
    const int streaming = streamingCount();
    m_status->setStreamingCount(streaming);
    if (streaming > 0 && !m_spinner.isActive())
        m_spinner.start();
    else if (streaming == 0)
        m_spinner.stop();
    // Closing waits for stopped answers to be saved; this is the moment they all are.
    if (m_closing && streaming == 0)
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::openSettings(const QUrl &baseUrl, const QString &model)
{
    if (!m_settingsDialog) {
        m_settingsDialog = new SettingsDialog(m_deps.network, m_deps.credentials, m_deps.providers->providers(),
                                              m_deps.providers->defaultId(), m_deps.proxy, this);
        m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<SettingsDialog> dialog = m_settingsDialog;
        connect(m_settingsDialog, &QDialog::accepted, this, [this, dialog] {
            if (dialog)
                applySettings(dialog->providers(), dialog->currentProviderId(), dialog->proxy(), dialog->sessionOnlyKeys());
        });
        // open(), not exec(): window-modal, but the event loop and every stream keep running.
        m_settingsDialog->open();
    } else {
        m_settingsDialog->raise();
        m_settingsDialog->activateWindow();
    }
    if (!baseUrl.isEmpty())
        m_settingsDialog->prefill(baseUrl, model);
}

void MainWindow::applySettings(QList<ProviderSettings> providers, const QString &defaultId,
                               const NetworkProxySettings &proxy, const QHash<QString, QString> &sessionKeys)
{
    if (m_deps.credentials) {
        for (auto it = sessionKeys.cbegin(); it != sessionKeys.cend(); ++it)
            m_deps.credentials->keepInMemoryForSession(it.key(), it.value());
    }
    for (ProviderSettings &provider : providers)
        provider.apiKey.clear();
    // Streams already running keep their provider (they hold it); new turns open the new one.
    m_deps.providers->forgetKeys();
    m_deps.providers->setProviders(providers, defaultId);
    m_deps.proxy = proxy;
    applyNetworkProxy(m_deps.network, proxy);
    // Trusted certificates or the proxy may have changed; idle connections would keep the old.
    m_deps.network->clearConnectionCache();
    if (m_deps.profileStore) {
        m_settingsWriter.start([store = *m_deps.profileStore, providers, defaultId] { store.save(providers, defaultId); });
    }
    if (m_deps.proxyStore)
        m_settingsWriter.start([store = *m_deps.proxyStore, proxy] { store.save(proxy); });
    m_deps.providerChosen = true;
    m_welcomeError.clear();
    for (ChatTab *tab : chatTabs())
        tab->hideWelcome();
    const ProviderSettings current = providerSettings();
    statusBar()->showMessage(tr("Using %1 at %2").arg(current.model, current.baseUrl.toDisplayString()), 6000);
}

void MainWindow::applySettings(const ProviderSettings &settings)
{
    QList<ProviderSettings> providers = m_deps.providers->providers();
    const auto same = std::find_if(providers.begin(), providers.end(),
                                   [&](const ProviderSettings &p) { return p.id == settings.id; });
    if (same != providers.end())
        *same = settings;
    else
        providers.append(settings);
    QHash<QString, QString> keys;
    if (!settings.apiKey.isEmpty())
        keys.insert(settings.id, settings.apiKey);
    applySettings(providers, settings.id, m_deps.proxy, keys);
}

ProviderSettings MainWindow::providerSettings() const
{
    return m_deps.providers->find(m_deps.providers->defaultId()).value_or(ProviderSettings());
}

QString MainWindow::knownKey(const QString &id) const
{
    return m_deps.providers->knownKey(id);
}

void MainWindow::setTheme(ThemeMode mode)
{
    m_theme.apply(mode);
    if (m_deps.appearance)
        m_settingsWriter.start([appearance = *m_deps.appearance, mode] { appearance.saveTheme(mode); });
}

QCoro::Task<> MainWindow::probeProvider(QString providerId)
{
    QPointer<MainWindow> self(this);
    const CancelToken cancel = m_probeCancel;
    auto handle = co_await m_deps.providers->open(providerId, {});
    if (!self || cancel.isCancelled() || !handle)
        co_return;
    const Result<QStringList> models = co_await handle->provider->listModels(cancel);
    // Cancelled means the window is being destroyed: touch nothing.
    if (!models && models.error().isCancelled())
        co_return;
    // The window may be gone, or the user may have chosen a provider while we waited.
    if (!self || m_deps.providerChosen || providerId != m_deps.providers->defaultId())
        co_return;
    if (models)
        co_return;
    m_welcomeError = models.error().message.isEmpty() ? tr("no answer") : models.error().message;
    for (ChatTab *tab : chatTabs()) {
        if (tab->isPristine())
            tab->showWelcome(m_welcomeError);
    }
}

QCoro::Task<> MainWindow::deleteConversation(qint64 id, QString title)
{
    for (ChatTab *tab : chatTabs()) {
        if (tab->session()->conversationId() == id)
            closeTab(m_tabs->indexOf(tab));
    }
    QPointer<MainWindow> self(this);
    ConversationStore *store = m_deps.store.get();
    // A soft delete: Undo restores it until the next start purges it.
    const Result<void> deleted = co_await store->deleteConversation(id);
    if (!self)
        co_return;
    if (!deleted) {
        m_list->showNotice(tr("Could not delete the conversation: %1").arg(deleted.error().message));
        co_return;
    }
    m_list->offerUndo(id, title);
    m_list->refresh();
}

QWidget *MainWindow::createSidebar()
{
    if (!m_deps.library && m_deps.knowledgeBaseError.isEmpty())
        return m_list;
    auto *sidebar = new QWidget(this);
    auto *button = new QPushButton(tr("Knowledge Bases"), sidebar);
    button->setObjectName(u"sidebarKnowledgeBases"_s);
    button->setToolTip(tr("Your indexed files and folders (Ctrl+Shift+K)"));
    connect(button, &QPushButton::clicked, this, [this] { openKnowledgeBases(); });
    auto *layout = new QVBoxLayout(sidebar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_list, 1);
    auto *footer = new QVBoxLayout;
    footer->setContentsMargins(8, 0, 8, 8);
    footer->addWidget(button);
    layout->addLayout(footer);
    return sidebar;
}

void MainWindow::connectKnowledgeBases()
{
    connect(m_ingestStatus, &IngestStatusReadout::clicked, this, [this] { openKnowledgeBases(); });
    if (!m_deps.knowledgeBaseError.isEmpty())
        statusBar()->showMessage(m_deps.knowledgeBaseError);
    if (!m_deps.library)
        return;
    connect(m_deps.library, &KnowledgeBaseLibrary::backgroundError, this,
        [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    connect(m_deps.library->queue(), &IngestQueue::progressChanged, this,
        [this](qint64 knowledgeBaseId, const IngestProgress &progress) {
            if (knowledgeBaseId == 0)
                m_ingestStatus->setProgress(progress);
        });
    connect(m_deps.library->queue(), &IngestQueue::idle, this, [this] { m_ingestStatus->setProgress({}); });
}

KnowledgeBasePanel *MainWindow::knowledgeBasePanel() const
{
    return m_knowledgeBasePanel.data();
}

KnowledgeBasePanel *MainWindow::openKnowledgeBases()
{
    if (!m_deps.library) {
        auto *box = new QMessageBox(QMessageBox::Information, tr("Knowledge Bases"),
            m_deps.knowledgeBaseError.isEmpty() ? tr("Knowledge bases are not available in this window.")
                                                : m_deps.knowledgeBaseError,
            QMessageBox::Close, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        // open(), not exec(): no nested event loop.
        box->open();
        return nullptr;
    }
    if (!m_knowledgeBasePanel) {
        m_knowledgeBasePanel = new KnowledgeBasePanel(m_deps.library, m_deps.chunks, m_deps.embeddings, m_tabs);
        connect(m_knowledgeBasePanel, &KnowledgeBasePanel::message, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    }
    int index = m_tabs->indexOf(m_knowledgeBasePanel);
    if (index < 0) {
        index = m_tabs->addTab(m_knowledgeBasePanel, tr("Knowledge Bases"));
        auto *close = new QToolButton(m_tabs->tabBar());
        close->setObjectName(u"tabCloseButton"_s);
        close->setText(u"✕"_s);
        close->setAutoRaise(true);
        close->setFixedSize(20, 20);
        close->setToolTip(tr("Close tab (Ctrl+W)"));
        connect(close, &QToolButton::clicked, this,
            [this] { closeTab(m_tabs->indexOf(m_knowledgeBasePanel)); });
        m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, close);
    }
    m_tabs->setCurrentIndex(index);
    m_knowledgeBasePanel->setFocus();
    return m_knowledgeBasePanel;
}

SearchTab *MainWindow::newSearch()
{
    if (!m_deps.search) {
        auto *box = new QMessageBox(QMessageBox::Information, tr("Search"),
            m_deps.knowledgeBaseError.isEmpty()
                ? tr("Search is not available in this window: it needs the knowledge-base index.")
                : tr("Search is not available: %1").arg(m_deps.knowledgeBaseError),
            QMessageBox::Close, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return nullptr;
    }
    SearchTab::Services services { m_deps.search, {}, m_deps.library };
    // Summaries open their provider the way chat turns do, with an assistant from the catalog.
    services.openProvider = this->services().openProvider;
    services.assistants = m_deps.assistants;
    services.syntax = m_deps.syntax;
    if (m_deps.chunks) {
        services.documentText = [chunks = m_deps.chunks](qint64 documentId) {
            return chunks->documentText(documentId);
        };
    }
    auto *tab = new SearchTab(std::move(services), m_tabs);
    const int index = m_tabs->addTab(tab, tab->title());
    addCloseButton(index, tab);
    connect(tab, &SearchTab::titleChanged, this, [this, tab] { updateSearchTabLabel(tab); });
    connect(tab, &SearchTab::assistantsRequested, this, &MainWindow::openAssistants);
    m_tabs->setCurrentWidget(tab);
    tab->setFocus();
    return tab;
}

void MainWindow::updateSearchTabLabel(SearchTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    const QString title = tab->title();
    m_tabs->setTabText(index, title.size() > kMaxTabTitle ? title.left(kMaxTabTitle - 1).trimmed() + u'…' : title);
    m_tabs->setTabToolTip(index, title);
}

void MainWindow::showAbout()
{
    // One About window at a time; asking again brings it forward.
    if (auto *open = findChild<AboutDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    // show(), not exec(): the chats keep streaming while it is open.
    (new AboutDialog(this))->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (streamingCount() > 0 && !m_forceClose) {
        // Stop every answer and close once they are saved as `stopped`, not `interrupted`.
        event->ignore();
        if (!m_closing) {
            m_closing = true;
            for (ChatTab *tab : chatTabs())
                tab->session()->stop();
            QTimer::singleShot(kCloseGrace, this, [this] {
                m_forceClose = true;
                close();
            });
        }
        return;
    }
    if (m_settingsDialog)
        m_settingsDialog->close();
    event->accept();
}

} // namespace ragdesk
