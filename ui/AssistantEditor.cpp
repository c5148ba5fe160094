#include "ui/AssistantEditor.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kIdRole = Qt::UserRole;
}

AssistantEditor::AssistantEditor(QList<KnowledgeBase> knowledgeBases, QList<ProviderSettings> providers,
    QWidget *parent)
    : QWidget(parent)
    , m_knowledgeBases(std::move(knowledgeBases))
    , m_name(new QLineEdit(this))
    , m_systemPrompt(new QPlainTextEdit(this))
    , m_allBases(new QCheckBox(tr("Search &all knowledge bases, including new ones"), this))
    , m_bases(new QListWidget(this))
    , m_provider(new QComboBox(this))
    , m_model(new QLineEdit(this))
    , m_customTemperature(new QCheckBox(tr("&Temperature:"), this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_topN(new QSpinBox(this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_fusion(new QComboBox(this))
    , m_keywordWeight(new QDoubleSpinBox(this))
    , m_rerank(new QCheckBox(tr("&Rerank the candidates (needs a rerank endpoint)"), this))
    , m_refine(new QCheckBox(tr("Rewrite &follow-up questions into standalone searches"), this))
    , m_citations(new QCheckBox(tr("Ask for &citations and show them"), this))
    , m_contextTokens(new QSpinBox(this))
    , m_answerAnyway(new QRadioButton(tr("Ask the model anyway (it is told nothing was found)"), this))
    , m_replyWithText(new QRadioButton(tr("Reply with:"), this))
    , m_emptyResponse(new QLineEdit(this))
{
    m_name->setObjectName(u"assistantName"_s);
    m_systemPrompt->setObjectName(u"assistantSystemPrompt"_s);
    m_systemPrompt->setPlaceholderText(tr("How the assistant should behave, e.g. \"Answer briefly, in English.\""));
    m_systemPrompt->setTabChangesFocus(true);
    m_systemPrompt->setMinimumHeight(90);
    m_allBases->setObjectName(u"assistantAllBases"_s);
    m_bases->setObjectName(u"assistantBases"_s);
    m_bases->setMaximumHeight(110);
    for (const KnowledgeBase &base : std::as_const(m_knowledgeBases)) {
        auto *item = new QListWidgetItem(base.name, m_bases);
        item->setData(kIdRole, base.id);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(Qt::Unchecked);
    }
    if (m_knowledgeBases.isEmpty()) {
        auto *item = new QListWidgetItem(tr("No knowledge bases yet"), m_bases);
        item->setFlags(Qt::NoItemFlags);
    }

    m_provider->setObjectName(u"assistantProvider"_s);
    m_provider->addItem(tr("The default provider"), QString());
    for (const ProviderSettings &provider : providers)
        m_provider->addItem(provider.name, provider.id);
    m_model->setObjectName(u"assistantModel"_s);
    m_model->setPlaceholderText(tr("the provider's default model"));
    m_customTemperature->setObjectName(u"assistantCustomTemperature"_s);
    m_temperature->setObjectName(u"assistantTemperature"_s);
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);

    m_topN->setObjectName(u"assistantTopN"_s);
    m_topN->setRange(1, 50);
    m_topN->setToolTip(tr("How many passages go into the prompt at most"));
    m_threshold->setObjectName(u"assistantThreshold"_s);
    m_threshold->setRange(0.0, 1.0);
    m_threshold->setSingleStep(0.05);
    m_threshold->setDecimals(2);
    m_threshold->setToolTip(tr("Passages less similar than this are left out"));
    m_fusion->setObjectName(u"assistantFusion"_s);
    m_fusion->addItem(tr("Weighted sum"), int(FusionMethod::WeightedSum));
    m_fusion->addItem(tr("Reciprocal rank fusion"), int(FusionMethod::ReciprocalRank));
    m_keywordWeight->setObjectName(u"assistantKeywordWeight"_s);
    m_keywordWeight->setRange(0.0, 1.0);
    m_keywordWeight->setSingleStep(0.05);
    m_keywordWeight->setDecimals(2);
    m_keywordWeight->setToolTip(tr("1 is keywords only, 0 is meaning (vectors) only"));
    m_contextTokens->setObjectName(u"assistantContextTokens"_s);
    m_contextTokens->setRange(1024, 2'000'000);
    m_contextTokens->setSingleStep(1024);
    m_contextTokens->setSuffix(tr(" tokens"));
    m_contextTokens->setToolTip(tr("The model's context window: older turns are left out to fit it"));
    m_rerank->setObjectName(u"assistantRerank"_s);
    m_refine->setObjectName(u"assistantRefine"_s);
    m_citations->setObjectName(u"assistantCitations"_s);
    m_answerAnyway->setObjectName(u"assistantAnswerAnyway"_s);
    m_replyWithText->setObjectName(u"assistantReplyWithText"_s);
    m_emptyResponse->setObjectName(u"assistantEmptyResponse"_s);
    auto *emptyGroup = new QButtonGroup(this);
    emptyGroup->addButton(m_answerAnyway);
    emptyGroup->addButton(m_replyWithText);

    auto *general = new QFormLayout;
    general->addRow(tr("&Name:"), m_name);
    general->addRow(tr("&System prompt:"), m_systemPrompt);
    general->addRow(tr("Pro&vider:"), m_provider);
    general->addRow(tr("&Model:"), m_model);
    general->addRow(m_customTemperature, m_temperature);

    auto *documents = new QGroupBox(tr("Documents"), this);
    auto *documentsLayout = new QFormLayout(documents);
    documentsLayout->addRow(m_allBases);
    documentsLayout->addRow(m_bases);
    documentsLayout->addRow(tr("Passages (&top-n):"), m_topN);
    documentsLayout->addRow(tr("Similarity t&hreshold:"), m_threshold);
    documentsLayout->addRow(tr("&Fusion:"), m_fusion);
    documentsLayout->addRow(tr("&Keyword weight:"), m_keywordWeight);
    documentsLayout->addRow(m_rerank);
    documentsLayout->addRow(m_refine);
    documentsLayout->addRow(m_citations);
    documentsLayout->addRow(tr("Con&text window:"), m_contextTokens);

    auto *empty = new QGroupBox(tr("When nothing relevant is found"), this);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addWidget(m_answerAnyway);
    auto *replyRow = new QHBoxLayout;
    replyRow->addWidget(m_replyWithText);
    replyRow->addWidget(m_emptyResponse, 1);
    emptyLayout->addLayout(replyRow);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(general);
    layout->addWidget(documents);
    layout->addWidget(empty);
    layout->addStretch(1);

    connect(m_name, &QLineEdit::textChanged, this, &AssistantEditor::nameChanged);
    for (QAbstractButton *box : {static_cast<QAbstractButton *>(m_allBases), static_cast<QAbstractButton *>(m_customTemperature),
             static_cast<QAbstractButton *>(m_replyWithText), static_cast<QAbstractButton *>(m_answerAnyway)})
        connect(box, &QAbstractButton::toggled, this, &AssistantEditor::updateEnabled);
    connect(m_fusion, &QComboBox::currentIndexChanged, this, &AssistantEditor::updateEnabled);
    setAssistant(Assistant::makeDefault());
}

void AssistantEditor::setAssistant(const Assistant &assistant)
{
    m_base = assistant;
    m_name->setText(assistant.name);
    m_systemPrompt->setPlainText(assistant.systemPrompt);
    m_allBases->setChecked(assistant.allKnowledgeBases);
    for (int row = 0; row < m_bases->count(); ++row) {
        QListWidgetItem *item = m_bases->item(row);
        if (item->flags() & Qt::ItemIsUserCheckable) {
            const bool chosen = assistant.knowledgeBaseIds.contains(item->data(kIdRole).toLongLong());
            item->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
        }
    }
    // A provider that was removed since shows as the default rather than as an empty entry.
    const int provider = m_provider->findData(assistant.providerId);
    m_provider->setCurrentIndex(provider < 0 ? 0 : provider);
    m_model->setText(assistant.model);
    m_customTemperature->setChecked(assistant.temperature.has_value());
    m_temperature->setValue(assistant.temperature.value_or(0.7));
    m_topN->setValue(assistant.topN);
    m_threshold->setValue(assistant.similarityThreshold);
    m_fusion->setCurrentIndex(m_fusion->findData(int(assistant.fusion)));
    m_keywordWeight->setValue(assistant.keywordWeight);
    m_rerank->setChecked(assistant.rerank);
    m_refine->setChecked(assistant.refineQuestion);
    m_citations->setChecked(assistant.citations);
    m_contextTokens->setValue(assistant.contextTokens);
    m_answerAnyway->setChecked(assistant.onEmpty == EmptyRetrieval::AnswerAnyway);
    m_replyWithText->setChecked(assistant.onEmpty == EmptyRetrieval::ReplyWithText);
    m_emptyResponse->setText(assistant.emptyResponse);
    updateEnabled();
}

Assistant AssistantEditor::assistant() const
{
    Assistant result = m_base;
    result.name = m_name->text().trimmed();
    result.systemPrompt = m_systemPrompt->toPlainText();
    result.allKnowledgeBases = m_allBases->isChecked();
    result.knowledgeBaseIds.clear();
    for (int row = 0; row < m_bases->count(); ++row) {
        const QListWidgetItem *item = m_bases->item(row);
        if ((item->flags() & Qt::ItemIsUserCheckable) && item->checkState() == Qt::Checked)
            result.knowledgeBaseIds.append(item->data(kIdRole).toLongLong());
    }
    // Ids of knowledge bases this editor does not list (removed since) are dropped: they match nothing.
    result.providerId = m_provider->currentData().toString();
    result.model = m_model->text().trimmed();
    result.temperature = m_customTemperature->isChecked() ? std::optional<double>(m_temperature->value())
                                                          : std::nullopt;
    result.topN = m_topN->value();
    result.similarityThreshold = m_threshold->value();
    result.fusion = FusionMethod(m_fusion->currentData().toInt());
    result.keywordWeight = m_keywordWeight->value();
    result.rerank = m_rerank->isChecked();
    result.refineQuestion = m_refine->isChecked();
    result.citations = m_citations->isChecked();
    result.contextTokens = m_contextTokens->value();
    result.onEmpty = m_replyWithText->isChecked() ? EmptyRetrieval::ReplyWithText : EmptyRetrieval::AnswerAnyway;
    result.emptyResponse = m_emptyResponse->text();
    return result;
}

void AssistantEditor::updateEnabled()
{
    m_bases->setEnabled(!m_allBases->isChecked());
    m_temperature->setEnabled(m_customTemperature->isChecked());
    m_emptyResponse->setEnabled(m_replyWithText->isChecked());
    // Reciprocal-rank fusion has no weights: it adds 1/(k + rank) of each stage.
    m_keywordWeight->setEnabled(FusionMethod(m_fusion->currentData().toInt()) == FusionMethod::WeightedSum);
}

} // namespace ragdesk
