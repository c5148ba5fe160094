#pragma once

#include "core/llm/ChatTypes.h"

#include <QString>

namespace ragdesk {

/// Keeps the provider's base URL and model in <profile>/settings.ini. The API key is never
/// written: it comes from RAGDESK_API_KEY or is typed in for the session (keychain comes later).
class ProviderSettingsStore
{
public:
    explicit ProviderSettingsStore(QString profileDir);

    /// Saved values, else defaults (Ollama on localhost); apiKey from the environment.
    [[nodiscard]] ProviderSettings load() const;
    /// Saves base URL and model; the key in @p settings is deliberately dropped.
    void save(const ProviderSettings &settings) const;
    /// False until the user (or a flag) chose a provider once; drives the first-start guide.
    [[nodiscard]] bool hasSavedProvider() const;

    static QUrl defaultBaseUrl();

private:
    QString m_path;
};

} // namespace ragdesk
