#include "ui/SettingsDialog.h"

#include "core/foundation/Detach.h"
#include "core/llm/OpenAiChatProvider.h"
#include "ui/AppTheme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

SettingsDialog::SettingsDialog(QNetworkAccessManager *network, const ProviderSettings &current, QWidget *parent)
    : QDialog(parent)
    , m_network(network)
    , m_base(current)
    , m_baseUrl(new QLineEdit(current.baseUrl.toString(), this))
    , m_model(new QComboBox(this))
    , m_apiKey(new QLineEdit(current.apiKey, this))
    , m_test(new QPushButton(tr("Test connection"), this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Settings"));
    setMinimumWidth(520);

    m_baseUrl->setObjectName(u"baseUrlEdit"_s);
    m_baseUrl->setPlaceholderText(u"http://localhost:11434/v1"_s);
    m_baseUrl->setClearButtonEnabled(true);
    m_model->setObjectName(u"modelCombo"_s);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_model->setEditText(current.model);
    m_apiKey->setObjectName(u"apiKeyEdit"_s);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("Not needed for local servers"));
    m_test->setObjectName(u"testConnectionButton"_s);
    m_status->setObjectName(u"testStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *keyNote = new QLabel(tr("Kept for this session only, never saved. "
                                  "Set RAGDESK_API_KEY to provide it at start."),
        this);
    keyNote->setWordWrap(true);
    keyNote->setForegroundRole(QPalette::PlaceholderText);
    QFont small = keyNote->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    keyNote->setFont(small);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setVerticalSpacing(10);
    form->addRow(tr("Server URL:"), m_baseUrl);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("API key:"), m_apiKey);
    form->addRow(QString(), keyNote);

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test, 0, Qt::AlignTop);
    testRow->addWidget(m_status, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 18, 18, 14);
    layout->setSpacing(14);
    layout->addLayout(form);
    layout->addLayout(testRow);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_test, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
}

ProviderSettings SettingsDialog::settings() const
{
    ProviderSettings result = m_base;
    result.baseUrl = QUrl::fromUserInput(m_baseUrl->text().trimmed());
    result.model = m_model->currentText().trimmed();
    result.apiKey = m_apiKey->text().trimmed();
    return result;
}

void SettingsDialog::prefill(const QUrl &baseUrl, const QString &model)
{
    m_baseUrl->setText(baseUrl.toString());
    m_model->clear();
    m_model->setEditText(model);
    m_status->clear();
    if (baseUrl.host() == u"api.openai.com"_s && m_apiKey->text().isEmpty()) {
        showStatus(tr("Paste your OpenAI API key, then test the connection."), false);
        m_apiKey->setFocus();
        return;
    }
    testConnection();
}

QString SettingsDialog::validationError() const
{
    const QUrl url = QUrl::fromUserInput(m_baseUrl->text().trimmed());
    if (m_baseUrl->text().trimmed().isEmpty() || !url.isValid())
        return tr("Enter the server's URL, for example http://localhost:11434/v1.");
    if (url.scheme() != u"http"_s && url.scheme() != u"https"_s)
        return tr("The server URL must start with http:// or https://.");
    return {};
}

SettingsDialog::~SettingsDialog()
{
    // The test resumes synchronously inside cancel(); it sees Cancelled and touches nothing.
    m_testCancel.cancel();
}

void SettingsDialog::testConnection()
{
    if (const QString error = validationError(); !error.isEmpty()) {
        showStatus(error, true);
        Q_EMIT testFinished(false);
        return;
    }
    showStatus(tr("Connecting…"), false);
    m_testCancel.cancel();
    m_testCancel = CancelToken();
    ragdesk::detach(runTest(settings(), ++m_testGeneration), "SettingsDialog::runTest");
}

QCoro::Task<> SettingsDialog::runTest(ProviderSettings settings, int generation)
{
    // A throwaway provider built from the fields: the app's provider changes only on OK.
    auto provider = std::make_shared<OpenAiChatProvider>(m_network.data(), settings);
    QPointer<SettingsDialog> self(this);
    const Result<QStringList> models = co_await provider->listModels(m_testCancel);
    if (!models && models.error().isCancelled())
        co_return; // a newer test replaced this one, or the dialog is being destroyed
    // The dialog may have been closed, or a newer test started, while the server answered.
    if (!self || generation != m_testGeneration)
        co_return;
    if (!models) {
        showStatus(models.error().message, true);
        Q_EMIT testFinished(false);
        co_return;
    }
    const QString typed = m_model->currentText();
    m_model->clear();
    m_model->addItems(*models);
    const bool keepTyped = !typed.isEmpty() && (models->contains(typed) || models->isEmpty());
    m_model->setEditText(keepTyped ? typed : models->value(0));
    showStatus(models->isEmpty() ? tr("Connected. The server lists no models; type the model name.")
                                 : tr("Connected. %n model(s) available.", nullptr, int(models->size())),
        false);
    Q_EMIT testFinished(true);
}

void SettingsDialog::showStatus(const QString &text, bool isError)
{
    m_status->setText(text);
    QPalette pal = m_status->palette();
    pal.setColor(
        QPalette::WindowText, isError ? AppTheme::errorColor(palette()) : palette().color(QPalette::WindowText));
    m_status->setPalette(pal);
}

void SettingsDialog::accept()
{
    if (const QString error = validationError(); !error.isEmpty()) {
        showStatus(error, true);
        m_baseUrl->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace ragdesk
