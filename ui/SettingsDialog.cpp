#include "ui/SettingsDialog.h"

#include "core/foundation/Detach.h"
#include "core/llm/CredentialStore.h"
#include "ui/AppTheme.h"
#include "ui/NetworkProxyPage.h"
#include "ui/ProviderEditor.h"
#include "ui/ProviderListPage.h"
#include "ui/ProviderProbe.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

/// Gives a profile from the single-provider era the id and name a profile needs.
ProviderSettings asProfile(ProviderSettings settings)
{
    if (settings.id.isEmpty())
        settings.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (settings.name.isEmpty())
        settings.name = settings.baseUrl.host().isEmpty() ? u"Provider"_s : settings.baseUrl.host();
    return settings;
}

} // namespace

SettingsDialog::SettingsDialog(QNetworkAccessManager *network, CredentialStore *credentials,
    QList<ProviderSettings> providers, const QString &currentId, const NetworkProxySettings &proxy, QWidget *parent)
    : QDialog(parent)
    , m_credentials(credentials)
    , m_tabs(new QTabWidget(this))
    , m_validation(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Settings"));
    for (const ProviderSettings &p : providers)
        m_initialIds.append(p.id);
    m_providers = new ProviderListPage(network, credentials, std::move(providers), currentId, this);
    m_proxyPage = new NetworkProxyPage(proxy, this);
    m_tabs->addTab(m_providers, tr("&Providers"));
    m_tabs->addTab(m_proxyPage, tr("Net&work"));
    m_validation->setObjectName(u"validationMessage"_s);
    m_validation->setWordWrap(true);
    m_validation->setTextFormat(Qt::PlainText);
    m_validation->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 14, 14, 12);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_validation);
    layout->addWidget(m_buttons);
    resize(920, 660);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_providers->editor(), &ProviderEditor::testFinished, this, &SettingsDialog::testFinished);
}

SettingsDialog::SettingsDialog(QNetworkAccessManager *network, const ProviderSettings &current, QWidget *parent)
    : SettingsDialog(network, nullptr, { asProfile(current) }, {}, NetworkProxySettings {}, parent)
{
    m_tabs->setTabVisible(1, false); // the single-provider caller has nowhere to apply a proxy
}

SettingsDialog::~SettingsDialog()
{
    // Aborts a running test or model fetch now, not when the children are deleted later.
    m_providers->editor()->probe()->cancelAll();
}

QList<ProviderSettings> SettingsDialog::providers() const
{
    QList<ProviderSettings> result = m_providers->providers();
    for (ProviderSettings &p : result)
        p.apiKey.clear();
    return result;
}

QString SettingsDialog::currentProviderId() const
{
    return m_providers->currentProviderId();
}

NetworkProxySettings SettingsDialog::proxy() const
{
    return m_proxyPage->settings();
}

QHash<QString, QString> SettingsDialog::sessionOnlyKeys() const
{
    QHash<QString, QString> result;
    const QHash<QString, ProviderKeyState> keys = m_providers->keyStates();
    for (const ProviderSettings &p : m_providers->providers()) {
        const ProviderKeyState state = keys.value(p.id);
        if (state.sessionOnly && !state.typed.isEmpty())
            result.insert(p.id, state.typed);
    }
    return result;
}

ProviderSettings SettingsDialog::settings() const
{
    const QString id = currentProviderId();
    for (const ProviderSettings &p : m_providers->providers()) {
        if (p.id == id)
            return p;
    }
    return {};
}

void SettingsDialog::prefill(const QUrl &baseUrl, const QString &model)
{
    ProviderEditor *editor = m_providers->editor();
    editor->setBaseUrl(baseUrl);
    editor->setModel(model);
    if (baseUrl.host() == u"api.openai.com"_s && editor->key().isEmpty()) {
        editor->showTestStatus(tr("Paste your OpenAI API key, then test the connection."), false);
        editor->findChild<QWidget *>(u"apiKeyEdit"_s)->setFocus();
        return;
    }
    testConnection();
}

void SettingsDialog::testConnection()
{
    const ProviderSettings p = m_providers->editor()->provider();
    if (!p.baseUrl.isValid() || (p.baseUrl.scheme() != u"http"_s && p.baseUrl.scheme() != u"https"_s)) {
        m_providers->editor()->showTestStatus(tr("Enter the server's URL, for example http://localhost:11434/v1."), true);
        Q_EMIT testFinished(false);
        return;
    }
    m_providers->editor()->startTest();
}

QString SettingsDialog::validationError()
{
    for (const ProviderSettings &p : m_providers->providers()) {
        QString problem;
        if (p.name.isEmpty())
            problem = tr("Give the provider a name.");
        else if (p.baseUrl.isEmpty() || !p.baseUrl.isValid() || p.baseUrl.host().isEmpty())
            problem = tr("Enter the server's URL, for example http://localhost:11434/v1.");
        else if (p.baseUrl.scheme() != u"http"_s && p.baseUrl.scheme() != u"https"_s)
            problem = tr("The server URL must start with http:// or https://.");
        else if (p.model.isEmpty())
            problem = tr("Enter a default model, or fetch the server's models.");
        if (problem.isEmpty())
            continue;
        // Show the profile at fault, so the message and the field are on screen together.
        m_tabs->setCurrentWidget(m_providers);
        m_providers->select(p.id);
        return p.name.isEmpty() ? problem : tr("%1: %2").arg(p.name, problem);
    }
    if (QString problem = m_proxyPage->validationError(); !problem.isEmpty()) {
        m_tabs->setCurrentWidget(m_proxyPage);
        return problem;
    }
    return {};
}

void SettingsDialog::showValidation(const QString &text)
{
    m_validation->setText(text);
    QPalette pal = m_validation->palette();
    pal.setColor(QPalette::WindowText, AppTheme::errorColor(palette()));
    m_validation->setPalette(pal);
    m_validation->setVisible(!text.isEmpty());
}

void SettingsDialog::accept()
{
    if (m_saving)
        return;
    if (const QString error = validationError(); !error.isEmpty()) {
        showValidation(error);
        return;
    }
    showValidation({});
    if (!m_credentials) {
        QDialog::accept();
        return;
    }
    m_saving = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    detach(saveKeys(m_providers->providers(), m_providers->keyStates()), "SettingsDialog::saveKeys");
}

QCoro::Task<> SettingsDialog::saveKeys(QList<ProviderSettings> providers, QHash<QString, ProviderKeyState> keys)
{
    QPointer<SettingsDialog> self(this);
    CredentialStore *store = m_credentials;
    const auto stop = [&](const QString &id, const Error &error) {
        m_saving = false;
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        const QString problem = error.kind == Error::Kind::Unavailable
            ? tr("%1 Keep the key in memory for this session, or clear the field.").arg(error.message)
            : error.message;
        m_providers->setKeyProblem(id, problem);
        showValidation(tr("The API key could not be saved."));
    };
    for (const ProviderSettings &p : providers) {
        const ProviderKeyState state = keys.value(p.id);
        if (!state.loaded || state.sessionOnly || state.typed == state.stored)
            continue; // unchanged, never read, or kept in memory by the user's choice
        Result<void> written;
        if (state.typed.isEmpty())
            written = co_await store->removeKey(p.id); // a cleared field forgets the key
        else
            written = co_await store->writeKey(p.id, state.typed);
        if (!self)
            co_return; // the dialog went away while the keychain answered
        if (!written) {
            stop(p.id, written.error());
            co_return;
        }
    }
    for (const QString &id : std::as_const(m_initialIds)) {
        if (std::ranges::any_of(providers, [&](const ProviderSettings &p) { return p.id == id; }))
            continue;
        // A removed profile's key must not linger; failing to forget it does not block OK.
        const Result<void> removed = co_await store->removeKey(id);
        if (!self)
            co_return;
        if (!removed)
            qWarning("Could not remove the API key of a removed provider: %s", qPrintable(removed.error().message));
    }
    m_saving = false;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    QDialog::accept();
}

void SettingsDialog::done(int result)
{
    // A closing dialog stops its test stream and model fetch; nothing should outlive it.
    m_providers->editor()->probe()->cancelAll();
    QDialog::done(result);
}

} // namespace ragdesk
