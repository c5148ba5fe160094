#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"

#include <QCoroTask>
#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace ragdesk {

/// Where the chat provider lives: base URL, model and a session-only API key. Opened with
/// open(); "Test connection" asks the server for its models without blocking the window.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(QNetworkAccessManager *network, const ProviderSettings &current, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    /// The dialog's fields as settings; timeouts and limits are kept from the current ones.
    [[nodiscard]] ProviderSettings settings() const;
    /// Fills base URL and model (from a first-start preset) and tests them when no key is needed.
    void prefill(const QUrl &baseUrl, const QString &model);
    /// Starts a connection test with the fields as they are now; a newer test supersedes it.
    void testConnection();

    void accept() override;

Q_SIGNALS:
    /// A connection test ended; for tests and for the prefill flow.
    void testFinished(bool ok);

private:
    QCoro::Task<> runTest(ProviderSettings settings, int generation);
    [[nodiscard]] QString validationError() const;
    void showStatus(const QString &text, bool isError);

    QPointer<QNetworkAccessManager> m_network;
    ProviderSettings m_base;
    QLineEdit *m_baseUrl;
    QComboBox *m_model;
    QLineEdit *m_apiKey;
    QPushButton *m_test;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    int m_testGeneration = 0;
    CancelToken m_testCancel; ///< aborts the running connection test when replaced or destroyed
};

} // namespace ragdesk
