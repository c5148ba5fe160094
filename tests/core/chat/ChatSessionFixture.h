#pragma once

// What the ChatSession tests share: a temp profile with its store and checkpointer, the fake
// LLM server on loopback and a real provider talking to it.

#include "core/chat/ChatSession.h"
#include "core/llm/OpenAiChatProvider.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QNetworkAccessManager>

#include <memory>

namespace ragdesk::testing {

class ChatSessionFixture
{
protected:
    std::unique_ptr<TempProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::shared_ptr<ConversationStore> m_store;
    std::unique_ptr<MessageCheckpointer> m_checkpointer;
    std::unique_ptr<FakeLlmServer> m_server;
    QNetworkAccessManager m_network;
    std::shared_ptr<ChatProvider> m_provider;
    QStringList m_opened; ///< "provider/model" of every openProvider call

    /// For init(): false when the profile could not be opened.
    bool setUp()
    {
        using namespace std::chrono_literals;
        m_profile = std::make_unique<TempProfile>();
        auto database = QCoro::waitFor(ProfileDatabase::open(m_profile->path()));
        if (!database)
            return false;
        m_database = *database;
        m_store = std::make_shared<ConversationStore>(m_database);
        m_checkpointer = std::make_unique<MessageCheckpointer>(m_store.get(), 100ms);
        m_server = std::make_unique<FakeLlmServer>();
        ProviderSettings settings;
        settings.baseUrl = m_server->baseUrl();
        settings.model = QStringLiteral("fake-model");
        settings.idleTimeout = 2s;
        m_provider = std::make_shared<OpenAiChatProvider>(&m_network, settings);
        m_opened.clear();
        return true;
    }

    /// For cleanup(): the provider and the server go before the database.
    void tearDown()
    {
        m_provider.reset();
        m_server.reset();
        m_checkpointer.reset();
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    /// A session on the fixture's store and provider; @p autoTitle off (the default of
    /// ChatServices) unless a test is about titles.
    std::unique_ptr<ChatSession> newSession(RetrieveFunction retrieve = {}, bool autoTitle = false)
    {
        ChatServices services{m_store, m_checkpointer.get(), [this](QString id, QString model) {
            m_opened.append(id + u'/' + model);
            return ChatServices::fixed({m_provider, {}})(std::move(id), std::move(model));
        }, RetryPolicy(), std::move(retrieve)};
        services.autoTitle = autoTitle;
        return std::make_unique<ChatSession>(std::move(services));
    }

    QList<MessageRecord> storedMessages(qint64 conversationId)
    {
        auto messages = QCoro::waitFor(m_store->messages(conversationId));
        return messages ? *messages : QList<MessageRecord>{};
    }

    /// The conversation's stored active leaf; -1 when it cannot be read.
    qint64 storedActiveLeaf(qint64 conversationId)
    {
        const auto conversation = QCoro::waitFor(m_store->conversation(conversationId));
        return conversation ? conversation->activeLeafId : -1;
    }
};

} // namespace ragdesk::testing
