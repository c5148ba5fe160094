#pragma once

#include "core/llm/ChatTypes.h"

#include <QCoroTask>
#include <QHash>
#include <QPointer>
#include <QWidget>

class QListWidget;
class QMenu;
class QMessageBox;
class QNetworkAccessManager;
class QPushButton;

namespace ragdesk {

class CredentialStore;
class ProviderEditor;

/// What the page knows about one provider's API key.
struct ProviderKeyState {
    QString stored;          ///< as read from the keychain (empty: none stored)
    QString typed;           ///< as the field shows it now
    bool loaded = false;     ///< readKey answered (or there is no keychain to ask)
    QString problem;         ///< why the keychain cannot be used; empty when it can
    bool sessionOnly = false;///< the user chose to keep this key in memory only
};

/// The "Providers" page: the list of profiles (name and kind) with Add (from a preset),
/// Duplicate and Remove, and the editor of the selected one. Keys are read from the
/// CredentialStore when a profile is first shown; writing them is the dialog's job on OK.
class ProviderListPage : public QWidget
{
    Q_OBJECT
public:
    /// Without @p credentials every key is session-only (kept as given in @p profiles).
    ProviderListPage(QNetworkAccessManager *network, CredentialStore *credentials, QList<ProviderSettings> profiles,
        const QString &currentId, QWidget *parent = nullptr);

    /// Every profile with the editor's pending changes, apiKey filled from the key field.
    [[nodiscard]] QList<ProviderSettings> providers() const;
    [[nodiscard]] QString currentProviderId() const;
    [[nodiscard]] QHash<QString, ProviderKeyState> keyStates() const;
    void setKeyProblem(const QString &id, const QString &problem);
    void select(const QString &id);

    [[nodiscard]] ProviderEditor *editor() const { return m_editor; }
    [[nodiscard]] QListWidget *list() const { return m_list; }
    [[nodiscard]] QMenu *presetMenu() const { return m_presetMenu; }
    /// The open "Remove?" question, for tests; null when none is open.
    [[nodiscard]] QMessageBox *confirmation() const;

    void addProvider(const ProviderSettings &settings);
    void duplicateCurrent();
    /// Asks (window-modal, open() not exec()) and removes the selected profile on Yes.
    void removeCurrent();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void storeEditor();
    void showRow(int row);
    void refreshRow(int row);
    void updateButtons();
    QCoro::Task<> readKey(QString id);

    CredentialStore *m_credentials;
    QList<ProviderSettings> m_providers;
    QHash<QString, ProviderKeyState> m_keys;
    QString m_keychainProblem; ///< set once the keychain said it is unavailable
    int m_shownRow = -1;
    QListWidget *m_list;
    QPushButton *m_add;
    QMenu *m_presetMenu;
    QPushButton *m_duplicate;
    QPushButton *m_remove;
    ProviderEditor *m_editor;
    QPointer<QMessageBox> m_confirmation;
};

} // namespace ragdesk
