#pragma once

#include "core/storage/Assistant.h"
#include "core/llm/ChatTypes.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QLabel;
class QListWidget;
#include <QMessageBox>
class QPushButton;

namespace ragdesk {

class AssistantEditor;

/// Create, edit, duplicate and delete assistants. Edits a copy of the list; the caller stores
/// the result (assistants(), removedIds()) when the dialog is accepted. The first assistant of
/// the list is the one new chats start with ("Use for new chats" moves one to the top).
class AssistantsDialog : public QDialog
{
    Q_OBJECT
public:
    AssistantsDialog(QList<Assistant> assistants, QList<KnowledgeBase> knowledgeBases,
        QList<ProviderSettings> providers, QWidget *parent = nullptr);

    /// In list order, with the editor's pending changes; new ones have id 0.
    [[nodiscard]] QList<Assistant> assistants() const;
    /// Stored assistants the user deleted.
    [[nodiscard]] QList<qint64> removedIds() const { return m_removed; }

    void select(qint64 id);
    void addAssistant();
    void duplicateCurrent();
    /// Asks (window-modal, open() not exec()) and deletes the selected assistant on Yes.
    void removeCurrent();
    void makeCurrentDefault();

    [[nodiscard]] AssistantEditor *editor() const { return m_editor; }
    [[nodiscard]] QListWidget *list() const { return m_list; }
    /// The open "Delete?" question, for tests; null when none is open.
    [[nodiscard]] QMessageBox *confirmation() const { return m_confirmation.data(); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void storeEditor();
    void showRow(int row);
    void refreshRow(int row);
    void insertAssistant(Assistant assistant);
    /// Names must be unique and not empty; says which is wrong and disables OK meanwhile.
    void validate();

    QList<Assistant> m_assistants;
    QList<qint64> m_removed;
    int m_shownRow = -1;
    QListWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_duplicate;
    QPushButton *m_remove;
    QPushButton *m_makeDefault;
    AssistantEditor *m_editor;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QPointer<QMessageBox> m_confirmation;
};

} // namespace ragdesk
