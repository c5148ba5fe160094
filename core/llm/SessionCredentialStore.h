#pragma once

#include "core/llm/CredentialStore.h"

#include <QHash>
#include <QString>

namespace ragdesk {

/// API keys held in this process's memory only. It never touches disk: no file, no settings,
/// no keychain, no log; the keys are gone when the object (or the process) ends. Used when the
/// user explicitly chose "keep the key for this session only" and as a fake in tests.
/// The calls complete at once; they are coroutines only to fit CredentialStore.
class SessionCredentialStore final : public CredentialStore
{
public:
    QCoro::Task<Result<QString>> readKey(QString providerId) override;
    QCoro::Task<Result<void>> writeKey(QString providerId, QString key) override;
    QCoro::Task<Result<void>> removeKey(QString providerId) override;

    /// The synchronous forms, for callers that do not await.
    [[nodiscard]] bool contains(const QString &providerId) const { return m_keys.contains(providerId); }
    [[nodiscard]] QString key(const QString &providerId) const { return m_keys.value(providerId); }
    void store(const QString &providerId, const QString &key);
    /// Returns whether a key was held.
    bool forget(const QString &providerId);

private:
    QHash<QString, QString> m_keys;
};

} // namespace ragdesk
