#pragma once

#include "core/llm/ChatTypes.h"
#include "core/llm/NetworkProxySettings.h"

#include <QCoroTask>
#include <QDialog>
#include <QHash>

class QDialogButtonBox;
class QLabel;
class QNetworkAccessManager;
class QTabWidget;

namespace ragdesk {

class CredentialStore;
class NetworkProxyPage;
class ProviderListPage;
struct ProviderKeyState;

/// The settings window: provider profiles (ProviderListPage, ProviderEditor) and the network
/// proxy (NetworkProxyPage). Opened with open(). On OK it validates every profile, writes changed
/// API keys to the CredentialStore (removing cleared ones and those of removed profiles), and
/// only then accepts; the caller reads providers(), proxy() and sessionOnlyKeys().
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    /// @p providers may carry session-only keys from the app's memory; they stay session-only.
    SettingsDialog(QNetworkAccessManager *network, CredentialStore *credentials, QList<ProviderSettings> providers,
        const QString &currentId, const NetworkProxySettings &proxy, QWidget *parent = nullptr);
    /// One provider and no keychain: the key field is session-only (the single-provider window).
    SettingsDialog(QNetworkAccessManager *network, const ProviderSettings &current, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    /// Every profile, without API keys.
    [[nodiscard]] QList<ProviderSettings> providers() const;
    [[nodiscard]] QString currentProviderId() const;
    [[nodiscard]] NetworkProxySettings proxy() const;
    /// Keys the user chose to keep in memory only (or all keys without a keychain), by provider id.
    [[nodiscard]] QHash<QString, QString> sessionOnlyKeys() const;
    /// The selected profile with its typed key; for the single-provider callers.
    [[nodiscard]] ProviderSettings settings() const;

    /// Fills base URL and model of the selected profile (a first-start preset) and tests them
    /// unless a key is still missing.
    void prefill(const QUrl &baseUrl, const QString &model);
    /// Tests the selected profile's fields as they are now; a newer test supersedes it.
    void testConnection();

    [[nodiscard]] ProviderListPage *providerPage() const { return m_providers; }
    [[nodiscard]] NetworkProxyPage *networkPage() const { return m_proxyPage; }

    void accept() override;
    void done(int result) override;

Q_SIGNALS:
    /// A connection test ended; for tests and for the prefill flow.
    void testFinished(bool ok);

private:
    [[nodiscard]] QString validationError();
    void showValidation(const QString &text);
    QCoro::Task<> saveKeys(QList<ProviderSettings> providers, QHash<QString, ProviderKeyState> keys);

    CredentialStore *m_credentials;
    QStringList m_initialIds; ///< whose keys to remove when their profile is gone on OK
    QTabWidget *m_tabs;
    ProviderListPage *m_providers;
    NetworkProxyPage *m_proxyPage;
    QLabel *m_validation;
    QDialogButtonBox *m_buttons;
    bool m_saving = false;
};

} // namespace ragdesk
