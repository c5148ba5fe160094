#include "core/llm/ProviderCredentials.h"

namespace ragdesk {

ProviderCredentials::ProviderCredentials(std::unique_ptr<CredentialStore> keychain, QString environmentKey)
    : m_keychain(std::move(keychain))
    , m_environmentKey(std::move(environmentKey))
{
}

QString ProviderCredentials::environmentKey()
{
    return qEnvironmentVariable("RAGDESK_API_KEY");
}

void ProviderCredentials::keepInMemoryForSession(const QString &providerId, const QString &key)
{
    m_session.store(providerId, key);
}

// writeKey and removeKey use m_session after awaiting the keychain. That is safe because this is
// not a QObject that a tab can close under us: like every CredentialStore, its owner (the app's
// wiring) outlives every call it starts.

QCoro::Task<Result<QString>> ProviderCredentials::readKey(QString providerId)
{
    // An explicit copy: QCoro's return_value moves from whatever it is given, even a member.
    if (!m_environmentKey.isEmpty())
        co_return QString(m_environmentKey);
    if (m_session.contains(providerId))
        co_return m_session.key(providerId);
    co_return co_await m_keychain->readKey(providerId);
}

QCoro::Task<Result<void>> ProviderCredentials::writeKey(QString providerId, QString key)
{
    auto written = co_await m_keychain->writeKey(providerId, key);
    if (written)
        m_session.forget(providerId);
    co_return written;
}

QCoro::Task<Result<void>> ProviderCredentials::removeKey(QString providerId)
{
    const bool hadSessionKey = m_session.forget(providerId);
    auto removed = co_await m_keychain->removeKey(providerId);
    if (!removed && removed.error().kind == Error::Kind::Unavailable && hadSessionKey)
        co_return {};
    co_return removed;
}

} // namespace ragdesk
