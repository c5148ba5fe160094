#pragma once

#include <QCoroTask>
#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;

namespace ragdesk {

class ConversationStore;

/// The sidebar list of stored conversations, newest first. Loads through the store's reader
/// threads; reloads are coalesced so a burst of finished turns costs one query.
class ConversationListPanel : public QWidget
{
    Q_OBJECT
public:
    /// @p store must outlive the panel.
    explicit ConversationListPanel(ConversationStore *store, QWidget *parent = nullptr);

    /// Reloads the list; while a load runs, one more is queued at most.
    void refresh();
    /// Highlights the conversation shown in the current tab (0: none).
    void setCurrentConversation(qint64 id);

    [[nodiscard]] QListWidget *list() const { return m_list; }
    [[nodiscard]] int conversationCount() const;
    /// Loads finished so far, for tests.
    [[nodiscard]] int loadCount() const { return m_loads; }

Q_SIGNALS:
    void openRequested(qint64 id, const QString &title);
    void newChatRequested();
    /// The user confirmed deleting @p id.
    void deleteRequested(qint64 id);
    void loaded();

private:
    QCoro::Task<> reload();
    void showContextMenu(const QPoint &pos);
    void confirmDelete(qint64 id, const QString &title);
    void selectCurrent();

    ConversationStore *m_store;
    QListWidget *m_list;
    QLabel *m_emptyHint;
    qint64 m_currentId = 0;
    bool m_loading = false;
    bool m_reloadQueued = false;
    int m_loads = 0;
};

} // namespace ragdesk
