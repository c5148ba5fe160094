#include "core/storage/DocumentStore.h"

#include "core/storage/IndexDatabase.h"
#include "core/storage/IndexedDocumentWriter.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/SqlTransaction.h"

#include <QCoroFuture>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString saveFailed()
{
    return u"Could not update the document list"_s;
}

QString loadFailed()
{
    return u"Could not load the document list"_s;
}

const QString documentColumns = u"id, knowledge_base_id, path, title, mime, size, mtime, hash, status, error,"
                                " chunk_count, page_count, attempts, added_at, indexed_at"_s;

DocumentRecord readDocument(const SqlStatement &row)
{
    DocumentRecord document;
    document.id = row.value(0).toLongLong();
    document.knowledgeBaseId = row.value(1).toLongLong();
    document.path = row.value(2).toString();
    document.title = row.value(3).toString();
    document.mimeType = row.value(4).toString();
    document.size = row.value(5).toLongLong();
    document.modifiedAt = SqlStatement::fromMs(row.value(6));
    document.contentHash = row.value(7).toString().toLatin1();
    document.status = documentStatusFromString(row.value(8).toString());
    document.error = row.value(9).toString();
    document.chunkCount = row.value(10).toInt();
    document.pageCount = row.value(11).toInt();
    document.attempts = row.value(12).toInt();
    document.addedAt = SqlStatement::fromMs(row.value(13));
    document.indexedAt = SqlStatement::fromMs(row.value(14));
    return document;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString name(DocumentStatus status)
{
    return documentStatusName(status);
}
} // namespace

DocumentStore::DocumentStore(std::shared_ptr<IndexDatabase> database)
    : m_database(std::move(database))
{
}

// Each call copies m_database into its frame before the first await, so the frame keeps the
// database alive on its own and never touches this store again.

QCoro::Task<Result<int>> DocumentStore::change(QString sql, QVariantList values, QString what)
{
    const auto database = m_database;
    co_return co_await database->writer().run(
        [sql = std::move(sql), values = std::move(values), what = std::move(what)](QSqlDatabase &db) -> Result<int> {
            SqlStatement statement(db, what);
            if (auto done = statement.exec(sql, values); !done)
                return std::unexpected(done.error());
            return statement.rowsAffected();
        });
}

QCoro::Task<Result<int>> DocumentStore::enqueue(qint64 knowledgeBaseId, QList<FileSnapshot> files)
{
    const auto database = m_database;
    co_return co_await database->writer().run([knowledgeBaseId, files = std::move(files)](QSqlDatabase &db) -> Result<int> {
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        // The upsert's WHERE makes an unchanged file a no-op, so changes() counts exactly the
        // rows inserted or sent back to the queue.
        SqlStatement upsert(db, saveFailed());
        if (auto prepared = upsert.prepare(
                u"INSERT INTO documents (knowledge_base_id, path, size, mtime, status, added_at, updated_at)"
                " VALUES (?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (knowledge_base_id, path) DO UPDATE SET"
                " size = excluded.size, mtime = excluded.mtime, status = 'queued', error = NULL, attempts = 0,"
                " updated_at = excluded.updated_at"
                " WHERE size IS NOT excluded.size OR mtime IS NOT excluded.mtime"_s);
            !prepared)
            return std::unexpected(prepared.error());
        const qint64 now = nowMs();
        int queued = 0;
        for (const FileSnapshot &file : files) {
            if (auto done = upsert.run({knowledgeBaseId, file.path, file.size, SqlStatement::toMs(file.modifiedAt), now,
                                        now});
                !done)
                return std::unexpected(done.error());
            queued += upsert.rowsAffected();
        }
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        return queued;
    });
}

QCoro::Task<Result<int>> DocumentStore::requeue(QList<qint64> documentIds)
{
    // The hash is forgotten so the queue reads the file again even if its bytes are unchanged:
    // a retry or a re-chunk after new settings must not be answered with "unchanged".
    return change(u"UPDATE documents SET status = 'queued', error = NULL, attempts = 0, hash = NULL, updated_at = ?"
                  " WHERE id IN (SELECT value FROM json_each(?)) AND status NOT IN ('queued', 'extracting')"_s,
                  {nowMs(), SqlStatement::jsonIds(documentIds)}, saveFailed());
}

QCoro::Task<Result<QList<DocumentRecord>>> DocumentStore::claimNext(int limit)
{
    const auto database = m_database;
    // One statement on the single writer: no two callers can claim the same row.
    auto claimed = co_await database->writer().run([limit](QSqlDatabase &db) -> Result<QList<DocumentRecord>> {
        SqlStatement claim(db, u"Could not take the next files from the queue"_s);
        return claim.selectAll<DocumentRecord>(
            u"UPDATE documents SET status = 'extracting', attempts = attempts + 1, updated_at = ?"
            " WHERE id IN (SELECT id FROM documents WHERE status = 'queued' ORDER BY id LIMIT ?)"
            " RETURNING %1"_s.arg(documentColumns),
            {nowMs(), limit}, readDocument);
    });
    // RETURNING promises no order.
    if (claimed)
        std::ranges::sort(*claimed, {}, &DocumentRecord::id);
    co_return claimed;
}

QCoro::Task<Result<int>> DocumentStore::recoverInterrupted(int maxAttempts)
{
    const auto database = m_database;
    co_return co_await database->writer().run([maxAttempts](QSqlDatabase &db) -> Result<int> {
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        const qint64 now = nowMs();
        // A file that was being read each time ragdesk went down is the likely cause; retrying it
        // on every start would take ragdesk down on every start.
        SqlStatement giveUp(db, saveFailed());
        if (auto done = giveUp.exec(
                u"UPDATE documents SET status = 'failed', error = replace(?, '%1', attempts), updated_at = ?"
                " WHERE status = 'extracting' AND attempts >= ?"_s,
                {u"ragdesk stopped %1 times while reading this file; it is skipped until it changes."_s, now,
                 maxAttempts});
            !done)
            return std::unexpected(done.error());
        SqlStatement requeue(db, saveFailed());
        if (auto done = requeue.exec(u"UPDATE documents SET status = 'queued', updated_at = ? WHERE status = 'extracting'"_s,
                                     {now});
            !done)
            return std::unexpected(done.error());
        const int requeued = requeue.rowsAffected();
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        return requeued;
    });
}

QCoro::Task<Result<QList<qint64>>> DocumentStore::storeIndexed(QList<IndexedDocument> documents)
{
    const auto database = m_database;
    co_return co_await database->writer().run([documents = std::move(documents)](QSqlDatabase &db) {
        return IndexedDocumentWriter(db).write(documents);
    });
}

QCoro::Task<Result<void>> DocumentStore::setStatus(qint64 documentId, DocumentStatus status, QString reason)
{
    auto changed = co_await change(u"UPDATE documents SET status = ?, error = ?, updated_at = ? WHERE id = ?"_s,
                                   {name(status), SqlStatement::textOrNull(reason), nowMs(), documentId},
                                   saveFailed());
    if (!changed)
        co_return std::unexpected(changed.error());
    co_return {};
}

QCoro::Task<Result<void>> DocumentStore::markFailed(qint64 documentId, QString reason)
{
    return setStatus(documentId, DocumentStatus::Failed, std::move(reason));
}

QCoro::Task<Result<void>> DocumentStore::markSkipped(qint64 documentId, QString reason)
{
    return setStatus(documentId, DocumentStatus::Skipped, std::move(reason));
}

QCoro::Task<Result<void>> DocumentStore::markUnchanged(qint64 documentId, qint64 size, QDateTime modifiedAt)
{
    auto changed = co_await change(u"UPDATE documents SET status = 'indexed', error = NULL, size = ?, mtime = ?,"
                                   " updated_at = ? WHERE id = ?"_s,
                                   {size, SqlStatement::toMs(modifiedAt), nowMs(), documentId}, saveFailed());
    if (!changed)
        co_return std::unexpected(changed.error());
    co_return {};
}

QCoro::Task<Result<int>> DocumentStore::cancel(QList<qint64> documentIds)
{
    return change(u"UPDATE documents SET status = 'skipped', error = 'Cancelled', updated_at = ?"
                  " WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('queued', 'extracting')"_s,
                  {nowMs(), SqlStatement::jsonIds(documentIds)}, saveFailed());
}

QCoro::Task<Result<int>> DocumentStore::cancelKnowledgeBase(qint64 knowledgeBaseId)
{
    return change(u"UPDATE documents SET status = 'skipped', error = 'Cancelled', updated_at = ?"
                  " WHERE knowledge_base_id = ? AND status IN ('queued', 'extracting')"_s,
                  {nowMs(), knowledgeBaseId}, saveFailed());
}

QCoro::Task<Result<std::optional<DocumentRecord>>> DocumentStore::findIndexedByHash(qint64 knowledgeBaseId,
                                                                                    QByteArray contentHash)
{
    const auto database = m_database;
    co_return co_await database->readers().run(
        [knowledgeBaseId, hash = QString::fromLatin1(contentHash)](QSqlDatabase &db)
            -> Result<std::optional<DocumentRecord>> {
            SqlStatement select(db, loadFailed());
            auto rows = select.selectAll<DocumentRecord>(
                u"SELECT %1 FROM documents WHERE knowledge_base_id = ? AND hash = ? AND status = 'indexed'"
                " ORDER BY id LIMIT 1"_s.arg(documentColumns),
                {knowledgeBaseId, hash}, readDocument);
            if (!rows)
                return std::unexpected(rows.error());
            return rows->isEmpty() ? std::nullopt : std::optional(rows->first());
        });
}

QCoro::Task<Result<QList<DocumentRecord>>> DocumentStore::documents(qint64 knowledgeBaseId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([knowledgeBaseId](QSqlDatabase &db) -> Result<QList<DocumentRecord>> {
        SqlStatement select(db, loadFailed());
        return select.selectAll<DocumentRecord>(
            u"SELECT %1 FROM documents WHERE knowledge_base_id = ? ORDER BY id"_s.arg(documentColumns),
            {knowledgeBaseId}, readDocument);
    });
}

QCoro::Task<Result<std::optional<DocumentRecord>>> DocumentStore::document(qint64 documentId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([documentId](QSqlDatabase &db) -> Result<std::optional<DocumentRecord>> {
        SqlStatement select(db, loadFailed());
        auto rows = select.selectAll<DocumentRecord>(u"SELECT %1 FROM documents WHERE id = ?"_s.arg(documentColumns),
                                                     {documentId}, readDocument);
        if (!rows)
            return std::unexpected(rows.error());
        return rows->isEmpty() ? std::nullopt : std::optional(rows->first());
    });
}

QCoro::Task<Result<QHash<QString, DocumentState>>> DocumentStore::snapshot(qint64 knowledgeBaseId)
{
    const auto database = m_database;
    co_return co_await database->readers().run(
        [knowledgeBaseId](QSqlDatabase &db) -> Result<QHash<QString, DocumentState>> {
            SqlStatement select(db, loadFailed());
            auto rows = select.selectAll<DocumentState>(
                u"SELECT id, path, size, mtime, status FROM documents WHERE knowledge_base_id = ?"_s,
                {knowledgeBaseId}, [](const SqlStatement &row) {
                    return DocumentState{row.value(0).toLongLong(),
                                         FileSnapshot{row.value(1).toString(), row.value(2).toLongLong(),
                                                      SqlStatement::fromMs(row.value(3))},
                                         documentStatusFromString(row.value(4).toString())};
                });
            if (!rows)
                return std::unexpected(rows.error());
            QHash<QString, DocumentState> byPath;
            byPath.reserve(rows->size());
            for (const DocumentState &state : std::as_const(*rows))
                byPath.insert(state.file.path, state);
            return byPath;
        });
}

// Deleting a document row cascades to document_text and chunks, and each chunk's delete trigger
// removes its keyword-index entry, so these three statements leave no trace behind. The cost is
// the removed documents' chunk count: every step goes through an index keyed by document.

QCoro::Task<Result<int>> DocumentStore::removeDocuments(QList<qint64> documentIds)
{
    return change(u"DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?))"_s,
                  {SqlStatement::jsonIds(documentIds)},
                  u"Could not remove the documents"_s);
}

QCoro::Task<Result<int>> DocumentStore::removeByPaths(qint64 knowledgeBaseId, QStringList paths)
{
    return change(u"DELETE FROM documents WHERE knowledge_base_id = ? AND path IN (SELECT value FROM json_each(?))"_s,
                  {knowledgeBaseId, SqlStatement::jsonStrings(paths)}, u"Could not remove the documents"_s);
}

QCoro::Task<Result<int>> DocumentStore::removeKnowledgeBase(qint64 knowledgeBaseId)
{
    return change(u"DELETE FROM documents WHERE knowledge_base_id = ?"_s, {knowledgeBaseId},
                  u"Could not remove the knowledge base's documents"_s);
}

QCoro::Task<Result<int>> DocumentStore::setLanguage(qint64 knowledgeBaseId, QString language)
{
    // The update trigger moves each chunk's tokens from the old stems to the new ones.
    return change(u"UPDATE chunks SET language = ? WHERE language <> ?"
                  " AND document_id IN (SELECT id FROM documents WHERE knowledge_base_id = ?)"_s,
                  {SqlStatement::notNull(language), SqlStatement::notNull(language), knowledgeBaseId},
                  u"Could not change the knowledge base's language"_s);
}

QCoro::Task<Result<KnowledgeBaseProgress>> DocumentStore::progress(qint64 knowledgeBaseId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([knowledgeBaseId](QSqlDatabase &db) -> Result<KnowledgeBaseProgress> {
        SqlStatement select(db, u"Could not read the indexing progress"_s);
        if (auto done = select.exec(u"SELECT status, count(*), total(size), total(chunk_count) FROM documents"
                                    " WHERE ? = 0 OR knowledge_base_id = ? GROUP BY status"_s,
                                    {knowledgeBaseId, knowledgeBaseId});
            !done)
            return std::unexpected(done.error());
        KnowledgeBaseProgress progress;
        while (select.next()) {
            const auto status = documentStatusFromString(select.value(0).toString());
            const int count = select.value(1).toInt();
            const auto bytes = qint64(select.value(2).toDouble());
            progress.bytesTotal += bytes;
            progress.chunks += qint64(select.value(3).toDouble());
            switch (status) {
            case DocumentStatus::Queued:
                progress.queued += count;
                continue; // not done: no bytesDone
            case DocumentStatus::Extracting:
                progress.extracting += count;
                continue;
            case DocumentStatus::Indexed:
                progress.indexed += count;
                break;
            case DocumentStatus::Failed:
                progress.failed += count;
                break;
            case DocumentStatus::Skipped:
                progress.skipped += count;
                break;
            }
            progress.bytesDone += bytes;
        }
        return progress;
    });
}

QCoro::Task<Result<void>> DocumentStore::checkIntegrity()
{
    const auto database = m_database;
    // On the writer: FTS5's check is spelled as an INSERT, which a read-only connection refuses.
    co_return co_await database->writer().run([](QSqlDatabase &db) -> Result<void> {
        SqlStatement check(db, u"The index database failed its integrity check"_s);
        if (auto done = check.exec(u"PRAGMA integrity_check"_s); !done)
            return done;
        QStringList problems;
        while (check.next()) {
            if (const QString line = check.value(0).toString(); line != u"ok"_s)
                problems.append(line);
        }
        if (!problems.isEmpty()) {
            return fail(Error::Kind::Database,
                        u"index.db is damaged (%1). Rebuild the index from the knowledge base settings."_s.arg(
                            problems.first()),
                        problems.join(u'\n'));
        }
        // rank 1 also compares the index with its content, the enabled chunks.
        SqlStatement fts(db, u"The keyword index failed its integrity check; rebuild the index"_s);
        return fts.exec(u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)"_s);
    });
}

} // namespace ragdesk
