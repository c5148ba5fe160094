#include "app/cli/ProviderChoice.h"

#include "app/cli/CliOutput.h"
#include "core/llm/KeychainCredentialStore.h"
#include "core/llm/ProviderCredentials.h"

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

Result<ProviderSettings> chooseProvider(const ProviderProfiles &profiles, const QString &wanted)
{
    const QString id = wanted.isEmpty() ? profiles.currentId : wanted;
    for (const ProviderSettings &provider : profiles.providers) {
        if (provider.id == id || provider.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return provider;
    }
    if (wanted.isEmpty() && !profiles.providers.isEmpty())
        return profiles.providers.constFirst();
    QStringList names;
    for (const ProviderSettings &provider : profiles.providers)
        names.append(u"%1 (%2)"_s.arg(provider.name, provider.id));
    return fail(Error::Kind::Configuration,
                u"No provider named '%1' in this profile. Saved providers: %2."_s.arg(wanted, names.join(u", "_s)));
}

QCoro::Task<QString> readProviderKey(QString providerId)
{
    ProviderCredentials credentials(std::make_unique<KeychainCredentialStore>(), ProviderCredentials::environmentKey());
    const auto key = co_await credentials.readKey(providerId);
    if (key)
        co_return *key;
    if (key.error().kind != Error::Kind::Unavailable)
        err() << "ragdesk-cli: could not read the API key: " << key.error().message << Qt::endl;
    co_return QString();
}

} // namespace ragdesk::cli
