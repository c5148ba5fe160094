#pragma once

#include "core/storage/Assistant.h"
#include "core/llm/ChatTypes.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QRadioButton;
class QSpinBox;

namespace ragdesk {

/// The form for one assistant: name, system prompt, knowledge bases, provider and model,
/// temperature, retrieval settings, the empty-retrieval behaviour and citations.
/// It edits a copy; the dialog reads it back with assistant().
class AssistantEditor : public QWidget
{
    Q_OBJECT
public:
    AssistantEditor(QList<KnowledgeBase> knowledgeBases, QList<ProviderSettings> providers,
        QWidget *parent = nullptr);

    void setAssistant(const Assistant &assistant);
    /// The fields as an assistant; the id is the one setAssistant() was given.
    [[nodiscard]] Assistant assistant() const;

Q_SIGNALS:
    /// The name changed, so the list entry should follow.
    void nameChanged(const QString &name);

private:
    void updateEnabled();

    Assistant m_base;
    QList<KnowledgeBase> m_knowledgeBases;
    QLineEdit *m_name;
    QPlainTextEdit *m_systemPrompt;
    QCheckBox *m_allBases;
    QListWidget *m_bases;
    QComboBox *m_provider;
    QLineEdit *m_model;
    QCheckBox *m_customTemperature;
    QDoubleSpinBox *m_temperature;
    QSpinBox *m_topN;
    QDoubleSpinBox *m_threshold;
    QComboBox *m_fusion;
    QDoubleSpinBox *m_keywordWeight;
    QCheckBox *m_rerank;
    QCheckBox *m_refine;
    QCheckBox *m_citations;
    QSpinBox *m_contextTokens;
    QRadioButton *m_answerAnyway;
    QRadioButton *m_replyWithText;
    QLineEdit *m_emptyResponse;
};

} // namespace ragdesk
