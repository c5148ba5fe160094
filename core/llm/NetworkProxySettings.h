#pragma once

#include <QNetworkProxy>
#include <QString>

class QNetworkAccessManager;

namespace ragdesk {

/// How the app reaches the network: the system's proxy configuration, none, or one typed in.
/// A proxy password is never persisted; none is asked for.
struct NetworkProxySettings {
    enum class Mode { System, None, Manual };
    Mode mode = Mode::System;
    QNetworkProxy::ProxyType type = QNetworkProxy::HttpProxy; ///< Manual: HttpProxy or Socks5Proxy
    QString host;
    quint16 port = 8080;

    friend bool operator==(const NetworkProxySettings &, const NetworkProxySettings &) = default;
};

/// Reads and writes the [network] group of <profile>/settings.ini.
class NetworkProxyStore
{
public:
    explicit NetworkProxyStore(QString profileDir);

    [[nodiscard]] NetworkProxySettings load() const;
    void save(const NetworkProxySettings &settings) const;

private:
    QString m_path;
};

/// Makes @p network use @p settings for every later request. System goes through a factory owned
/// by @p network rather than the process-wide QNetworkProxyFactory switch, so nothing global changes.
void applyNetworkProxy(QNetworkAccessManager *network, const NetworkProxySettings &settings);

} // namespace ragdesk
