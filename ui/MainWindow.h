#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/NetworkProxySettings.h"
#include "core/storage/Assistant.h"
#include "ui/AppTheme.h"
#include "ui/AppearanceSettings.h"
#include "ui/SearchFunction.h"

#include <QCoroTask>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <memory>

class QDockWidget;
class QNetworkAccessManager;
class QTabWidget;

namespace KSyntaxHighlighting {
class Repository;
}

namespace ragdesk {

class AssistantCatalog;
class AssistantsDialog;
class ChatProvider;
class ChatTab;
class ChunkStore;
class EmbeddingBackfill;
class IngestStatusReadout;
class KnowledgeBaseLibrary;
class KnowledgeBasePanel;
class ConversationFileActions;
class ConversationListPanel;
class ConversationStore;
class MessageCheckpointer;
class SearchTab;
class NetworkProxyStore;
class ProviderCredentials;
class ProviderProfileStore;
class ProviderRegistry;
class SettingsDialog;
class StallMonitor;
class StatusReadout;
struct ChatServices;

/// The window: chat tabs, the sidebar of stored conversations, menus, and a status bar with
/// the number of streaming answers and the live UI latency. The providers live in the
/// ProviderRegistry; every chat tab picks one, and sessions open it for each new turn.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// What the window works with. Everything is owned by main() (or the test) and outlives the window.
    struct Deps {
        std::shared_ptr<ConversationStore> store;
        MessageCheckpointer *checkpointer = nullptr;
        StallMonitor *stallMonitor = nullptr; ///< optional; no latency readout without it
        /// The configured providers with their limiters; required.
        ProviderRegistry *providers = nullptr;
        /// Where keys are read and written (keychain, or memory by the user's choice); optional.
        ProviderCredentials *credentials = nullptr;
        /// Where the provider profiles and the proxy are saved; optional (not saved without).
        ProviderProfileStore *profileStore = nullptr;
        NetworkProxyStore *proxyStore = nullptr;
        NetworkProxySettings proxy;
        AppearanceSettings *appearance = nullptr; ///< optional; the theme is not remembered without it
        ThemeMode theme = ThemeMode::System; ///< the remembered theme, applied before the first paint
        QNetworkAccessManager *network = nullptr;
        /// ProviderProfileStore::hasSavedProvider(), read by main() at startup so the window
        /// never touches files; false runs the first-start probe and may show the welcome guide.
        bool providerChosen = true;
        /// Knowledge bases; null (the default) leaves the window without them. Outlives the window.
        KnowledgeBaseLibrary *library = nullptr;
        std::shared_ptr<ChunkStore> chunks;
        /// Embeds chunks in the background (RetrievalStack::backfill()); optional, outlives the
        /// window. Null: the Knowledge Bases tab says vectors are unavailable.
        EmbeddingBackfill *embeddings = nullptr;
        /// Why knowledge bases are unavailable (index.db would not open), shown instead of the panel.
        QString knowledgeBaseError;
        /// Runs a retrieval off the UI thread (HybridRetriever). Empty: no search tabs; the
        /// Search action then says why.
        SearchFunction search;
        /// The assistants for the chat tabs' pickers and the Assistants dialog; optional (tabs
        /// then chat with the built-in default assistant). Outlives the window.
        AssistantCatalog *assistants = nullptr;
        /// The app's one syntax-highlighting Repository (loading one costs ~100 ms); null: code
        /// in answers is shown plain.
        const KSyntaxHighlighting::Repository *syntax = nullptr;
        /// Name new conversations with the model after their first exchange (one short request).
        bool autoTitle = true;
    };

    explicit MainWindow(Deps deps, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens an empty chat in a new tab and focuses its composer.
    ChatTab *newChat();
    /// Shows the stored conversation @p id: focuses its tab, or opens one.
    void openConversation(qint64 id, const QString &title = {});
    /// Closes a tab; a streaming answer is stopped and saved as `stopped` first.
    void closeTab(int index);
    /// Opens the settings dialog (window-modal, never blocking); prefilled when @p baseUrl is set.
    void openSettings(const QUrl &baseUrl = {}, const QString &model = {});
    /// Opens the Assistants dialog (window-modal, never blocking); the result is stored on OK.
    void openAssistants();
    /// Export and Import of conversations (the File menu's and the sidebar's).
    [[nodiscard]] ConversationFileActions *conversationFiles() const { return m_files; }
    /// Takes the settings dialog's result: the profiles (saved without keys), the default one,
    /// the proxy, and the keys the user chose to keep in memory only. New turns use them.
    void applySettings(QList<ProviderSettings> providers, const QString &defaultId, const NetworkProxySettings &proxy,
                       const QHash<QString, QString> &sessionKeys);
    /// Replaces (or adds) the one profile with @p settings.id and makes it the default; a key in
    /// it is kept in memory for the session. The first-start guide's path.
    void applySettings(const ProviderSettings &settings);
    void setTheme(ThemeMode mode);
    /// Shows the Knowledge Bases tab (one instance; reopening restores the closed one). Null
    /// without a library; then the reason it is missing is shown.
    KnowledgeBasePanel *openKnowledgeBases();
    /// Opens a new search tab (Ctrl+Shift+F) and focuses its query; null without Deps::search.
    SearchTab *newSearch();

    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    [[nodiscard]] QList<ChatTab *> chatTabs() const;
    [[nodiscard]] ChatTab *currentChatTab() const;
    [[nodiscard]] int streamingCount() const;
    /// The default provider's profile (without its key).
    [[nodiscard]] ProviderSettings providerSettings() const;
    /// The key of @p id if it was read this session (for embeddings on the same server).
    [[nodiscard]] QString knownKey(const QString &id) const;
    [[nodiscard]] ConversationListPanel *conversationList() const { return m_list; }
    [[nodiscard]] SettingsDialog *settingsDialog() const;
    [[nodiscard]] AssistantsDialog *assistantsDialog() const;
    [[nodiscard]] KnowledgeBasePanel *knowledgeBasePanel() const;
    [[nodiscard]] IngestStatusReadout *ingestStatus() const { return m_ingestStatus; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    QWidget *createSidebar();
    void connectKnowledgeBases();
    [[nodiscard]] ChatServices services() const;
    ChatTab *insertChatTab(int index);
    /// The tab's own close button at @p index of the tab bar.
    void addCloseButton(int index, QWidget *tab);
    void updateTabLabel(ChatTab *tab);
    void updateSearchTabLabel(SearchTab *tab);
    void updateStreamingStatus();
    void advanceSpinner();
    void onCurrentTabChanged();
    void switchTab(int step);
    void showAbout();
    QCoro::Task<> probeProvider(QString providerId);
    QCoro::Task<> deleteConversation(qint64 id, QString title);
    /// The title of a conversation as a tab or the sidebar shows it, for file names.
    [[nodiscard]] QString titleOf(qint64 conversationId) const;
    QCoro::Task<> showAssistantsDialog();
    QCoro::Task<> saveAssistants(QList<Assistant> ordered, QList<qint64> removed);

    Deps m_deps;
    AppTheme m_theme;
    CancelToken m_probeCancel; ///< the first-start provider probe
    QTabWidget *m_tabs;
    ConversationListPanel *m_list;
    ConversationFileActions *m_files = nullptr;
    QDockWidget *m_dock;
    StatusReadout *m_status;
    IngestStatusReadout *m_ingestStatus;
    /// Created on first use; kept (hidden) when its tab is closed so reopening restores it.
    QPointer<KnowledgeBasePanel> m_knowledgeBasePanel;
    QTimer m_spinner;
    int m_spinnerFrame = 0;
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<AssistantsDialog> m_assistantsDialog;
    /// Non-empty while the first-start guide applies: the default provider's error.
    QString m_welcomeError;
    bool m_closing = false;
    bool m_forceClose = false;
    /// Settings files are written off the UI thread (QSettings syncs to disk); one at a time.
    QThreadPool m_settingsWriter;
};

} // namespace ragdesk
