#include "core/ingest/SourceSync.h"

#include "core/ingest/FolderScanner.h"
#include "core/ingest/IngestQueue.h"
#include "core/storage/DocumentStore.h"

#include <QCoroFuture>
#include <QDir>
#include <QSet>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace ragdesk {

SourceSync::SourceSync(std::shared_ptr<DocumentStore> documents, IngestQueue *queue)
    : m_documents(std::move(documents))
    , m_queue(queue)
{
}

QStringList SourceSync::vanished(const QStringList &known, const QList<FileSnapshot> &listed, const QString &sourcePath)
{
    const QString root = QDir::cleanPath(sourcePath);
    const QString prefix = root.endsWith(u'/') ? root : root + u'/';
    QSet<QString> present;
    present.reserve(listed.size());
    for (const FileSnapshot &file : listed)
        present.insert(file.path);
    QStringList gone;
    for (const QString &path : known) {
        if ((path == root || path.startsWith(prefix)) && !present.contains(path))
            gone.append(path);
    }
    return gone;
}

QCoro::Task<Result<SourceSync::Summary>> SourceSync::sync(qint64 knowledgeBaseId, QString sourcePath, CancelToken cancel)
{
    // Copies, not members, after the first co_await: the frame must not depend on this object
    // outliving a slow scan.
    std::shared_ptr<DocumentStore> documents = m_documents;
    QPointer<IngestQueue> queue = m_queue;
    // Listing a large tree is blocking file-system work: CPU pool.
    auto listed = co_await QtConcurrent::run([sourcePath, cancel] { return FolderScanner::scan(sourcePath, cancel); });
    if (!listed)
        co_return std::unexpected(listed.error());

    Summary summary;
    summary.listed = int(listed->size());
    auto queued = co_await documents->enqueue(knowledgeBaseId, *listed);
    if (!queued)
        co_return std::unexpected(queued.error());
    summary.queued = *queued;

    auto known = co_await documents->snapshot(knowledgeBaseId);
    if (!known)
        co_return std::unexpected(known.error());
    const QStringList gone = vanished(known->keys(), *listed, sourcePath);
    if (!gone.isEmpty()) {
        auto removed = co_await documents->removeByPaths(knowledgeBaseId, gone);
        if (!removed)
            co_return std::unexpected(removed.error());
        summary.removed = int(gone.size());
    }
    if (summary.queued > 0 && queue)
        queue->wake();
    co_return summary;
}

} // namespace ragdesk
