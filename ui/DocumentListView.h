#pragma once

#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace ragdesk {

class ChunkBrowserDialog;
class ChunkStore;
class DocumentActions;
class DocumentTableModel;
class IngestProgressBanner;
class KnowledgeBaseLibrary;
struct IngestProgress;

/// The selected knowledge base's side of the panel: its progress, Add Files/Add Folder/Cancel,
/// and its documents. Status changes are collected and applied at most every 250 ms, in place.
class DocumentListView : public QWidget
{
    Q_OBJECT
public:
    DocumentListView(KnowledgeBaseLibrary *library, std::shared_ptr<ChunkStore> chunks, QWidget *parent = nullptr);

    /// Shows @p knowledgeBase (id 0: nothing) and loads its documents in the background.
    void setKnowledgeBase(const KnowledgeBase &knowledgeBase);
    [[nodiscard]] qint64 knowledgeBaseId() const { return m_knowledgeBase.id; }

    /// Adds files or folders to the shown knowledge base.
    void addPaths(const QStringList &paths);
    /// Test seam: the next Add Files…/Add Folder… takes these paths instead of showing a dialog.
    void setNextPaths(const QStringList &paths) { m_nextPaths = paths; }

    void showChunks();
    [[nodiscard]] DocumentActions *actions() const { return m_actions; }
    /// Add Files (Ctrl+O) and Add Folder (Ctrl+Shift+O), for the panel to own so their keys
    /// work wherever the focus is inside it.
    [[nodiscard]] QList<QAction *> fileActions() const { return m_addActions; }

    [[nodiscard]] DocumentTableModel *model() const { return m_model; }
    [[nodiscard]] QTableView *table() const { return m_table; }
    [[nodiscard]] IngestProgressBanner *banner() const { return m_banner; }
    /// Puts @p line (e.g. the vector status) right under the progress banner; takes ownership.
    void addStatusLine(QWidget *line);
    [[nodiscard]] QString detailsText() const;
    [[nodiscard]] ChunkBrowserDialog *chunkBrowser() const;
    /// Documents of the selected rows.
    [[nodiscard]] QList<DocumentRecord> selectedDocuments() const;

Q_SIGNALS:
    /// A user-facing message for the status bar (a failed action).
    void message(const QString &text);
    /// A document list load or refresh landed in the model.
    void documentsRefreshed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void chooseFiles(bool folder);
    void scheduleRefresh(qint64 documentId);
    void onProgress(qint64 knowledgeBaseId, const IngestProgress &progress);
    void updateBanner();
    void updateDetails();
    void updateActions();
    QCoro::Task<> reload(qint64 knowledgeBaseId, int generation);
    QCoro::Task<> refreshChanged(qint64 knowledgeBaseId, QList<qint64> documentIds, int generation);
    QCoro::Task<> runAdd(qint64 knowledgeBaseId, QStringList paths);

    KnowledgeBaseLibrary *m_library;
    std::shared_ptr<ChunkStore> m_chunks;
    KnowledgeBase m_knowledgeBase;
    DocumentTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_title;
    IngestProgressBanner *m_banner;
    QPushButton *m_addFiles;
    QPushButton *m_addFolder;
    QPushButton *m_cancel;
    QComboBox *m_filter;
    QTableView *m_table;
    QLabel *m_details;
    DocumentActions *m_actions;
    QList<QAction *> m_addActions;
    QPointer<ChunkBrowserDialog> m_chunkBrowser;
    QStringList m_nextPaths;
    /// Changed documents collected between refreshes; a full reload replaces them.
    QSet<qint64> m_changed;
    bool m_reloadAll = false;
    bool m_refreshing = false;
    QTimer m_refreshTimer;
    /// Bumped on every knowledge base switch, so a late answer for the previous one is dropped.
    int m_generation = 0;
};

} // namespace ragdesk
