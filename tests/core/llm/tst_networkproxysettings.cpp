// NetworkProxySettings: saved and loaded without a password, and applied to one manager only.

#include "core/llm/NetworkProxySettings.h"
#include "tests/support/TempProfile.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

class TestNetworkProxySettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsToTheSystemConfiguration()
    {
        TempProfile profile;
        QCOMPARE(NetworkProxyStore(profile.path()).load().mode, NetworkProxySettings::Mode::System);
    }

    void roundTrip()
    {
        TempProfile profile;
        const NetworkProxyStore store(profile.path());
        NetworkProxySettings manual { NetworkProxySettings::Mode::Manual, QNetworkProxy::Socks5Proxy, u"proxy.lan"_s, 1080 };
        store.save(manual);
        QCOMPARE(store.load(), manual);
        NetworkProxySettings none;
        none.mode = NetworkProxySettings::Mode::None;
        store.save(none);
        QCOMPARE(store.load().mode, NetworkProxySettings::Mode::None);
    }

    void appliesToTheManager()
    {
        QNetworkAccessManager network;
        applyNetworkProxy(&network, { NetworkProxySettings::Mode::Manual, QNetworkProxy::HttpProxy, u"proxy.lan"_s, 3128 });
        QCOMPARE(network.proxy().type(), QNetworkProxy::HttpProxy);
        QCOMPARE(network.proxy().hostName(), u"proxy.lan"_s);
        QCOMPARE(network.proxy().port(), quint16(3128));
        QVERIFY(!network.proxyFactory());
        applyNetworkProxy(&network, { NetworkProxySettings::Mode::None, QNetworkProxy::HttpProxy, {}, 0 });
        QCOMPARE(network.proxy().type(), QNetworkProxy::NoProxy);
        applyNetworkProxy(&network, {});
        QVERIFY(network.proxyFactory());
        // Nothing process-wide changed: a second manager still has no proxy of its own.
        QCOMPARE(QNetworkAccessManager().proxy().type(), QNetworkProxy::DefaultProxy);
    }
};

QTEST_GUILESS_MAIN(TestNetworkProxySettings)
#include "tst_networkproxysettings.moc"
