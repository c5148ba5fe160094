#pragma once

#include "core/foundation/Error.h"
#include "core/llm/ChatTypes.h"
#include "core/llm/ResilientStream.h"

#include <QCoroTask>
#include <QHash>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace ragdesk {

class CredentialStore;
class RequestLimiter;

/// The configured providers, one RequestLimiter each, and the way to a ready ChatProvider:
/// open() reads the key from the credential store (once per session; keys stay in memory only)
/// and builds the provider class for the profile's kind. Lives on the UI thread.
class ProviderRegistry : public QObject
{
    Q_OBJECT
public:
    ProviderRegistry(QNetworkAccessManager *network, CredentialStore *credentials, QObject *parent = nullptr);
    ~ProviderRegistry() override;

    /// Replaces the profiles. Limiters of providers that stay keep their queue and take the new
    /// cap; removed providers' limiters are deleted, ending their queued requests as cancelled.
    void setProviders(QList<ProviderSettings> providers, QString defaultId);
    [[nodiscard]] const QList<ProviderSettings> &providers() const { return m_providers; }
    [[nodiscard]] QString defaultId() const { return m_defaultId; }
    /// The profile with @p id, else the default one, else nullopt when none is configured.
    [[nodiscard]] std::optional<ProviderSettings> find(const QString &id) const;

    /// Forgets the cached keys, e.g. after Settings changed them.
    void forgetKeys() { m_keys.clear(); }
    /// The key of @p id if open() read it this session, else empty.
    [[nodiscard]] QString knownKey(const QString &id) const { return m_keys.value(id); }

    /// A provider for @p id (or the default) with @p model (or the profile's), ready to stream.
    QCoro::Task<Result<ProviderHandle>> open(QString id, QString model);

    [[nodiscard]] RequestLimiter *limiter(const QString &id) const { return m_limiters.value(id); }

Q_SIGNALS:
    void providersChanged();

private:
    QPointer<QNetworkAccessManager> m_network;
    CredentialStore *m_credentials;
    QList<ProviderSettings> m_providers;
    QString m_defaultId;
    QHash<QString, RequestLimiter *> m_limiters; ///< children of this object
    QHash<QString, QString> m_keys;              ///< read once from the credential store; memory only
};

} // namespace ragdesk
