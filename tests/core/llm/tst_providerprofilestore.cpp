// ProviderProfileStore: every field survives a round trip, the old single provider migrates,
// and no API key ever reaches the file.

#include "core/foundation/ProfileFiles.h"
#include "core/llm/ProviderProfileStore.h"
#include "tests/support/TempProfile.h"

#include <QFile>
#include <QSettings>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;
using namespace std::chrono;

class TestProviderProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nothingSavedGivesTheLocalOllamaDefault()
    {
        TempProfile profile;
        const ProviderProfileStore store(profile.path());
        QVERIFY(!store.hasSavedProvider());
        const ProviderProfiles loaded = store.load();
        QCOMPARE(loaded.providers.size(), 1);
        const ProviderSettings &p = loaded.providers.constFirst();
        QCOMPARE(p.kind, ProviderKind::OpenAiCompatible);
        QCOMPARE(p.baseUrl, QUrl(u"http://localhost:11434/v1"_s));
        QCOMPARE(p.model, u"llama3.2"_s);
        QCOMPARE(loaded.currentId, p.id);
        QCOMPARE(store.load().currentId, p.id); // stable without saving
        QVERIFY(!store.hasSavedProvider());     // loading the default does not count as a choice
    }

    void everyFieldSurvivesARoundTrip()
    {
        TempProfile profile;
        const ProviderProfileStore store(profile.path());
        ProviderSettings a;
        a.id = u"11111111-2222-3333-4444-555555555555"_s;
        a.kind = ProviderKind::Anthropic;
        a.name = u"Claude = work, \"quoted\""_s;
        a.baseUrl = QUrl(u"https://api.anthropic.com"_s);
        a.model = u"claude-sonnet-4-5"_s;
        a.extraHeaders = { { "X-Org", "acme" }, { "HTTP-Referer", "https://example.org/a?b=c" } };
        a.maxConcurrent = 2;
        a.maxConnections = 9;
        a.connectTimeout = seconds(7);
        a.firstByteTimeout = milliseconds(300500);
        a.idleTimeout = seconds(600);
        a.totalTimeout = minutes(45);
        a.trustedCertificatesPem = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
        ProviderSettings b;
        b.id = u"b-id"_s;
        b.kind = ProviderKind::Ollama;
        b.name = u"Ollama"_s;
        b.baseUrl = QUrl(u"http://localhost:11434"_s);
        b.model = u"qwen3:8b"_s;
        store.save({ a, b }, b.id);

        QVERIFY(store.hasSavedProvider());
        const ProviderProfiles loaded = store.load();
        QCOMPARE(loaded.currentId, b.id);
        QCOMPARE(loaded.providers.size(), 2);
        const ProviderSettings &r = loaded.providers.at(0);
        QCOMPARE(r.id, a.id);
        QCOMPARE(r.kind, a.kind);
        QCOMPARE(r.name, a.name);
        QCOMPARE(r.baseUrl, a.baseUrl);
        QCOMPARE(r.model, a.model);
        QCOMPARE(r.extraHeaders, a.extraHeaders);
        QCOMPARE(r.maxConcurrent, 2);
        QCOMPARE(r.maxConnections, 9);
        QCOMPARE(r.connectTimeout, a.connectTimeout);
        QCOMPARE(r.firstByteTimeout, a.firstByteTimeout);
        QCOMPARE(r.idleTimeout, a.idleTimeout);
        QCOMPARE(r.totalTimeout, a.totalTimeout);
        QCOMPARE(r.trustedCertificatesPem, a.trustedCertificatesPem);
        QCOMPARE(loaded.providers.at(1).kind, ProviderKind::Ollama);
        QVERIFY(loaded.providers.at(1).extraHeaders.isEmpty());

        // Timeouts are seconds in the file, for people who edit it.
        const QSettings ini(settingsFilePath(profile.path()), QSettings::IniFormat);
        QCOMPARE(ini.value(u"providers/1/idleTimeout"_s).toInt(), 600);

        // Removing a profile removes it from the file, headers included.
        store.save({ b }, b.id);
        QCOMPARE(store.load().providers.size(), 1);
        QVERIFY(!QSettings(settingsFilePath(profile.path()), QSettings::IniFormat).contains(u"providers/2/id"_s));
    }

    void theOldSingleProviderMigratesOnce()
    {
        TempProfile profile;
        {
            QSettings ini(settingsFilePath(profile.path()), QSettings::IniFormat);
            ini.setValue(u"provider/baseUrl"_s, u"http://gpu-box.lan:8000/v1"_s);
            ini.setValue(u"provider/model"_s, u"qwen2.5-32b"_s);
        }
        const ProviderProfileStore store(profile.path());
        QVERIFY(store.hasSavedProvider());
        const ProviderProfiles first = store.load();
        QCOMPARE(first.providers.size(), 1);
        const ProviderSettings &p = first.providers.constFirst();
        QCOMPARE(p.kind, ProviderKind::OpenAiCompatible);
        QCOMPARE(p.name, u"gpu-box.lan"_s);
        QCOMPARE(p.baseUrl, QUrl(u"http://gpu-box.lan:8000/v1"_s));
        QCOMPARE(p.model, u"qwen2.5-32b"_s);
        QVERIFY(!QUuid::fromString(p.id).isNull());
        QCOMPARE(first.currentId, p.id);
        // The id keys the keychain entry, so the next start must see the same one.
        QCOMPARE(store.load().providers.constFirst().id, p.id);
    }

    void theApiKeyIsNeverWritten()
    {
        TempProfile profile;
        const ProviderProfileStore store(profile.path());
        ProviderSettings p = ProviderProfileStore::defaultProvider();
        p.apiKey = u"canary-123"_s;
        p.extraHeaders = { { "X-Title", "ragdesk" } };
        store.save({ p }, p.id);
        QFile file(settingsFilePath(profile.path()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("llama3.2")); // the file is the one written
        QVERIFY(!text.contains("canary-123"));
        QVERIFY(store.load().providers.constFirst().apiKey.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProviderProfileStore)
#include "tst_providerprofilestore.moc"
