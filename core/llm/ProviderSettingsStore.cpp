#include "core/llm/ProviderSettingsStore.h"

#include "core/foundation/ProfileFiles.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
const QString kBaseUrlKey = u"provider/baseUrl"_s;
const QString kModelKey = u"provider/model"_s;
} // namespace

ProviderSettingsStore::ProviderSettingsStore(QString profileDir)
    : m_path(settingsFilePath(profileDir))
{
}

QUrl ProviderSettingsStore::defaultBaseUrl()
{
    // Ollama is the most common local server and needs no key.
    return QUrl(u"http://localhost:11434/v1"_s);
}

ProviderSettings ProviderSettingsStore::load() const
{
    // A few hundred bytes of INI read once at startup, before the window exists; not worth a thread hop.
    const QSettings ini(m_path, QSettings::IniFormat);
    ProviderSettings settings;
    settings.baseUrl = QUrl(ini.value(kBaseUrlKey, defaultBaseUrl().toString()).toString());
    settings.model = ini.value(kModelKey, u"llama3.2"_s).toString();
    settings.apiKey = qEnvironmentVariable("RAGDESK_API_KEY");
    return settings;
}

void ProviderSettingsStore::save(const ProviderSettings &settings) const
{
    QSettings ini(m_path, QSettings::IniFormat);
    ini.setValue(kBaseUrlKey, settings.baseUrl.toString());
    ini.setValue(kModelKey, settings.model);
    // settings.apiKey is deliberately not written: keys never touch disk.
    ini.sync();
}

bool ProviderSettingsStore::hasSavedProvider() const
{
    const QSettings ini(m_path, QSettings::IniFormat);
    return ini.contains(kBaseUrlKey);
}

} // namespace ragdesk
