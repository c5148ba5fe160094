// ProviderPicker: follows the registry's profiles; a model that was only the default follows a new
// default from Settings, one the user typed stays; a removed provider falls back to the default.

#include "core/llm/ProviderRegistry.h"
#include "ui/ProviderPicker.h"

#include <QComboBox>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

ProviderSettings profile(const QString &id, const QString &model)
{
    ProviderSettings settings;
    settings.id = id;
    settings.name = id.toUpper();
    settings.baseUrl = QUrl(u"http://127.0.0.1:9/v1"_s);
    settings.model = model;
    return settings;
}

} // namespace

class TestProviderPicker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aDefaultModelFollowsSettingsAndATypedOneStays()
    {
        QNetworkAccessManager network;
        ProviderRegistry registry(&network, nullptr);
        registry.setProviders({profile(u"a"_s, u"m1"_s), profile(u"b"_s, u"x1"_s)}, u"a"_s);
        ProviderPicker picker(&registry);
        QSignalSpy changed(&picker, &ProviderPicker::selectionChanged);
        QCOMPARE(picker.providerId(), u"a"_s);
        QCOMPARE(picker.model(), u"m1"_s);

        registry.setProviders({profile(u"a"_s, u"m2"_s), profile(u"b"_s, u"x1"_s)}, u"a"_s);
        QCOMPARE(picker.model(), u"m2"_s);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.constLast().at(1).toString(), u"m2"_s);

        picker.findChild<QComboBox *>(u"modelCombo"_s)->setEditText(u"typed-model"_s);
        registry.setProviders({profile(u"a"_s, u"m3"_s), profile(u"b"_s, u"x1"_s)}, u"a"_s);
        QCOMPARE(picker.model(), u"typed-model"_s);

        registry.setProviders({profile(u"b"_s, u"x2"_s)}, u"b"_s);
        QCOMPARE(picker.providerId(), u"b"_s);
        QCOMPARE(picker.model(), u"x2"_s);
        QCOMPARE(changed.constLast().at(0).toString(), u"b"_s);
    }
};

QTEST_MAIN(TestProviderPicker)
#include "tst_providerpicker.moc"
