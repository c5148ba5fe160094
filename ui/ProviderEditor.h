#pragma once

#include "core/llm/ChatTypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QSpinBox;

namespace ragdesk {

class HeaderTable;
class ProviderProbe;

/// The form for one provider profile: name, kind, URL, model (with "Fetch models"), API key,
/// extra headers, limits and timeouts, and a "Test" that streams a tiny request.
/// It edits a copy; the list page reads it back with provider().
class ProviderEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ProviderEditor(QNetworkAccessManager *network, QWidget *parent = nullptr);

    /// Shows @p settings (its apiKey is ignored; keys come through setKey()).
    void setProvider(const ProviderSettings &settings);
    /// The fields as a profile, with the typed key in apiKey.
    [[nodiscard]] ProviderSettings provider() const;

    /// The key field's text; @p pending disables it while the keychain is being read.
    void setKey(const QString &key, bool pending = false);
    [[nodiscard]] QString key() const;
    /// Where the key is kept: in the keychain, or (@p sessionOnly) only in memory. An empty
    /// @p problem hides the "keychain unavailable" note and the session-only choice.
    void setKeyStorage(bool keychain, const QString &problem, bool sessionOnly);
    [[nodiscard]] bool isSessionOnly() const;

    void setBaseUrl(const QUrl &url);
    void setModel(const QString &model);
    /// Streams the test request with the fields as they are now; a newer test replaces it.
    void startTest();
    void fetchModels();
    [[nodiscard]] ProviderProbe *probe() const { return m_probe; }
    /// Shows @p text under the Test button, in the error colour when @p isError.
    void showTestStatus(const QString &text, bool isError);

Q_SIGNALS:
    /// The name or kind changed, so the list entry should follow.
    void titleChanged();
    void testFinished(bool ok);

private:
    /// Adds the certificate of the last failed test to this profile's trusted ones, after the
    /// user confirmed it, and tests again.
    void trustCertificate();
    void showStatus(QLabel *label, const QString &text, bool isError);
    void onModelsFetched(const QStringList &models);

    ProviderSettings m_base; ///< the fields the form does not show (id, maxConnections)
    ProviderProbe *m_probe;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QLineEdit *m_baseUrl;
    QComboBox *m_model;
    QPushButton *m_fetch;
    QLabel *m_fetchStatus;
    QLineEdit *m_apiKey;
    QLabel *m_keyProblem;
    QCheckBox *m_sessionOnly;
    HeaderTable *m_headers;
    QSpinBox *m_maxConcurrent;
    QSpinBox *m_connectTimeout;
    QSpinBox *m_firstByteTimeout;
    QSpinBox *m_idleTimeout;
    QSpinBox *m_totalTimeout;
    QPushButton *m_test;
    QLabel *m_testStatus;
    QPushButton *m_trust;     ///< shown after a test failed on an untrusted certificate
    QByteArray m_untrustedPem; ///< that certificate
};

} // namespace ragdesk
