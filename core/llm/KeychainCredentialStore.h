#pragma once

#include "core/llm/CredentialStore.h"

#include <QString>

namespace ragdesk {

/// API keys in the operating system's keychain (Secret Service on Linux, the Keychain on macOS,
/// the Credential Manager on Windows) through QtKeychain. One entry per provider id under one
/// service name. There is no plain-file fallback: without a keychain, calls fail with
/// Error::Kind::Unavailable and the caller decides (see ProviderCredentials).
class KeychainCredentialStore final : public CredentialStore
{
public:
    /// @p service groups ragdesk's entries in the keychain; tests pass their own so they never
    /// meet a user's real keys.
    explicit KeychainCredentialStore(QString service = defaultService());

    [[nodiscard]] static QString defaultService();
    [[nodiscard]] QString service() const { return m_service; }

    QCoro::Task<Result<QString>> readKey(QString providerId) override;
    QCoro::Task<Result<void>> writeKey(QString providerId, QString key) override;
    QCoro::Task<Result<void>> removeKey(QString providerId) override;

private:
    QString m_service;
};

} // namespace ragdesk
