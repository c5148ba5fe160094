#pragma once

#include "core/foundation/Error.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QHash>

#include <memory>
#include <optional>

namespace ragdesk {

class IndexDatabase;

/// The documents of every knowledge base in index.db, and the persisted ingestion queue they
/// form (status queued → extracting → indexed/failed/skipped). Writes run on the writer thread,
/// reads on the reader pool; every call is awaited by the caller. Removing a document removes
/// every trace of it: row, extracted text, chunks and keyword-index entries.
class DocumentStore
{
public:
    explicit DocumentStore(std::shared_ptr<IndexDatabase> database);

    /// In one transaction: new paths are inserted `queued`; known paths whose size or mtime differ
    /// go back to `queued` (error cleared, attempts 0; the old chunks stay searchable until the
    /// re-index replaces them); unchanged paths are left alone, whatever their status.
    /// Returns how many rows were queued.
    QCoro::Task<Result<int>> enqueue(qint64 knowledgeBaseId, QList<FileSnapshot> files);
    /// An explicit retry or re-chunk: puts the documents back to `queued` (attempts 0, content hash
    /// forgotten so they are read again) whatever their mtime.
    /// Rows already queued or extracting are left alone. Returns how many were queued.
    QCoro::Task<Result<int>> requeue(QList<qint64> documentIds);
    /// Atomically moves up to @p limit of the oldest queued documents (id order) to `extracting`,
    /// counts the attempt, and returns them in id order.
    QCoro::Task<Result<QList<DocumentRecord>>> claimNext(int limit);
    /// At start: `extracting` rows left by a previous run go back to `queued`, except those that
    /// already had @p maxAttempts attempts, which become `failed` (the file probably brings ragdesk
    /// down). Returns how many were requeued.
    QCoro::Task<Result<int>> recoverInterrupted(int maxAttempts = 3);

    /// One transaction for the batch. Per document: old chunks out, new chunks and text in, status
    /// `indexed` (unless it went back to `queued` meanwhile, see IndexedDocumentWriter). Ids no
    /// longer present are skipped; returns the ids stored.
    QCoro::Task<Result<QList<qint64>>> storeIndexed(QList<IndexedDocument> documents);
    /// Missing ids are not an error: the document was removed while it was being read.
    QCoro::Task<Result<void>> markFailed(qint64 documentId, QString reason);
    QCoro::Task<Result<void>> markSkipped(qint64 documentId, QString reason);
    /// Content hash unchanged: back to `indexed` with the new size and mtime, chunks untouched.
    QCoro::Task<Result<void>> markUnchanged(qint64 documentId, qint64 size, QDateTime modifiedAt);
    /// Queued or extracting documents become `skipped` with the reason "Cancelled"; returns how many.
    QCoro::Task<Result<int>> cancel(QList<qint64> documentIds);
    QCoro::Task<Result<int>> cancelKnowledgeBase(qint64 knowledgeBaseId);

    /// An indexed document of the knowledge base with this content hash, if any.
    QCoro::Task<Result<std::optional<DocumentRecord>>> findIndexedByHash(qint64 knowledgeBaseId,
                                                                         QByteArray contentHash);
    /// In id order.
    QCoro::Task<Result<QList<DocumentRecord>>> documents(qint64 knowledgeBaseId);
    QCoro::Task<Result<std::optional<DocumentRecord>>> document(qint64 documentId);
    /// Every known path of the knowledge base, for comparing a folder rescan against.
    QCoro::Task<Result<QHash<QString, DocumentState>>> snapshot(qint64 knowledgeBaseId);

    /// Each returns how many documents were removed.
    QCoro::Task<Result<int>> removeDocuments(QList<qint64> documentIds);
    QCoro::Task<Result<int>> removeByPaths(qint64 knowledgeBaseId, QStringList paths);
    QCoro::Task<Result<int>> removeKnowledgeBase(qint64 knowledgeBaseId);
    /// Re-stems the keyword index of @p knowledgeBaseId's chunks in @p language. Touches only
    /// chunks in another language, so it is cheap when nothing changed. Returns chunks changed.
    QCoro::Task<Result<int>> setLanguage(qint64 knowledgeBaseId, QString language);

    /// @p knowledgeBaseId 0 sums over all knowledge bases.
    QCoro::Task<Result<KnowledgeBaseProgress>> progress(qint64 knowledgeBaseId);
    /// SQLite's integrity_check and FTS5's integrity-check (index against the enabled chunks).
    QCoro::Task<Result<void>> checkIntegrity();

private:
    QCoro::Task<Result<void>> setStatus(qint64 documentId, DocumentStatus status, QString reason);
    /// Runs @p sql with @p values on the writer and returns the number of changed rows.
    QCoro::Task<Result<int>> change(QString sql, QVariantList values, QString what);

    std::shared_ptr<IndexDatabase> m_database;
};

} // namespace ragdesk
