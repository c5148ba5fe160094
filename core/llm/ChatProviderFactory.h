#pragma once

#include "core/llm/ChatTypes.h"

#include <memory>

class QNetworkAccessManager;

namespace ragdesk {

class ChatProvider;

/// The provider class for @p settings.kind: OpenAiChatProvider, OllamaChatProvider or
/// AnthropicChatProvider. @p settings must already carry the API key, if one is needed.
std::shared_ptr<ChatProvider> makeChatProvider(QNetworkAccessManager *network, ProviderSettings settings);

} // namespace ragdesk
