#pragma once

#include "core/llm/ChatTypes.h"
#include "core/retrieval/EmbeddingService.h"

#include <QCommandLineParser>
#include <QString>

namespace ragdesk::cli {

/// Options shared by every ragdesk-cli command; accepted before or after the command name.
struct CliContext {
    QString profileDir;      ///< empty: the command decides (bench uses a throwaway profile)
    ProviderSettings provider;
    /// The provider is a saved one whose key, if any, is read from the keychain before the command.
    bool keyFromStore = false;
    bool json = false;
    const QCommandLineParser *parser = nullptr;

    /// Embeddings from the provider's server (--base-url, or the saved one), for @p dimensions
    /// (0: the model's own).
    [[nodiscard]] EmbeddingService::SettingsFor embeddingSettings(int dimensions = 0) const
    {
        return [provider = provider, dimensions](const QString &model) {
            EmbeddingSettings settings;
            settings.baseUrl = provider.baseUrl;
            settings.apiKey = provider.apiKey;
            if (provider.kind == ProviderKind::Ollama)
                settings.api = EmbeddingSettings::Api::Ollama;
            settings.model = model;
            settings.dimensions = dimensions;
            return settings;
        };
    }
};

} // namespace ragdesk::cli
