#include "ui/KnowledgeBaseDialog.h"

#include "ui/AppTheme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kMinChunk = 64;
constexpr int kMaxChunk = 4096;
constexpr int kMaxOverlap = 1024;
} // namespace

QList<std::pair<QString, QString>> KnowledgeBaseDialog::languages()
{
    return {
        { u"en"_s, tr("English") }, { u"de"_s, tr("German") }, { u"fr"_s, tr("French") },
        { u"es"_s, tr("Spanish") }, { u"it"_s, tr("Italian") }, { u"pt"_s, tr("Portuguese") },
        { u"nl"_s, tr("Dutch") }, { u"sv"_s, tr("Swedish") }, { u"da"_s, tr("Danish") },
        { u"no"_s, tr("Norwegian") }, { u"fi"_s, tr("Finnish") }, { u"pl"_s, tr("Polish") },
        { u"cs"_s, tr("Czech") }, { u"hu"_s, tr("Hungarian") }, { u"ro"_s, tr("Romanian") },
        { u"ru"_s, tr("Russian") }, { u"uk"_s, tr("Ukrainian") }, { u"el"_s, tr("Greek") },
        { u"tr"_s, tr("Turkish") }, { u"ar"_s, tr("Arabic") }, { u"he"_s, tr("Hebrew") },
        { u"hi"_s, tr("Hindi") }, { u"zh"_s, tr("Chinese") }, { u"ja"_s, tr("Japanese") },
        { u"ko"_s, tr("Korean") },
    };
}

KnowledgeBaseDialog::KnowledgeBaseDialog(Mode mode, const Values &initial, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(initial.name, this))
    , m_chunkSize(new QSpinBox(this))
    , m_overlap(new QSpinBox(this))
    , m_language(new QComboBox(this))
    , m_embeddingModel(new QLineEdit(initial.embeddingModel, this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"knowledgeBaseDialog"_s);
    setWindowTitle(mode == Mode::Create ? tr("New Knowledge Base") : tr("Knowledge Base Settings"));
    setWindowModality(Qt::WindowModal);
    m_name->setObjectName(u"kbName"_s);
    m_name->setPlaceholderText(tr("e.g. Project notes"));
    m_chunkSize->setObjectName(u"kbChunkSize"_s);
    m_chunkSize->setRange(kMinChunk, kMaxChunk);
    m_chunkSize->setSingleStep(64);
    m_chunkSize->setSuffix(tr(" tokens"));
    m_chunkSize->setValue(initial.chunking.targetTokens);
    m_overlap->setObjectName(u"kbOverlap"_s);
    m_overlap->setRange(0, kMaxOverlap);
    m_overlap->setSingleStep(16);
    m_overlap->setSuffix(tr(" tokens"));
    m_overlap->setValue(initial.chunking.overlapTokens);
    m_language->setObjectName(u"kbLanguage"_s);
    for (const auto &[code, name] : languages())
        m_language->addItem(u"%1 (%2)"_s.arg(name, code), code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(initial.language)));
    m_embeddingModel->setObjectName(u"kbEmbeddingModel"_s);
    m_embeddingModel->setPlaceholderText(tr("e.g. nomic-embed-text — empty: keyword search only"));
    m_embeddingModel->setClearButtonEnabled(true);
    m_error->setObjectName(u"kbError"_s);
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, AppTheme::errorColor(palette()));
    m_error->setPalette(errorPalette);
    m_error->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(mode == Mode::Create ? tr("Create") : tr("Save"));

    auto *hint = new QLabel(tr("Chunk size and overlap apply to files indexed from now on."), this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Chunk size:"), m_chunkSize);
    form->addRow(tr("&Overlap:"), m_overlap);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(tr("&Embedding model:"), m_embeddingModel);
    auto *embeddingHint = new QLabel(tr("Adds search by meaning; the vectors come from the chat server."), this);
    embeddingHint->setObjectName(u"kbEmbeddingHint"_s);
    embeddingHint->setWordWrap(true);
    embeddingHint->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), embeddingHint);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(420);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &KnowledgeBaseDialog::revalidate);
    connect(m_chunkSize, &QSpinBox::valueChanged, this, &KnowledgeBaseDialog::revalidate);
    connect(m_overlap, &QSpinBox::valueChanged, this, &KnowledgeBaseDialog::revalidate);
    m_name->selectAll();
    m_name->setFocus();
}

KnowledgeBaseDialog::Values KnowledgeBaseDialog::values() const
{
    Values values;
    values.name = m_name->text().trimmed();
    values.chunking.targetTokens = m_chunkSize->value();
    values.chunking.overlapTokens = m_overlap->value();
    values.language = m_language->currentData().toString();
    values.embeddingModel = m_embeddingModel->text().trimmed();
    return values;
}

QString KnowledgeBaseDialog::validationError() const
{
    if (m_name->text().trimmed().isEmpty())
        return tr("Give the knowledge base a name.");
    if (m_overlap->value() >= m_chunkSize->value())
        return tr("The overlap must be smaller than the chunk size (%1 tokens).").arg(m_chunkSize->value());
    return {};
}

void KnowledgeBaseDialog::showError(const QString &message)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void KnowledgeBaseDialog::revalidate()
{
    // Only clear a shown message as the user fixes it; never nag before the first OK.
    if (m_error->isVisible())
        showError(validationError());
}

void KnowledgeBaseDialog::accept()
{
    const QString error = validationError();
    if (!error.isEmpty()) {
        showError(error);
        return;
    }
    // Disabled until the owner answers, so a double click cannot create two knowledge bases.
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    Q_EMIT submitted(values());
}

void KnowledgeBaseDialog::finish()
{
    QDialog::accept();
}

} // namespace ragdesk
