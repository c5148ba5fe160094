#include "ui/ProviderEditor.h"

#include "core/llm/ProviderPresets.h"
#include "ui/AppTheme.h"
#include "ui/HeaderTable.h"
#include "ui/ProviderProbe.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QCryptographicHash>
#include <QMessageBox>
#include <QPushButton>
#include <QSslCertificate>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace ragdesk {

namespace {

QSpinBox *secondsSpin(const QString &name, int max, const QString &tip, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(name);
    spin->setRange(1, max);
    spin->setSuffix(u" s"_s);
    spin->setToolTip(tip);
    return spin;
}

QLabel *statusLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Expanding, or the form keeps a wrapped message at its narrow size hint.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true); // as a word-wrapped label has it; without it the row keeps a 3-line height
    label->setSizePolicy(policy);
    return label;
}

} // namespace

ProviderEditor::ProviderEditor(QNetworkAccessManager *network, QWidget *parent)
    : QWidget(parent)
    , m_probe(new ProviderProbe(network, this))
    , m_name(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_baseUrl(new QLineEdit(this))
    , m_model(new QComboBox(this))
    , m_fetch(new QPushButton(tr("&Fetch models"), this))
    , m_fetchStatus(statusLabel(u"fetchStatus"_s, this))
    , m_apiKey(new QLineEdit(this))
    , m_keyProblem(statusLabel(u"keyProblem"_s, this))
    , m_sessionOnly(new QCheckBox(tr("Keep the key in &memory for this session only"), this))
    , m_headers(new HeaderTable(this))
    , m_maxConcurrent(new QSpinBox(this))
    , m_connectTimeout(secondsSpin(u"connectTimeoutSpin"_s, 300, tr("How long to wait for the server to accept the connection."), this))
    , m_firstByteTimeout(secondsSpin(u"firstByteTimeoutSpin"_s, 3600,
          tr("How long to wait for the first byte of the answer. Large prompts on local servers can take minutes to read."), this))
    , m_idleTimeout(secondsSpin(u"idleTimeoutSpin"_s, 3600,
          tr("The longest silence allowed in the middle of an answer. Keep it long for reasoning models: "
             "some send nothing while they think."), this))
    , m_totalTimeout(secondsSpin(u"totalTimeoutSpin"_s, 4 * 3600, tr("The longest a whole answer may take, slow streams included."), this))
    , m_test(new QPushButton(tr("&Test"), this))
    , m_testStatus(statusLabel(u"testStatus"_s, this))
    , m_trust(new QPushButton(tr("Trust this &certificate…"), this))
{
    m_name->setObjectName(u"nameEdit"_s);
    m_kind->setObjectName(u"kindCombo"_s);
    for (const ProviderKind kind : { ProviderKind::OpenAiCompatible, ProviderKind::Ollama, ProviderKind::Anthropic })
        m_kind->addItem(providerKindLabel(kind), int(kind));
    m_baseUrl->setObjectName(u"baseUrlEdit"_s);
    m_baseUrl->setPlaceholderText(u"http://localhost:11434/v1"_s);
    m_baseUrl->setClearButtonEnabled(true);
    m_model->setObjectName(u"modelCombo"_s);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_fetch->setObjectName(u"fetchModelsButton"_s);
    m_apiKey->setObjectName(u"apiKeyEdit"_s);
    m_apiKey->setEchoMode(QLineEdit::Password);
    QAction *reveal = m_apiKey->addAction(QIcon::fromTheme(u"view-visible"_s), QLineEdit::TrailingPosition);
    reveal->setObjectName(u"showKeyAction"_s);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the key"));
    if (reveal->icon().isNull())
        reveal->setText(tr("Show")); // no icon theme (offscreen, some desktops): still reachable
    connect(reveal, &QAction::toggled, this, [this](bool shown) {
        m_apiKey->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    });
    m_sessionOnly->setObjectName(u"sessionOnlyCheck"_s);
    // One sentence; unwrapped, because QFormLayout reserves a wrapped label's narrow-width height.
    m_keyProblem->setWordWrap(false);
    m_keyProblem->hide();
    m_fetchStatus->hide();
    m_sessionOnly->hide();
    m_maxConcurrent->setObjectName(u"maxConcurrentSpin"_s);
    m_maxConcurrent->setRange(1, 64);
    m_maxConcurrent->setToolTip(tr("Requests sent to this provider at once; the rest wait their turn."));
    m_test->setObjectName(u"testButton"_s);
    m_test->setToolTip(tr("Sends “%1” with these settings and shows how fast the first word came.").arg(ProviderProbe::testPrompt()));

    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_fetch);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(tr("Server &URL:"), m_baseUrl);
    form->addRow(tr("Default m&odel:"), modelRow);
    form->addRow(QString(), m_fetchStatus);
    form->addRow(tr("API &key:"), m_apiKey);
    // One row for the keychain note and its choice: QFormLayout gives each wrapped row spare height.
    auto *keyChoice = new QVBoxLayout;
    keyChoice->setContentsMargins(0, 0, 0, 0);
    keyChoice->addWidget(m_keyProblem);
    keyChoice->addWidget(m_sessionOnly);
    form->addRow(QString(), keyChoice);
    // The model combo sits in a row layout, so its label needs its buddy set by hand.
    qobject_cast<QLabel *>(form->labelForField(modelRow))->setBuddy(m_model);

    auto *limits = new QFormLayout;
    limits->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    limits->addRow(tr("Max &concurrent requests:"), m_maxConcurrent);
    limits->addRow(tr("Connect t&imeout:"), m_connectTimeout);
    limits->addRow(tr("First &byte within:"), m_firstByteTimeout);
    limits->addRow(tr("Longest &silence:"), m_idleTimeout);
    limits->addRow(tr("Whole &answer within:"), m_totalTimeout);
    auto *headersLabel = new QLabel(tr("Extra &headers:"), this);
    headersLabel->setBuddy(m_headers->table());
    auto *headersColumn = new QVBoxLayout;
    headersColumn->addWidget(headersLabel);
    headersColumn->addWidget(m_headers);
    headersColumn->addStretch(1);
    auto *advanced = new QGroupBox(tr("Advanced"), this);
    auto *advancedLayout = new QHBoxLayout(advanced);
    advancedLayout->addLayout(limits);
    advancedLayout->addSpacing(12);
    advancedLayout->addLayout(headersColumn, 1);

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test, 0, Qt::AlignTop | Qt::AlignLeft);
    testRow->addWidget(m_testStatus, 1);
    testRow->addWidget(m_trust, 0, Qt::AlignTop);
    m_trust->setObjectName(u"trustCertificateButton"_s);
    m_trust->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(advanced);
    layout->addLayout(testRow);
    layout->addStretch(1);

    connect(m_name, &QLineEdit::textEdited, this, &ProviderEditor::titleChanged);
    connect(m_kind, &QComboBox::activated, this, &ProviderEditor::titleChanged);
    connect(m_fetch, &QPushButton::clicked, this, &ProviderEditor::fetchModels);
    connect(m_test, &QPushButton::clicked, this, [this] {
        if (m_probe->isTesting())
            m_probe->cancelTest();
        else
            startTest();
    });
    connect(m_probe, &ProviderProbe::modelsFetched, this, &ProviderEditor::onModelsFetched);
    connect(m_probe, &ProviderProbe::modelsFailed, this, [this](const QString &message) {
        m_fetch->setEnabled(true);
        showStatus(m_fetchStatus, message, true);
    });
    connect(m_probe, &ProviderProbe::certificateUntrusted, this, [this](const QByteArray &pem) {
        m_untrustedPem = pem;
        m_trust->show();
    });
    connect(m_trust, &QPushButton::clicked, this, &ProviderEditor::trustCertificate);
    connect(m_probe, &ProviderProbe::testFinished, this, [this](bool ok, const QString &text) {
        m_test->setText(tr("&Test"));
        m_trust->hide();
        showTestStatus(text, !ok);
        Q_EMIT testFinished(ok);
    });
}

void ProviderEditor::trustCertificate()
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(m_untrustedPem, QSsl::Pem);
    if (certificates.isEmpty())
        return;
    const QSslCertificate &certificate = certificates.constFirst();
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Trust this certificate?"),
                                tr("Trust the certificate of “%1” for this provider only?").arg(certificate.subjectDisplayName()),
                                QMessageBox::Cancel, this);
    box->setInformativeText(
        tr("Issued by: %1\nValid: %2 to %3\nSHA-256: %4\n\nOnly trust it if you run this server yourself or got this "
           "fingerprint from its administrator. Certificate checks stay on for every other server.")
            .arg(certificate.issuerDisplayName(), certificate.effectiveDate().toString(Qt::ISODate),
                 certificate.expiryDate().toString(Qt::ISODate),
                 QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper())));
    QPushButton *trust = box->addButton(tr("&Trust"), QMessageBox::AcceptRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray pem = certificate.toPem();
    connect(box, &QMessageBox::finished, this, [this, box, trust, pem] {
        if (box->clickedButton() != trust)
            return;
        if (!m_base.trustedCertificatesPem.contains(pem))
            m_base.trustedCertificatesPem += pem;
        m_trust->hide();
        m_probe->forgetConnections();
        startTest();
    });
    box->open();
}

void ProviderEditor::setProvider(const ProviderSettings &settings)
{
    m_trust->hide();
    // A test or fetch of the profile shown before must not report into this one.
    m_probe->abandon();
    m_test->setText(tr("&Test"));
    m_fetch->setEnabled(true);
    m_base = settings;
    m_base.apiKey.clear();
    m_name->setText(settings.name);
    m_kind->setCurrentIndex(m_kind->findData(int(settings.kind)));
    m_baseUrl->setText(settings.baseUrl.toString());
    m_model->clear();
    m_model->setEditText(settings.model);
    m_headers->setHeaders(settings.extraHeaders);
    m_maxConcurrent->setValue(settings.maxConcurrent);
    m_connectTimeout->setValue(int(duration_cast<seconds>(settings.connectTimeout).count()));
    m_firstByteTimeout->setValue(int(duration_cast<seconds>(settings.firstByteTimeout).count()));
    m_idleTimeout->setValue(int(duration_cast<seconds>(settings.idleTimeout).count()));
    m_totalTimeout->setValue(int(duration_cast<seconds>(settings.totalTimeout).count()));
    showStatus(m_fetchStatus, {}, false);
    showStatus(m_testStatus, {}, false);
}

ProviderSettings ProviderEditor::provider() const
{
    ProviderSettings result = m_base;
    result.name = m_name->text().trimmed();
    result.kind = ProviderKind(m_kind->currentData().toInt());
    const QString url = m_baseUrl->text().trimmed();
    result.baseUrl = url.isEmpty() ? QUrl() : QUrl::fromUserInput(url);
    result.model = m_model->currentText().trimmed();
    result.apiKey = key();
    result.extraHeaders = m_headers->headers();
    result.maxConcurrent = m_maxConcurrent->value();
    result.connectTimeout = seconds(m_connectTimeout->value());
    result.firstByteTimeout = seconds(m_firstByteTimeout->value());
    result.idleTimeout = seconds(m_idleTimeout->value());
    result.totalTimeout = seconds(m_totalTimeout->value());
    return result;
}

void ProviderEditor::setKey(const QString &key, bool pending)
{
    m_apiKey->setText(key);
    m_apiKey->setEnabled(!pending);
}

QString ProviderEditor::key() const
{
    return m_apiKey->text().trimmed();
}

void ProviderEditor::setKeyStorage(bool keychain, const QString &problem, bool sessionOnly)
{
    if (sessionOnly || !keychain)
        m_apiKey->setPlaceholderText(tr("Kept in memory for this session only, never saved"));
    else if (!problem.isEmpty())
        m_apiKey->setPlaceholderText(tr("Cannot be stored; see below"));
    else
        m_apiKey->setPlaceholderText(tr("Stored in the system keychain; not needed for local servers"));
    showStatus(m_keyProblem, problem, true);
    m_keyProblem->setVisible(!problem.isEmpty());
    // Without a keychain at all there is no choice to make: every key is session-only.
    m_sessionOnly->setVisible(keychain && (!problem.isEmpty() || sessionOnly));
    m_sessionOnly->setChecked(sessionOnly);
}

bool ProviderEditor::isSessionOnly() const
{
    return m_sessionOnly->isVisibleTo(this) && m_sessionOnly->isChecked();
}

void ProviderEditor::setBaseUrl(const QUrl &url)
{
    m_baseUrl->setText(url.toString());
}

void ProviderEditor::setModel(const QString &model)
{
    m_model->clear();
    m_model->setEditText(model);
}

void ProviderEditor::startTest()
{
    m_test->setText(tr("Cancel &test"));
    showTestStatus(tr("Sending a test request…"), false);
    m_probe->test(provider());
}

void ProviderEditor::fetchModels()
{
    m_fetch->setEnabled(false);
    showStatus(m_fetchStatus, tr("Asking the server for its models…"), false);
    m_probe->fetchModels(provider());
}

void ProviderEditor::showTestStatus(const QString &text, bool isError)
{
    showStatus(m_testStatus, text, isError);
}

void ProviderEditor::showStatus(QLabel *label, const QString &text, bool isError)
{
    label->setText(text);
    label->setVisible(!text.isEmpty()); // an empty row would leave a gap in the form
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, isError ? AppTheme::errorColor(palette()) : palette().color(QPalette::WindowText));
    label->setPalette(pal);
}

void ProviderEditor::onModelsFetched(const QStringList &models)
{
    m_fetch->setEnabled(true);
    const QString typed = m_model->currentText();
    m_model->clear();
    m_model->addItems(models);
    const bool keepTyped = !typed.isEmpty() && (models.contains(typed) || models.isEmpty());
    m_model->setEditText(keepTyped ? typed : models.value(0));
    showStatus(m_fetchStatus,
        models.isEmpty() ? tr("The server lists no models; type the model name.")
                         : tr("%n model(s) available.", nullptr, int(models.size())),
        false);
}

} // namespace ragdesk
