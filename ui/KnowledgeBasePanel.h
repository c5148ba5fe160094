#pragma once

#include "core/storage/KnowledgeBaseTypes.h"
#include "ui/KnowledgeBaseDialog.h"

#include <QCoroTask>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <memory>

class QListWidget;
class QMessageBox;
class QPushButton;
class QStackedWidget;

namespace ragdesk {

class ChunkStore;
class DocumentListView;
class EmbeddingBackfill;
class KnowledgeBaseLibrary;
class VectorStatusLine;
struct IngestProgress;

/// The Knowledge Bases tab: the list of knowledge bases with their file counts on the left,
/// the selected one's progress and documents on the right, an explanation when there is none.
/// Files and folders dropped anywhere on it are added to the selected knowledge base.
class KnowledgeBasePanel : public QWidget
{
    Q_OBJECT
public:
    /// @p library, @p chunks and @p embeddings outlive the panel (main() shuts ingestion down
    /// after the window). @p embeddings may be null: no vectors in this session.
    KnowledgeBasePanel(KnowledgeBaseLibrary *library, std::shared_ptr<ChunkStore> chunks,
                       EmbeddingBackfill *embeddings = nullptr, QWidget *parent = nullptr);

    /// Reloads the list of knowledge bases (and their file counts) in the background.
    void refresh();
    /// Opens the New Knowledge Base dialog; once created, @p addAfter is added to it.
    void createKnowledgeBase(const QString &suggestedName = {}, const QStringList &addAfter = {});
    /// Opens the settings dialog (name, chunking, language, embedding model) of the selected one.
    void editKnowledgeBase();
    /// Asks (window-modal, non-blocking), then deletes the selected knowledge base.
    void deleteKnowledgeBase();
    /// Adds dropped or chosen paths to the selected knowledge base, or offers to create one.
    void addPaths(const QStringList &paths);
    void selectKnowledgeBase(qint64 id);

    [[nodiscard]] qint64 currentKnowledgeBaseId() const;
    [[nodiscard]] QList<KnowledgeBase> knowledgeBases() const { return m_knowledgeBases; }
    [[nodiscard]] DocumentListView *documentView() const { return m_documents; }
    [[nodiscard]] VectorStatusLine *vectorStatus() const { return m_vectors; }
    [[nodiscard]] QListWidget *knowledgeBaseList() const { return m_list; }
    [[nodiscard]] KnowledgeBaseDialog *dialog() const;
    [[nodiscard]] QMessageBox *confirmation() const;
    [[nodiscard]] bool showsEmptyState() const;

Q_SIGNALS:
    /// A message for the status bar.
    void message(const QString &text);
    /// The list of knowledge bases was (re)loaded.
    void knowledgeBasesLoaded();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *createEmptyState();
    QWidget *createListSide();
    void showSelected();
    void updateItemText(qint64 id);
    void onProgress(qint64 knowledgeBaseId, const IngestProgress &progress);
    [[nodiscard]] KnowledgeBase current() const;
    QCoro::Task<> load();
    QCoro::Task<> loadCounts(QList<qint64> ids);
    /// Saving @p values re-embeds every chunk: asks first (window-modal, non-blocking), then saves.
    void confirmModelChange(const KnowledgeBase &original, const KnowledgeBaseDialog::Values &values);
    QCoro::Task<> save(KnowledgeBase original, KnowledgeBaseDialog::Values values, QStringList addAfter);
    QCoro::Task<> remove(qint64 id);

    KnowledgeBaseLibrary *m_library;
    QList<KnowledgeBase> m_knowledgeBases;
    QHash<qint64, int> m_fileCounts;
    QHash<qint64, qint64> m_chunkCounts; ///< decides whether a model change needs confirming
    QStackedWidget *m_stack;
    QListWidget *m_list;
    DocumentListView *m_documents;
    VectorStatusLine *m_vectors;
    QPushButton *m_rename;
    QPushButton *m_settings;
    QPushButton *m_delete;
    QPointer<KnowledgeBaseDialog> m_dialog;
    QPointer<QMessageBox> m_confirmation;
    /// Selected after the next load (a knowledge base just created).
    qint64 m_pendingSelection = 0;
    bool m_loading = false;
    bool m_loadAgain = false;
    /// File counts to re-read, coalesced like the document list's updates.
    QSet<qint64> m_staleCounts;
    QTimer m_countTimer;
};

} // namespace ragdesk
