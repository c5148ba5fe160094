#include "app/cli/BenchChatRig.h"

#include "core/chat/ChatSession.h"
#include "core/llm/OpenAiChatProvider.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/ProfileDatabase.h"

namespace ragdesk::cli {

BenchChatRig::~BenchChatRig() = default;

QCoro::Task<Result<std::unique_ptr<BenchChatRig>>> BenchChatRig::open(QString profileDir, ProviderSettings provider,
                                                                      int sessions, bool warmUp)
{
    auto database = co_await ProfileDatabase::open(profileDir);
    if (!database)
        co_return std::unexpected(database.error());
    std::unique_ptr<BenchChatRig> rig(new BenchChatRig);
    rig->m_database = std::move(*database);
    rig->m_store = std::make_shared<ConversationStore>(rig->m_database);
    rig->m_checkpointer = std::make_unique<MessageCheckpointer>(rig->m_store.get());
    rig->m_settings = std::move(provider);
    rig->m_settings.maxConnections = std::max(rig->m_settings.maxConnections, sessions);
    rig->m_provider = std::make_shared<OpenAiChatProvider>(&rig->m_network, rig->m_settings);
    if (warmUp) {
        if (const auto models = co_await rig->m_provider->listModels(CancelToken()); !models)
            co_return std::unexpected(models.error());
    }
    co_return rig;
}

std::unique_ptr<ChatSession> BenchChatRig::newSession(RetrieveFunction retrieve)
{
    return std::make_unique<ChatSession>(ChatServices{m_store, m_checkpointer.get(), ChatServices::fixed({m_provider, {}}),
                                                      RetryPolicy(), std::move(retrieve)});
}

} // namespace ragdesk::cli
