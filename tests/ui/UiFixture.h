#pragma once

#include "core/llm/ChatTypes.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/TempProfile.h"
#include "ui/MainWindow.h"

#include <QNetworkAccessManager>

#include <memory>

namespace ragdesk {
class ChatTab;
class ConversationStore;
class IngestionStack;
class MessageCheckpointer;
class ProfileDatabase;
class ProviderCredentials;
class ProviderProfileStore;
class ProviderRegistry;
class StallMonitor;
struct MessageRecord;
} // namespace ragdesk

namespace ragdesk::testing {

/// The real MainWindow on real core objects (temp profile, DB threads, fake LLM server on an
/// ephemeral port), shown offscreen. One per test function; members are destroyed window first.
class UiFixture
{
public:
    struct Config {
        FakeLlmServer::Options server;
        bool providerChosen = true;
        /// Points the provider at a port nobody listens on, for first-start and error tests.
        bool deadProvider = false;
        /// Opens an IngestionStack (index.db, extractor processes, queue, library) and gives the
        /// window knowledge bases. Off by default so the other UI tests stay fast.
        bool knowledgeBases = false;
        /// The window's search function (Deps::search); empty leaves it without search tabs.
        SearchFunction search = {};
        /// The provider's cap on concurrent requests; more chats queue.
        int maxConcurrent = 4;
        /// The API the provider speaks; the fake server answers all three.
        ProviderKind kind = ProviderKind::OpenAiCompatible;
        /// The app's automatic titles make one more request per new conversation; off, so tests
        /// that count requests or check titles see only what they caused.
        bool autoTitle = false;
    };

    UiFixture();
    explicit UiFixture(Config config);
    ~UiFixture();

    UiFixture(const UiFixture &) = delete;
    UiFixture &operator=(const UiFixture &) = delete;

    /// False if anything failed to start; the reason is in errorText().
    [[nodiscard]] bool isValid() const { return m_window != nullptr; }
    [[nodiscard]] QString errorText() const { return m_error; }

    [[nodiscard]] MainWindow *window() const { return m_window.get(); }
    [[nodiscard]] FakeLlmServer &server() { return m_server; }
    [[nodiscard]] ConversationStore *store() const { return m_store.get(); }
    [[nodiscard]] QString profileDir() const { return m_profile.path(); }
    /// Null unless Config::knowledgeBases.
    [[nodiscard]] IngestionStack *ingestion() const { return m_ingestion.get(); }

    /// Types @p text into @p tab's composer and presses Enter, as a user would.
    static void typeAndSend(ChatTab *tab, const QString &text);
    /// The stored messages of @p conversationId (awaits the reader pool).
    [[nodiscard]] QList<MessageRecord> storedMessages(qint64 conversationId) const;
    /// A URL on the loopback interface where nothing listens.
    static QUrl deadUrl();

private:
    TempProfile m_profile;
    FakeLlmServer m_server;
    QNetworkAccessManager m_network;
    std::shared_ptr<ProfileDatabase> m_database;
    std::shared_ptr<ConversationStore> m_store;
    std::unique_ptr<MessageCheckpointer> m_checkpointer;
    std::unique_ptr<StallMonitor> m_stallMonitor;
    std::unique_ptr<ProviderProfileStore> m_profileStore;
    std::unique_ptr<ProviderCredentials> m_credentials;
    std::unique_ptr<ProviderRegistry> m_providers;
    std::unique_ptr<IngestionStack> m_ingestion; ///< shut down before, destroyed after the window
    std::unique_ptr<MainWindow> m_window;
    QString m_error;
};

} // namespace ragdesk::testing
