#pragma once

#include "core/chat/RetrievalRecord.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QTabWidget;

namespace ragdesk {

class RetrievalInspector;

/// What one answer was built from: the query searched (and the question it was refined from),
/// the timings, every passage found with its scores and whether it made the prompt, and the
/// exact prompt text sent. Non-modal; reads the record stored with the message.
class AnswerInspectorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AnswerInspectorDialog(const RetrievalRecord &record, QWidget *parent = nullptr);

    [[nodiscard]] RetrievalInspector *inspector() const { return m_inspector; }
    [[nodiscard]] QPlainTextEdit *promptView() const { return m_prompt; }
    [[nodiscard]] QString summary() const;

private:
    QLabel *m_summary;
    QTabWidget *m_tabs;
    RetrievalInspector *m_inspector;
    QPlainTextEdit *m_prompt;
};

} // namespace ragdesk
