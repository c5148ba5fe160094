#pragma once

#include "core/ingest/ChunkDraft.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace ragdesk {

/// A knowledge base's definition, kept in profile.db (index.db is rebuildable from it).
struct KnowledgeBase {
    qint64 id = 0;
    QString name;
    ChunkingOptions chunking;
    QString language = QStringLiteral("en"); ///< ISO 639-1 code for stemming and segmentation
    QDateTime createdAt;
    /// The model whose vectors the chunks get (e.g. "nomic-embed-text"); empty: keyword search only.
    QString embeddingModel;
};

/// A file or folder the user added to a knowledge base. Folders are scanned recursively;
/// a watched folder is also followed while the app runs.
struct KnowledgeBaseSource {
    qint64 id = 0;
    qint64 knowledgeBaseId = 0;
    QString path; ///< absolute, cleaned
    bool isFolder = false;
    bool watched = false;
};

/// A file as a folder scan sees it: enough to tell "changed?" without reading it.
struct FileSnapshot {
    QString path;
    qint64 size = 0;
    QDateTime modifiedAt;

    friend bool operator==(const FileSnapshot &, const FileSnapshot &) = default;
};

/// Where a document is in the ingestion pipeline. Queued and Extracting rows are the persisted
/// queue: a restart turns Extracting back into Queued and carries on.
enum class DocumentStatus {
    Queued,
    Extracting,
    Indexed,
    Failed,  ///< error says why; not retried until the file changes
    Skipped, ///< error says why (duplicate content, cancelled, unsupported type)
};

QString documentStatusName(DocumentStatus status);
DocumentStatus documentStatusFromString(const QString &text);

/// One file of a knowledge base, in index.db.
struct DocumentRecord {
    qint64 id = 0;
    qint64 knowledgeBaseId = 0;
    QString path;
    QString title;
    QString mimeType;
    qint64 size = 0;
    QDateTime modifiedAt; ///< the file's mtime when it was queued
    QByteArray contentHash; ///< hex digest; empty until hashed
    DocumentStatus status = DocumentStatus::Queued;
    QString error;        ///< Failed/Skipped: the reason, for people
    int chunkCount = 0;
    int pageCount = 0;
    int attempts = 0;     ///< extraction starts; a file that keeps killing the app is given up on
    QDateTime addedAt;
    QDateTime indexedAt;
};

/// One stored chunk, as the chunk browser and retrieval see it.
struct ChunkRecord {
    qint64 id = 0;
    qint64 documentId = 0;
    ChunkDraft draft;
    bool enabled = true; ///< disabled chunks are removed from the keyword index and never retrieved
};

/// What index.db knows about one path, for comparing a folder rescan against it.
struct DocumentState {
    qint64 documentId = 0;
    FileSnapshot file;
    DocumentStatus status = DocumentStatus::Queued;
};

/// A document's extraction result, ready to be stored by DocumentStore::storeIndexed.
struct IndexedDocument {
    qint64 documentId = 0;
    QString title;
    QString mimeType;
    QByteArray contentHash;
    qint64 size = 0;
    QDateTime modifiedAt;
    int pageCount = 0;
    ChunkedDocument chunked;
    QString language; ///< the knowledge base's, for stemming in the keyword index
};

/// Counts for a progress bar: documents per status, bytes of all vs. finished documents
/// (indexed, failed and skipped count as done), stored chunks.
struct KnowledgeBaseProgress {
    int queued = 0;
    int extracting = 0;
    int indexed = 0;
    int failed = 0;
    int skipped = 0;
    qint64 bytesTotal = 0;
    qint64 bytesDone = 0;
    qint64 chunks = 0;
};

} // namespace ragdesk
