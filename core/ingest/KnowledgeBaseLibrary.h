#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/SourceSync.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

namespace ragdesk {

class DocumentStore;
class FolderWatch;
class IngestQueue;
class KnowledgeBaseStore;

/// The user's knowledge bases as the panel and the CLI use them: definitions (profile.db),
/// their files and folders, and the ingestion that keeps the index (index.db) in line with them.
/// Every operation is a coroutine on the UI thread; the work runs on the database and worker threads.
class KnowledgeBaseLibrary : public QObject
{
    Q_OBJECT
public:
    struct Parts {
        std::shared_ptr<KnowledgeBaseStore> knowledgeBases;
        std::shared_ptr<DocumentStore> documents;
        IngestQueue *queue = nullptr;
        bool watchFolders = true; ///< the GUI follows watched folders; the CLI runs once and exits
    };

    explicit KnowledgeBaseLibrary(Parts parts, QObject *parent = nullptr);
    ~KnowledgeBaseLibrary() override;

    /// Resumes the queue, rescans every source (mtime and size) and starts watching folders.
    /// Resolves after the queue has resumed; the rescans continue in the background.
    QCoro::Task<Result<void>> start(bool rescanSources = true);

    QCoro::Task<Result<QList<KnowledgeBase>>> list();
    /// Case-insensitive; an error names the knowledge bases that exist.
    QCoro::Task<Result<KnowledgeBase>> find(QString name);
    QCoro::Task<Result<KnowledgeBase>> create(QString name, ChunkingOptions chunking, QString language);
    QCoro::Task<Result<void>> rename(qint64 id, QString name);
    /// A new chunk size or overlap re-chunks every document of the knowledge base (queued again).
    QCoro::Task<Result<void>> updateSettings(qint64 id, ChunkingOptions chunking, QString language);
    /// Sets the model that embeds the chunks (empty: keyword search only). The chunks are then
    /// embedded in the background (EmbeddingBackfill listens to knowledgeBasesChanged); vectors
    /// of the old model stay stored, so switching back costs nothing.
    QCoro::Task<Result<void>> setEmbeddingModel(qint64 id, QString model);
    /// Cancels its ingestion, removes every document, chunk and FTS row, then the definition.
    QCoro::Task<Result<void>> remove(qint64 id);

    /// Adds files and folders (folders recursively; watched while the app runs if @p watchFolders)
    /// and queues what they contain. Paths that do not exist are reported, the others still added.
    QCoro::Task<Result<SourceSync::Summary>> addPaths(qint64 id, QStringList paths, bool watchFolders = true);
    /// Removes these sources, or single files below a source, and their documents from the index.
    QCoro::Task<Result<int>> removePaths(qint64 id, QStringList paths);
    /// Rescans every source of @p id now (new, changed and vanished files); the queue then runs.
    QCoro::Task<Result<SourceSync::Summary>> syncSources(qint64 id);
    /// Queues these documents again (a failed file after a fix, or to re-chunk).
    QCoro::Task<Result<void>> retry(QList<qint64> documentIds);
    QCoro::Task<Result<QList<KnowledgeBaseSource>>> sources(qint64 id);

    [[nodiscard]] IngestQueue *queue() const { return m_parts.queue; }
    [[nodiscard]] std::shared_ptr<DocumentStore> documents() const { return m_parts.documents; }
    [[nodiscard]] FolderWatch *folderWatch() const { return m_watch; }

Q_SIGNALS:
    /// Knowledge bases were created, renamed, changed or removed.
    void knowledgeBasesChanged();
    /// Documents of @p knowledgeBaseId were added or removed (status changes come from IngestQueue).
    void documentsChanged(qint64 knowledgeBaseId);
    /// Something failed in the background (a start-up rescan), for the status bar.
    void backgroundError(const QString &message);

private:
    QCoro::Task<> rescan(QList<KnowledgeBaseSource> sources);

    Parts m_parts;
    std::unique_ptr<SourceSync> m_sync;
    FolderWatch *m_watch = nullptr; ///< child; null when not watching
};

} // namespace ragdesk
