#pragma once

#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QObject>

#include <functional>

class QAction;
class QWidget;

namespace ragdesk {

class KnowledgeBaseLibrary;

/// What a user can do with selected documents (Show Chunks, Retry, Cancel, Remove, Open File,
/// Show in Folder): the actions with their keys for the table and its context menu, and the
/// awaited library calls behind them.
class DocumentActions : public QObject
{
    Q_OBJECT
public:
    using Selection = std::function<QList<DocumentRecord>()>;

    /// The actions are added to @p view, their shortcuts live while it has focus.
    DocumentActions(KnowledgeBaseLibrary *library, QWidget *view, Selection selection, QObject *parent = nullptr);

    void setKnowledgeBaseId(qint64 id) { m_knowledgeBaseId = id; }
    /// Enables what applies to the current selection.
    void update(bool canShowChunks);
    /// A context menu at @p globalPosition (popup(), no nested event loop).
    void showMenu(const QPoint &globalPosition);

    void retry();
    void cancel();
    void cancelAll();
    void remove();
    void open(bool folder);

Q_SIGNALS:
    void showChunksRequested();
    /// Documents may have changed status (0: reload the whole list).
    void changed(qint64 documentId);
    void message(const QString &text);

private:
    QCoro::Task<> runRetry(QList<qint64> documentIds);
    QCoro::Task<> runCancel(QList<qint64> documentIds, qint64 knowledgeBaseId);
    QCoro::Task<> runRemove(qint64 knowledgeBaseId, QStringList paths);

    KnowledgeBaseLibrary *m_library;
    QWidget *m_view;
    Selection m_selection;
    qint64 m_knowledgeBaseId = 0;
    QAction *m_showChunks;
    QAction *m_retry;
    QAction *m_cancel;
    QAction *m_remove;
    QAction *m_open;
    QAction *m_showInFolder;
};

} // namespace ragdesk
