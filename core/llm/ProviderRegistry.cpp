#include "core/llm/ProviderRegistry.h"

#include "core/llm/ChatProviderFactory.h"
#include "core/llm/CredentialStore.h"
#include "core/llm/RequestLimiter.h"

#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace ragdesk {

ProviderRegistry::ProviderRegistry(QNetworkAccessManager *network, CredentialStore *credentials, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_credentials(credentials)
{
}

ProviderRegistry::~ProviderRegistry() = default;

void ProviderRegistry::setProviders(QList<ProviderSettings> providers, QString defaultId)
{
    QHash<QString, RequestLimiter *> kept;
    for (ProviderSettings &provider : providers) {
        provider.apiKey.clear(); // keys come from the credential store, never from a profile
        RequestLimiter *limiter = m_limiters.take(provider.id);
        if (!limiter)
            limiter = new RequestLimiter(provider.maxConcurrent, this);
        limiter->setLimit(provider.maxConcurrent);
        kept.insert(provider.id, limiter);
    }
    // What is left belongs to removed providers.
    for (auto removed = m_limiters.cbegin(); removed != m_limiters.cend(); ++removed) {
        m_keys.remove(removed.key());
        delete removed.value();
    }
    m_limiters = std::move(kept);
    m_providers = std::move(providers);
    m_defaultId = std::move(defaultId);
    Q_EMIT providersChanged();
}

std::optional<ProviderSettings> ProviderRegistry::find(const QString &id) const
{
    for (const QString &wanted : {id, m_defaultId}) {
        for (const ProviderSettings &provider : m_providers) {
            if (provider.id == wanted)
                return provider;
        }
    }
    if (!m_providers.isEmpty())
        return m_providers.constFirst();
    return std::nullopt;
}

QCoro::Task<Result<ProviderHandle>> ProviderRegistry::open(QString id, QString model)
{
    std::optional<ProviderSettings> settings = find(id);
    if (!settings)
        co_return fail(Error::Kind::Configuration, u"No model provider is configured. Open Settings to add one."_s);
    if (!model.isEmpty())
        settings->model = model;
    const QString providerId = settings->id;
    if (auto cached = m_keys.constFind(providerId); cached != m_keys.constEnd()) {
        settings->apiKey = *cached;
    } else if (m_credentials) {
        QPointer<ProviderRegistry> self(this);
        auto key = co_await m_credentials->readKey(providerId);
        if (!self)
            co_return fail(Error::Kind::Cancelled, u"Closed."_s);
        // A missing keychain is fatal only for providers that need a key; local servers do not.
        if (!key && key.error().kind != Error::Kind::Unavailable)
            co_return std::unexpected(key.error());
        const QString value = key ? *key : QString();
        m_keys.insert(providerId, value);
        settings->apiKey = value;
    }
    co_return ProviderHandle{makeChatProvider(m_network, *settings), m_limiters.value(providerId)};
}

} // namespace ragdesk
