#pragma once

#include "core/llm/ChatTypes.h"

#include <QList>
#include <QString>

namespace ragdesk {

/// The saved provider profiles and which one is current.
struct ProviderProfiles {
    QList<ProviderSettings> providers;
    QString currentId;
};

/// Keeps every provider profile in <profile>/settings.ini (array `providers`, plus
/// `providers/current`). API keys are never written here: they live in the CredentialStore.
class ProviderProfileStore
{
public:
    explicit ProviderProfileStore(QString profileDir);

    /// The saved profiles. The first call after an upgrade turns the old single provider
    /// (`provider/baseUrl`, `provider/model`) into one OpenAI-compatible profile and saves it,
    /// so its id stays stable. With nothing saved: one default profile for a local Ollama.
    [[nodiscard]] ProviderProfiles load() const;
    /// Replaces the saved profiles; every apiKey in @p providers is deliberately dropped.
    void save(const QList<ProviderSettings> &providers, const QString &currentId) const;
    /// False until the user chose a provider once (old or new format); drives the first-start guide.
    [[nodiscard]] bool hasSavedProvider() const;

    /// The profile load() returns when nothing is saved; its id is the same on every call.
    [[nodiscard]] static ProviderSettings defaultProvider();

private:
    QString m_path;
};

} // namespace ragdesk
