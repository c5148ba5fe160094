#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>
#include <QPointer>
#include <QStringList>

#include <memory>

namespace ragdesk {

class DocumentStore;
class IngestQueue;

/// Brings a knowledge base's index in line with one of its sources (a file or a folder):
/// new and changed files are queued, files gone from disk leave the index. This is the fast
/// start-up scan (mtime and size only; content hashes are compared later, in the queue) and
/// what a folder watcher runs after a change.
class SourceSync
{
public:
    struct Summary {
        int listed = 0;  ///< files of a readable format found under the source
        int queued = 0;  ///< new or changed since the last scan
        int removed = 0; ///< indexed before, gone from disk now

        Summary &operator+=(const Summary &other)
        {
            listed += other.listed;
            queued += other.queued;
            removed += other.removed;
            return *this;
        }
    };

    SourceSync(std::shared_ptr<DocumentStore> documents, IngestQueue *queue);

    /// A failed scan (folder missing or unreadable, e.g. an unplugged drive) removes nothing.
    QCoro::Task<Result<Summary>> sync(qint64 knowledgeBaseId, QString sourcePath, CancelToken cancel = {});

    /// Paths of @p known under @p sourcePath (the path itself or anything below it) missing from @p listed.
    static QStringList vanished(const QStringList &known, const QList<FileSnapshot> &listed, const QString &sourcePath);

private:
    std::shared_ptr<DocumentStore> m_documents;
    QPointer<IngestQueue> m_queue;
};

} // namespace ragdesk
