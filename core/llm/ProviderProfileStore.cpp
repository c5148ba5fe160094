#include "core/llm/ProviderProfileStore.h"

#include "core/foundation/ProfileFiles.h"

#include <QSettings>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace ragdesk {

namespace {

const QString kArray = u"providers"_s;
const QString kCurrent = u"providers/current"_s;
const QString kSize = u"providers/size"_s;
// The single-provider keys of earlier versions, read once for the migration.
const QString kOldBaseUrl = u"provider/baseUrl"_s;
const QString kOldModel = u"provider/model"_s;

QString kindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::Ollama:
        return u"ollama"_s;
    case ProviderKind::Anthropic:
        return u"anthropic"_s;
    case ProviderKind::OpenAiCompatible:
        break;
    }
    return u"openai"_s;
}

ProviderKind kindFromName(const QString &name)
{
    if (name == u"ollama"_s)
        return ProviderKind::Ollama;
    if (name == u"anthropic"_s)
        return ProviderKind::Anthropic;
    return ProviderKind::OpenAiCompatible;
}

/// Seconds in the file, so people editing it by hand need no arithmetic.
milliseconds readSeconds(const QSettings &ini, const QString &key, milliseconds fallback)
{
    bool ok = false;
    const double value = ini.value(key).toDouble(&ok);
    return ok && value > 0 ? milliseconds(qint64(value * 1000)) : fallback;
}

ProviderSettings readProfile(QSettings &ini)
{
    const ProviderSettings defaults;
    ProviderSettings p;
    p.id = ini.value(u"id"_s).toString();
    if (p.id.isEmpty())
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.kind = kindFromName(ini.value(u"kind"_s).toString());
    p.name = ini.value(u"name"_s).toString();
    p.baseUrl = QUrl(ini.value(u"baseUrl"_s).toString());
    p.model = ini.value(u"model"_s).toString();
    p.maxConcurrent = ini.value(u"maxConcurrent"_s, defaults.maxConcurrent).toInt();
    p.maxConnections = ini.value(u"maxConnections"_s, defaults.maxConnections).toInt();
    p.connectTimeout = readSeconds(ini, u"connectTimeout"_s, defaults.connectTimeout);
    p.firstByteTimeout = readSeconds(ini, u"firstByteTimeout"_s, defaults.firstByteTimeout);
    p.idleTimeout = readSeconds(ini, u"idleTimeout"_s, defaults.idleTimeout);
    p.totalTimeout = readSeconds(ini, u"totalTimeout"_s, defaults.totalTimeout);
    p.trustedCertificatesPem = ini.value(u"trustedCertificates"_s).toString().toLatin1();
    const int headers = ini.beginReadArray(u"headers"_s);
    for (int h = 0; h < headers; ++h) {
        ini.setArrayIndex(h);
        p.extraHeaders.append({ ini.value(u"name"_s).toString().toUtf8(), ini.value(u"value"_s).toString().toUtf8() });
    }
    ini.endArray();
    return p;
}

void writeProfile(QSettings &ini, const ProviderSettings &p)
{
    ini.setValue(u"id"_s, p.id);
    ini.setValue(u"kind"_s, kindName(p.kind));
    ini.setValue(u"name"_s, p.name);
    ini.setValue(u"baseUrl"_s, p.baseUrl.toString());
    ini.setValue(u"model"_s, p.model);
    ini.setValue(u"maxConcurrent"_s, p.maxConcurrent);
    ini.setValue(u"maxConnections"_s, p.maxConnections);
    ini.setValue(u"connectTimeout"_s, duration<double>(p.connectTimeout).count());
    ini.setValue(u"firstByteTimeout"_s, duration<double>(p.firstByteTimeout).count());
    ini.setValue(u"idleTimeout"_s, duration<double>(p.idleTimeout).count());
    ini.setValue(u"totalTimeout"_s, duration<double>(p.totalTimeout).count());
    // Certificates are public (PEM is ASCII); only trusting them is the user's decision, kept here.
    if (!p.trustedCertificatesPem.isEmpty())
        ini.setValue(u"trustedCertificates"_s, QString::fromLatin1(p.trustedCertificatesPem));
    ini.beginWriteArray(u"headers"_s, int(p.extraHeaders.size()));
    for (int h = 0; h < p.extraHeaders.size(); ++h) {
        ini.setArrayIndex(h);
        ini.setValue(u"name"_s, QString::fromUtf8(p.extraHeaders.at(h).first));
        ini.setValue(u"value"_s, QString::fromUtf8(p.extraHeaders.at(h).second));
    }
    ini.endArray();
    // p.apiKey is deliberately not written: keys live in the keychain, never in this file.
}

} // namespace

ProviderProfileStore::ProviderProfileStore(QString profileDir)
    : m_path(settingsFilePath(profileDir))
{
}

ProviderSettings ProviderProfileStore::defaultProvider()
{
    ProviderSettings p;
    // A name-based UUID, so the unsaved default keeps one id across starts (it keys the limiter).
    p.id = QUuid::createUuidV5(QUuid(), u"ragdesk-default-ollama"_s).toString(QUuid::WithoutBraces);
    p.kind = ProviderKind::OpenAiCompatible;
    p.name = u"Ollama (local)"_s;
    p.baseUrl = QUrl(u"http://localhost:11434/v1"_s);
    p.model = u"llama3.2"_s;
    return p;
}

ProviderProfiles ProviderProfileStore::load() const
{
    // A few hundred bytes of INI read once at startup, before the window exists; not worth a thread hop.
    QSettings ini(m_path, QSettings::IniFormat);
    ProviderProfiles result;
    if (ini.contains(kSize)) {
        const int count = ini.beginReadArray(kArray);
        for (int i = 0; i < count; ++i) {
            ini.setArrayIndex(i);
            result.providers.append(readProfile(ini));
        }
        ini.endArray();
        result.currentId = ini.value(kCurrent).toString();
    } else if (ini.contains(kOldBaseUrl)) {
        ProviderSettings migrated;
        migrated.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        migrated.baseUrl = QUrl(ini.value(kOldBaseUrl).toString());
        migrated.model = ini.value(kOldModel).toString();
        migrated.name = migrated.baseUrl.host().isEmpty() ? u"Provider"_s : migrated.baseUrl.host();
        result.providers.append(migrated);
        result.currentId = migrated.id;
        // Saved at once: the id keys the keychain entry, so it must not change on the next start.
        save(result.providers, result.currentId);
    }
    if (result.providers.isEmpty()) {
        result.providers.append(defaultProvider());
        result.currentId = result.providers.constFirst().id;
    }
    const bool currentExists = std::ranges::any_of(
        result.providers, [&](const ProviderSettings &p) { return p.id == result.currentId; });
    if (!currentExists)
        result.currentId = result.providers.constFirst().id;
    return result;
}

void ProviderProfileStore::save(const QList<ProviderSettings> &providers, const QString &currentId) const
{
    QSettings ini(m_path, QSettings::IniFormat);
    ini.remove(kArray); // drops profiles that were removed, and their headers
    ini.beginWriteArray(kArray, int(providers.size()));
    for (int i = 0; i < providers.size(); ++i) {
        ini.setArrayIndex(i);
        writeProfile(ini, providers.at(i));
    }
    ini.endArray();
    ini.setValue(kCurrent, currentId);
    ini.sync();
}

bool ProviderProfileStore::hasSavedProvider() const
{
    const QSettings ini(m_path, QSettings::IniFormat);
    return ini.contains(kSize) || ini.contains(kOldBaseUrl);
}

} // namespace ragdesk
