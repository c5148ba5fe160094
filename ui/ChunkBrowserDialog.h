#pragma once

#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QDialog>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace ragdesk {

class ChunkStore;

/// The chunks of one document: a list (ordinal, page, heading path, first line, tokens, enabled)
/// and the selected chunk's text, which can be edited and saved. A non-modal window; every
/// store call is awaited, and failures are shown inline.
class ChunkBrowserDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { Ordinal, Page, Heading, FirstLine, Tokens, ColumnCount };

    ChunkBrowserDialog(std::shared_ptr<ChunkStore> chunks, DocumentRecord document, QWidget *parent = nullptr);

    [[nodiscard]] qint64 documentId() const { return m_document.id; }
    [[nodiscard]] QTreeWidget *chunkList() const { return m_list; }
    [[nodiscard]] QPlainTextEdit *textView() const { return m_text; }
    [[nodiscard]] QString errorText() const;
    [[nodiscard]] bool isEditing() const { return m_editing; }

    /// Switches the text view of the selected chunk to editing.
    void startEditing();
    /// Saves the edited text (Ctrl+S) with a fresh token estimate.
    void save();
    /// Discards the edit.
    void cancelEditing();

Q_SIGNALS:
    /// The chunks finished loading (or failed to); for tests and the status line.
    void loaded();
    /// A store write finished; @p ok is false when it failed (the message is shown inline).
    void saved(bool ok);

private:
    QCoro::Task<> load();
    QCoro::Task<> writeEnabled(qint64 chunkId, bool enabled);
    QCoro::Task<> writeText(qint64 chunkId, QString text);
    void fillItem(QTreeWidgetItem *item, const ChunkRecord &chunk);
    void showSelected();
    void showError(const QString &message);
    [[nodiscard]] int selectedIndex() const;

    std::shared_ptr<ChunkStore> m_store;
    DocumentRecord m_document;
    QList<ChunkRecord> m_chunks;
    QTreeWidget *m_list;
    QPlainTextEdit *m_text;
    QLabel *m_summary;
    QLabel *m_error;
    QPushButton *m_edit;
    QPushButton *m_save;
    QPushButton *m_cancel;
    bool m_editing = false;
    bool m_filling = false; ///< itemChanged from our own updates is not a user toggle
};

} // namespace ragdesk
