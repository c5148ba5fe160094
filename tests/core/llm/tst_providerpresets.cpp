// ProviderPresets: every preset is usable as it is, with the right wire protocol.

#include "core/llm/ProviderPresets.h"

#include <QSet>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestProviderPresets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPresetHasAUrlAModelAndAHint()
    {
        const QList<ProviderPreset> presets = providerPresets();
        QVERIFY(presets.size() >= 8);
        for (const ProviderPreset &preset : presets) {
            QVERIFY2(preset.settings.baseUrl.isValid(), qPrintable(preset.label));
            QVERIFY2(preset.settings.baseUrl.scheme().startsWith(u"http"_s), qPrintable(preset.label));
            QVERIFY2(!preset.settings.model.isEmpty(), qPrintable(preset.label));
            QVERIFY2(!preset.settings.name.isEmpty(), qPrintable(preset.label));
            QVERIFY2(!preset.hint.isEmpty(), qPrintable(preset.label));
            // Hosted services need a key and use TLS; local servers need neither.
            QCOMPARE(preset.needsKey, preset.settings.baseUrl.scheme() == u"https"_s);
        }
    }

    void kindsMatchTheServers()
    {
        QHash<QString, ProviderPreset> byLabel;
        for (const ProviderPreset &preset : providerPresets())
            byLabel.insert(preset.label, preset);
        QCOMPARE(byLabel.value(u"Anthropic"_s).settings.kind, ProviderKind::Anthropic);
        QCOMPARE(byLabel.value(u"Ollama"_s).settings.kind, ProviderKind::Ollama);
        QCOMPARE(byLabel.value(u"Ollama"_s).settings.baseUrl.path(), QString()); // native API: no /v1
        for (const QString &label : { u"OpenAI"_s, u"OpenRouter"_s, u"DeepSeek"_s, u"LM Studio"_s, u"vLLM"_s, u"llama.cpp server"_s }) {
            QVERIFY2(byLabel.contains(label), qPrintable(label));
            QCOMPARE(byLabel.value(label).settings.kind, ProviderKind::OpenAiCompatible);
            QVERIFY(byLabel.value(label).settings.baseUrl.path().endsWith(u"/v1"_s));
        }
        const auto &headers = byLabel.value(u"OpenRouter"_s).settings.extraHeaders;
        QCOMPARE(headers.size(), 2);
        QCOMPARE(headers.at(1).first, QByteArray("X-Title"));
    }

    void instancesGetFreshIds()
    {
        const ProviderPreset preset = providerPresets().constFirst();
        QVERIFY(preset.settings.id.isEmpty());
        const ProviderSettings a = instantiatePreset(preset);
        const ProviderSettings b = instantiatePreset(preset);
        QVERIFY(!QUuid::fromString(a.id).isNull());
        QVERIFY(a.id != b.id);
        QCOMPARE(a.baseUrl, preset.settings.baseUrl);
    }
};

QTEST_GUILESS_MAIN(TestProviderPresets)
#include "tst_providerpresets.moc"
