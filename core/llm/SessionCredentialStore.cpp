#include "core/llm/SessionCredentialStore.h"

namespace ragdesk {

QCoro::Task<Result<QString>> SessionCredentialStore::readKey(QString providerId)
{
    co_return key(providerId);
}

QCoro::Task<Result<void>> SessionCredentialStore::writeKey(QString providerId, QString key)
{
    store(providerId, key);
    co_return {};
}

QCoro::Task<Result<void>> SessionCredentialStore::removeKey(QString providerId)
{
    forget(providerId);
    co_return {};
}

void SessionCredentialStore::store(const QString &providerId, const QString &key)
{
    // An empty key means "none", as readKey reports it; storing one would only shadow the keychain.
    if (key.isEmpty())
        m_keys.remove(providerId);
    else
        m_keys.insert(providerId, key);
}

bool SessionCredentialStore::forget(const QString &providerId)
{
    return m_keys.remove(providerId) > 0;
}

} // namespace ragdesk
