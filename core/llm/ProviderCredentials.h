#pragma once

#include "core/llm/CredentialStore.h"
#include "core/llm/SessionCredentialStore.h"

#include <QString>

#include <memory>

namespace ragdesk {

/// The API key a provider uses, from three places in this order of precedence:
///  1. the environment variable RAGDESK_API_KEY, when set and not empty. It is chosen for one
///     process (scripts, CI, a headless box without a keychain), so it overrides what is stored,
///     for every provider, and the keychain is not even asked;
///  2. a key the user explicitly chose to keep in memory for this session (keepInMemoryForSession);
///  3. the keychain.
/// When the keychain is unavailable, reads and writes return its Error::Kind::Unavailable
/// unchanged: a key is never silently kept somewhere the user did not choose. Only after the
/// explicit keepInMemoryForSession() does this store serve the key from memory.
class ProviderCredentials final : public CredentialStore
{
public:
    /// @p keychain is usually a KeychainCredentialStore; @p environmentKey is usually
    /// environmentKey() and is passed in so tests need not change the process environment.
    ProviderCredentials(std::unique_ptr<CredentialStore> keychain, QString environmentKey);

    /// The value of RAGDESK_API_KEY, empty when unset.
    [[nodiscard]] static QString environmentKey();
    [[nodiscard]] bool environmentOverrides() const { return !m_environmentKey.isEmpty(); }

    /// The user's explicit choice after the keychain was unavailable: use @p key for
    /// @p providerId until the process ends, without storing it anywhere.
    void keepInMemoryForSession(const QString &providerId, const QString &key);
    [[nodiscard]] bool isKeptInMemory(const QString &providerId) const { return m_session.contains(providerId); }

    QCoro::Task<Result<QString>> readKey(QString providerId) override;
    /// Stores in the keychain; on success a session-only copy is dropped, the keychain now holds it.
    QCoro::Task<Result<void>> writeKey(QString providerId, QString key) override;
    /// Forgets the session-only copy and the keychain entry. An unavailable keychain is not an
    /// error when a session-only copy was forgotten: that was the key in use.
    QCoro::Task<Result<void>> removeKey(QString providerId) override;

private:
    std::unique_ptr<CredentialStore> m_keychain;
    SessionCredentialStore m_session;
    QString m_environmentKey;
};

} // namespace ragdesk
