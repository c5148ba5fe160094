#pragma once

#include "core/chat/ConversationArchive.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QWidget;

namespace ragdesk {

class ConversationListPanel;

/// The File menu's and the sidebar's Export and Import: a non-blocking file dialog, then the
/// archive's work off the UI thread, then a notice under the conversation list saying what
/// happened (or why not). The *To variants are what the dialogs call, and what tests drive.
class ConversationFileActions : public QObject
{
    Q_OBJECT
public:
    /// Dialogs are children of @p window; notices go to @p list. Both must outlive this object.
    ConversationFileActions(std::shared_ptr<ConversationStore> store, QWidget *window, ConversationListPanel *list);

    /// @p title suggests the file name.
    void exportConversation(qint64 id, ConversationArchive::Format format, const QString &title);
    void exportAll();
    void importConversations();

    QCoro::Task<Result<void>> exportConversationTo(qint64 id, ConversationArchive::Format format, QString path);
    QCoro::Task<Result<int>> exportAllTo(QString path);
    QCoro::Task<Result<int>> importFrom(QString path);

private:
    /// A non-blocking file dialog; @p chosen gets the path when the user accepts.
    void askForFile(bool save, const QString &caption, const QString &suggestedName, const QString &filter,
        std::function<void(QString)> chosen);

    ConversationArchive m_archive;
    QPointer<QWidget> m_window;
    QPointer<ConversationListPanel> m_list;
};

} // namespace ragdesk
