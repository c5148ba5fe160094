#pragma once

#include "core/chat/ConversationArchive.h"

#include <QCoroTask>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace ragdesk {

class ConversationStore;

/// The sidebar: stored conversations (pinned first, then by recent activity), a search over
/// their titles and message text (FTS5), and per conversation Open, Rename, Pin, Export and
/// Delete with Undo. Every query runs on the store's reader threads; reloads are coalesced so a
/// burst of finished turns costs one query, and typing is debounced so a search per keystroke
/// never queues up.
class ConversationListPanel : public QWidget
{
    Q_OBJECT
public:
    /// How long "Undo" stays offered after a delete; the conversation is purged at the next start.
    static constexpr std::chrono::seconds kUndoTime { 12 };
    static constexpr std::chrono::milliseconds kSearchDelay { 150 };

    /// @p store must outlive the panel.
    explicit ConversationListPanel(ConversationStore *store, QWidget *parent = nullptr);

    /// Reloads the list (or re-runs the search); while a load runs, one more is queued at most.
    void refresh();
    /// Highlights the conversation shown in the current tab (0: none).
    void setCurrentConversation(qint64 id);
    /// Shows "Deleted “title”" with Undo, which restores the conversation.
    void offerUndo(qint64 id, const QString &title);
    /// A line under the list for a while: what an export or import did, or why something failed.
    void showNotice(const QString &text, bool undoable = false);
    /// Focuses the search field (Ctrl+K).
    void focusSearch();
    void setPinned(qint64 id, bool pinned);
    /// Starts editing the title of @p id in place; the new title is stored when editing ends.
    void startRename(qint64 id);

    [[nodiscard]] QListWidget *list() const { return m_list; }
    [[nodiscard]] QLineEdit *searchField() const { return m_search; }
    [[nodiscard]] QPushButton *undoButton() const { return m_undo; }
    /// Conversations (or search hits) listed; section headers do not count.
    [[nodiscard]] int conversationCount() const;
    /// The title the list shows for @p id; empty when it is not listed.
    [[nodiscard]] QString titleOf(qint64 id) const;
    /// The id of the conversation at @p row of the list, 0 for a header.
    [[nodiscard]] qint64 idAt(int row) const;
    /// Loads finished so far, for tests.
    [[nodiscard]] int loadCount() const { return m_loads; }

Q_SIGNALS:
    void openRequested(qint64 id, const QString &title);
    void newChatRequested();
    /// The user deleted @p id (Del or the menu); the window closes its tab and deletes it.
    void deleteRequested(qint64 id, const QString &title);
    void exportRequested(qint64 id, ragdesk::ConversationArchive::Format format);
    /// A title was stored; open tabs should show it.
    void renamed(qint64 id, const QString &title);
    void loaded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QCoro::Task<> reload();
    QCoro::Task<> rename(qint64 id, QString title);
    QCoro::Task<> restore(qint64 id);
    QCoro::Task<> storePinned(qint64 id, bool pinned);
    void showContextMenu(const QPoint &pos);
    void selectCurrent();
    void onItemChanged(QListWidgetItem *item);
    QListWidgetItem *addHeader(const QString &text);
    [[nodiscard]] QListWidgetItem *itemFor(qint64 id) const;

    ConversationStore *m_store;
    QLineEdit *m_search;
    QListWidget *m_list;
    QLabel *m_emptyHint;
    QWidget *m_undoBar;
    QLabel *m_undoText;
    QPushButton *m_undo;
    QTimer m_undoTimer;
    QTimer m_searchDelay;
    qint64 m_undoId = 0;
    qint64 m_currentId = 0;
    bool m_loading = false;
    bool m_reloadQueued = false;
    bool m_filling = false; ///< items are being added: itemChanged is not a rename
    int m_loads = 0;
};

} // namespace ragdesk
