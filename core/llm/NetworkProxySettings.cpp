#include "core/llm/NetworkProxySettings.h"

#include "core/foundation/ProfileFiles.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString kMode = u"network/proxyMode"_s;
const QString kType = u"network/proxyType"_s;
const QString kHost = u"network/proxyHost"_s;
const QString kPort = u"network/proxyPort"_s;

/// Asks the platform (environment variables, PAC, desktop settings) for every request.
class SystemProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        return QNetworkProxyFactory::systemProxyForQuery(query);
    }
};

} // namespace

NetworkProxyStore::NetworkProxyStore(QString profileDir)
    : m_path(settingsFilePath(profileDir))
{
}

NetworkProxySettings NetworkProxyStore::load() const
{
    const QSettings ini(m_path, QSettings::IniFormat);
    NetworkProxySettings settings;
    const QString mode = ini.value(kMode).toString();
    if (mode == u"none"_s)
        settings.mode = NetworkProxySettings::Mode::None;
    else if (mode == u"manual"_s)
        settings.mode = NetworkProxySettings::Mode::Manual;
    settings.type = ini.value(kType).toString() == u"socks5"_s ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy;
    settings.host = ini.value(kHost).toString();
    const int port = ini.value(kPort, 8080).toInt();
    settings.port = port > 0 && port <= 65535 ? quint16(port) : quint16(8080);
    return settings;
}

void NetworkProxyStore::save(const NetworkProxySettings &settings) const
{
    QSettings ini(m_path, QSettings::IniFormat);
    using Mode = NetworkProxySettings::Mode;
    ini.setValue(kMode, settings.mode == Mode::None ? u"none"_s : settings.mode == Mode::Manual ? u"manual"_s : u"system"_s);
    ini.setValue(kType, settings.type == QNetworkProxy::Socks5Proxy ? u"socks5"_s : u"http"_s);
    ini.setValue(kHost, settings.host);
    ini.setValue(kPort, int(settings.port));
    ini.sync();
}

void applyNetworkProxy(QNetworkAccessManager *network, const NetworkProxySettings &settings)
{
    switch (settings.mode) {
    case NetworkProxySettings::Mode::System:
        network->setProxy(QNetworkProxy(QNetworkProxy::DefaultProxy));
        network->setProxyFactory(new SystemProxyFactory); // the manager takes ownership
        return;
    case NetworkProxySettings::Mode::None:
        network->setProxyFactory(nullptr);
        network->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        return;
    case NetworkProxySettings::Mode::Manual:
        network->setProxyFactory(nullptr);
        network->setProxy(QNetworkProxy(settings.type, settings.host, settings.port));
        return;
    }
}

} // namespace ragdesk
