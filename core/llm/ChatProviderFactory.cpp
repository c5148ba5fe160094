#include "core/llm/ChatProviderFactory.h"

#include "core/llm/AnthropicChatProvider.h"
#include "core/llm/OllamaChatProvider.h"
#include "core/llm/OpenAiChatProvider.h"

namespace ragdesk {

std::shared_ptr<ChatProvider> makeChatProvider(QNetworkAccessManager *network, ProviderSettings settings)
{
    switch (settings.kind) {
    case ProviderKind::Ollama:
        return std::make_shared<OllamaChatProvider>(network, std::move(settings));
    case ProviderKind::Anthropic:
        return std::make_shared<AnthropicChatProvider>(network, std::move(settings));
    case ProviderKind::OpenAiCompatible:
        break;
    }
    return std::make_shared<OpenAiChatProvider>(network, std::move(settings));
}

} // namespace ragdesk
