#pragma once

#include "core/chat/TurnPreparation.h"
#include "core/foundation/Error.h"
#include "core/llm/ChatTypes.h"

#include <QCoroTask>
#include <QNetworkAccessManager>

#include <memory>

namespace ragdesk {
class ChatSession;
class ConversationStore;
class MessageCheckpointer;
class OpenAiChatProvider;
class ProfileDatabase;
} // namespace ragdesk

namespace ragdesk::cli {

/// What the benchmarks need to run chats the way the GUI does: profile.db, the conversation store
/// with its checkpointer, and one provider with enough connections for every session.
class BenchChatRig
{
public:
    /// Opens <@p profileDir>/profile.db. With @p warmUp, one GET /models first, as the GUI's
    /// start-up probe does: the first request of a process pays ~20 ms for Qt's network stack,
    /// which is not per-session latency, and an unreachable server becomes one clear error.
    static QCoro::Task<Result<std::unique_ptr<BenchChatRig>>> open(QString profileDir, ProviderSettings provider,
                                                                   int sessions, bool warmUp);
    ~BenchChatRig();

    BenchChatRig(const BenchChatRig &) = delete;
    BenchChatRig &operator=(const BenchChatRig &) = delete;

    /// A new conversation on the shared store, checkpointer and provider; its turns search
    /// through @p retrieve when it is set (and the session's assistant uses documents).
    [[nodiscard]] std::unique_ptr<ChatSession> newSession(RetrieveFunction retrieve = {});

    [[nodiscard]] std::shared_ptr<ProfileDatabase> database() const { return m_database; }
    [[nodiscard]] const ProviderSettings &settings() const { return m_settings; }

private:
    BenchChatRig() = default;

    std::shared_ptr<ProfileDatabase> m_database;
    std::shared_ptr<ConversationStore> m_store;
    std::unique_ptr<MessageCheckpointer> m_checkpointer;
    QNetworkAccessManager m_network;
    ProviderSettings m_settings;
    std::shared_ptr<OpenAiChatProvider> m_provider;
};

} // namespace ragdesk::cli
