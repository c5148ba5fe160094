#include "ui/AnswerInspectorDialog.h"

#include "ui/RetrievalInspector.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QString summaryText(const RetrievalRecord &record)
{
    QStringList lines;
    const QString searched = record.refinement.query.toHtmlEscaped();
    if (record.refinement.refined && record.refinement.query != record.question) {
        lines.append(AnswerInspectorDialog::tr("Searched <b>%1</b>, rewritten from the question “%2”.")
                         .arg(searched, record.question.toHtmlEscaped()));
    } else {
        lines.append(AnswerInspectorDialog::tr("Searched <b>%1</b>.").arg(searched));
    }
    if (!record.refinement.note.isEmpty())
        lines.append(record.refinement.note.toHtmlEscaped());
    const int found = int(record.result.hits.size());
    if (record.repliedWithoutModel) {
        lines.append(AnswerInspectorDialog::tr("Nothing relevant was found, so the assistant replied with its "
                                               "“nothing found” text without asking the model."));
    } else {
        QString prompt = AnswerInspectorDialog::tr("%1 of %2 passages went into the prompt").arg(record.prompt.sourcesIncluded).arg(found);
        if (record.prompt.sourcesDropped > 0)
            prompt += AnswerInspectorDialog::tr(" (%1 left out to fit the context window)").arg(record.prompt.sourcesDropped);
        if (record.prompt.historyTurnsDropped > 0)
            prompt += AnswerInspectorDialog::tr("; %1 older turns left out").arg(record.prompt.historyTurnsDropped);
        if (record.prompt.budgetTokens > 0)
            prompt += AnswerInspectorDialog::tr("; about %1 of %2 tokens").arg(record.prompt.estimatedTokens).arg(record.prompt.budgetTokens);
        lines.append(prompt + u'.');
    }
    QStringList timings;
    if (record.refinement.ms >= 0)
        timings.append(AnswerInspectorDialog::tr("rewriting %1 ms").arg(record.refinement.ms, 0, 'f', 0));
    if (record.retrievalMs >= 0)
        timings.append(AnswerInspectorDialog::tr("search %1 ms").arg(record.retrievalMs, 0, 'f', 1));
    if (record.promptMs >= 0)
        timings.append(AnswerInspectorDialog::tr("prompt %1 ms").arg(record.promptMs, 0, 'f', 1));
    if (!timings.isEmpty())
        lines.append(timings.join(u" · "_s));
    return lines.join(u"<br>"_s);
}

} // namespace

AnswerInspectorDialog::AnswerInspectorDialog(const RetrievalRecord &record, QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_inspector(new RetrievalInspector(this))
    , m_prompt(new QPlainTextEdit(this))
{
    setObjectName(u"answerInspector"_s);
    setWindowTitle(tr("How this answer was made"));
    m_summary->setObjectName(u"answerInspectorSummary"_s);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(summaryText(record));

    m_inspector->setResult(record.result);
    m_prompt->setObjectName(u"answerInspectorPrompt"_s);
    m_prompt->setReadOnly(true);
    m_prompt->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_prompt->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_prompt->setPlainText(record.prompt.promptText.isEmpty() ? tr("(no prompt was sent)") : record.prompt.promptText);
    m_tabs->addTab(m_inspector, tr("&Passages"));
    m_tabs->addTab(m_prompt, tr("Prompt &text"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    resize(860, 600);
}

QString AnswerInspectorDialog::summary() const
{
    return m_summary->text();
}

} // namespace ragdesk
