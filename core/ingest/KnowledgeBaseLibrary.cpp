#include "core/ingest/KnowledgeBaseLibrary.h"

#include "core/foundation/Detach.h"
#include "core/ingest/FolderWatch.h"
#include "core/ingest/IngestQueue.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/KnowledgeBaseStore.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// What a call resolves to when the library died while it waited (the app is closing).
std::unexpected<Error> closed()
{
    return fail(Error::Kind::Cancelled, u"The knowledge bases were closed."_s);
}
} // namespace

KnowledgeBaseLibrary::KnowledgeBaseLibrary(Parts parts, QObject *parent)
    : QObject(parent)
    , m_parts(std::move(parts))
    , m_sync(std::make_unique<SourceSync>(m_parts.documents, m_parts.queue))
{
    if (m_parts.watchFolders) {
        m_watch = new FolderWatch(m_sync.get(), std::chrono::milliseconds(400), this);
        connect(m_watch, &FolderWatch::synced, this, [this](qint64 knowledgeBaseId, const QString &, const SourceSync::Summary &summary) {
            if (summary.queued > 0 || summary.removed > 0)
                Q_EMIT documentsChanged(knowledgeBaseId);
        });
        connect(m_watch, &FolderWatch::syncFailed, this, [this](qint64, const QString &, const QString &reason) {
            Q_EMIT backgroundError(reason);
        });
    }
}

// The watcher's resyncs point at m_sync, so it goes first.
KnowledgeBaseLibrary::~KnowledgeBaseLibrary()
{
    delete m_watch;
}

QCoro::Task<Result<void>> KnowledgeBaseLibrary::start(bool rescanSources)
{
    QPointer self(this);
    auto knowledgeBases = co_await m_parts.knowledgeBases->list();
    if (!self)
        co_return closed();
    if (!knowledgeBases)
        co_return std::unexpected(knowledgeBases.error());
    for (const KnowledgeBase &knowledgeBase : std::as_const(*knowledgeBases)) {
        m_parts.queue->setChunking(knowledgeBase.id, knowledgeBase.chunking, knowledgeBase.language);
        // Chunks indexed before languages were stored (or while a change was interrupted) are
        // re-stemmed; a no-op once they agree.
        auto restemmed = co_await m_parts.documents->setLanguage(knowledgeBase.id, knowledgeBase.language);
        if (!self)
            co_return closed();
        if (!restemmed)
            co_return std::unexpected(restemmed.error());
    }

    auto resumed = co_await m_parts.queue->start();
    if (!self)
        co_return closed();
    if (!resumed)
        co_return std::unexpected(resumed.error());

    if (rescanSources) {
        QList<KnowledgeBaseSource> all;
        for (const KnowledgeBase &knowledgeBase : std::as_const(*knowledgeBases)) {
            auto sources = co_await m_parts.knowledgeBases->sources(knowledgeBase.id);
            if (!self)
                co_return closed();
            if (sources)
                all.append(*sources);
        }
        detach(rescan(std::move(all)), "start-up rescan");
    }
    co_return {};
}

QCoro::Task<> KnowledgeBaseLibrary::rescan(QList<KnowledgeBaseSource> sources)
{
    QPointer self(this);
    for (const KnowledgeBaseSource &source : std::as_const(sources)) {
        auto summary = co_await m_sync->sync(source.knowledgeBaseId, source.path);
        if (!self)
            co_return;
        if (!summary) {
            Q_EMIT backgroundError(summary.error().message);
        } else if (summary->queued > 0 || summary->removed > 0) {
            Q_EMIT documentsChanged(source.knowledgeBaseId);
        }
        // Watched even when the scan failed: an unplugged drive that comes back is picked up.
        if (source.isFolder && source.watched && m_watch)
            m_watch->watch(source.knowledgeBaseId, source.path);
    }
}

QCoro::Task<Result<QList<KnowledgeBase>>> KnowledgeBaseLibrary::list()
{
    co_return co_await m_parts.knowledgeBases->list();
}

QCoro::Task<Result<KnowledgeBase>> KnowledgeBaseLibrary::find(QString name)
{
    auto all = co_await m_parts.knowledgeBases->list();
    if (!all)
        co_return std::unexpected(all.error());
    QStringList names;
    for (const KnowledgeBase &knowledgeBase : std::as_const(*all)) {
        if (knowledgeBase.name.compare(name, Qt::CaseInsensitive) == 0)
            co_return knowledgeBase;
        names.append(knowledgeBase.name);
    }
    co_return fail(Error::Kind::Configuration,
                   names.isEmpty() ? u"There is no knowledge base named \"%1\"; none exists yet. Create one first."_s.arg(name)
                                   : u"There is no knowledge base named \"%1\". Existing ones: %2."_s.arg(name, names.join(u", "_s)));
}

QCoro::Task<Result<KnowledgeBase>> KnowledgeBaseLibrary::create(QString name, ChunkingOptions chunking, QString language)
{
    QPointer self(this);
    auto created = co_await m_parts.knowledgeBases->create(name.trimmed(), chunking, language);
    if (self && created) {
        m_parts.queue->setChunking(created->id, created->chunking, created->language);
        Q_EMIT knowledgeBasesChanged();
    }
    co_return created;
}

QCoro::Task<Result<void>> KnowledgeBaseLibrary::rename(qint64 id, QString name)
{
    QPointer self(this);
    auto renamed = co_await m_parts.knowledgeBases->rename(id, name.trimmed());
    if (self && renamed)
        Q_EMIT knowledgeBasesChanged();
    co_return renamed;
}

QCoro::Task<Result<void>> KnowledgeBaseLibrary::updateSettings(qint64 id, ChunkingOptions chunking, QString language)
{
    QPointer self(this);
    auto all = co_await m_parts.knowledgeBases->list();
    if (!self)
        co_return closed();
    if (!all)
        co_return std::unexpected(all.error());
    const auto before = std::ranges::find(*all, id, &KnowledgeBase::id);
    const bool rechunk = before != all->end()
        && (before->chunking.targetTokens != chunking.targetTokens || before->chunking.overlapTokens != chunking.overlapTokens);

    auto updated = co_await m_parts.knowledgeBases->updateSettings(id, chunking, language);
    if (!self)
        co_return closed();
    if (!updated)
        co_return updated;
    m_parts.queue->setChunking(id, chunking, language);
    if (before != all->end() && before->language != language) {
        auto restemmed = co_await m_parts.documents->setLanguage(id, language);
        if (!self)
            co_return closed();
        if (!restemmed)
            co_return std::unexpected(restemmed.error());
    }
    Q_EMIT knowledgeBasesChanged();
    if (!rechunk)
        co_return {};

    // Chunks of the old size would mix with new ones in retrieval, so every document is read again.
    auto documents = co_await m_parts.documents->documents(id);
    if (!self)
        co_return closed();
    if (!documents)
        co_return std::unexpected(documents.error());
    QList<qint64> ids;
    for (const DocumentRecord &document : std::as_const(*documents)) {
        if (document.status == DocumentStatus::Indexed)
            ids.append(document.id);
    }
    if (ids.isEmpty())
        co_return {};
    co_return co_await retry(ids);
}

QCoro::Task<Result<void>> KnowledgeBaseLibrary::setEmbeddingModel(qint64 id, QString model)
{
    QPointer self(this);
    auto updated = co_await m_parts.knowledgeBases->setEmbeddingModel(id, std::move(model));
    if (!self)
        co_return closed();
    if (updated)
        Q_EMIT knowledgeBasesChanged();
    co_return updated;
}

QCoro::Task<Result<void>> KnowledgeBaseLibrary::remove(qint64 id)
{
    QPointer self(this);
    // Stop the work first, so no batch writes chunks for documents that are being deleted.
    if (auto cancelled = co_await m_parts.queue->cancelKnowledgeBase(id); !cancelled)
        co_return std::unexpected(cancelled.error());
    if (!self)
        co_return closed();
    if (m_watch)
        m_watch->unwatchKnowledgeBase(id);
    // The index goes before the definition: a crash in between leaves a knowledge base without
    // documents, which the user can delete again, never documents without a knowledge base.
    if (auto removed = co_await m_parts.documents->removeKnowledgeBase(id); !removed)
        co_return std::unexpected(removed.error());
    auto removed = co_await m_parts.knowledgeBases->remove(id);
    if (self && removed)
        Q_EMIT knowledgeBasesChanged();
    co_return removed;
}

QCoro::Task<Result<SourceSync::Summary>> KnowledgeBaseLibrary::addPaths(qint64 id, QStringList paths, bool watchFolders)
{
    QPointer self(this);
    QList<QFileInfo> sources;
    for (const QString &path : std::as_const(paths)) {
        const QFileInfo info(path);
        if (!info.exists()) {
            co_return fail(Error::Kind::File, u"%1 does not exist. Check the path; nothing was added."_s.arg(QDir::toNativeSeparators(path)));
        }
        sources.append(info);
    }

    SourceSync::Summary total;
    for (const QFileInfo &info : std::as_const(sources)) {
        const QString path = QDir::cleanPath(info.absoluteFilePath());
        const bool isFolder = info.isDir();
        const bool watched = isFolder && watchFolders;
        auto added = co_await m_parts.knowledgeBases->addSource(id, path, isFolder, watched);
        if (!self)
            co_return closed();
        if (!added)
            co_return std::unexpected(added.error());
        auto summary = co_await m_sync->sync(id, path);
        if (!self)
            co_return closed();
        if (!summary)
            co_return std::unexpected(summary.error());
        total += *summary;
        if (watched && m_watch)
            m_watch->watch(id, path);
    }
    Q_EMIT documentsChanged(id);
    co_return total;
}

QCoro::Task<Result<int>> KnowledgeBaseLibrary::removePaths(qint64 id, QStringList paths)
{
    QPointer self(this);
    auto known = co_await m_parts.documents->snapshot(id);
    if (!self)
        co_return closed();
    if (!known)
        co_return std::unexpected(known.error());
    QStringList doomed;
    for (const QString &path : std::as_const(paths)) {
        const QString cleaned = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        if (auto removed = co_await m_parts.knowledgeBases->removeSource(id, cleaned); !removed)
            co_return std::unexpected(removed.error());
        if (!self)
            co_return closed();
        if (m_watch)
            m_watch->unwatch(id, cleaned);
        // Everything at or below the path; an empty listing makes every known file "vanished".
        doomed.append(SourceSync::vanished(known->keys(), {}, cleaned));
    }
    doomed.removeDuplicates();
    if (!doomed.isEmpty()) {
        if (auto removed = co_await m_parts.documents->removeByPaths(id, doomed); !removed)
            co_return std::unexpected(removed.error());
    }
    if (self)
        Q_EMIT documentsChanged(id);
    co_return int(doomed.size());
}

QCoro::Task<Result<SourceSync::Summary>> KnowledgeBaseLibrary::syncSources(qint64 id)
{
    QPointer self(this);
    auto sources = co_await m_parts.knowledgeBases->sources(id);
    if (!self)
        co_return closed();
    if (!sources)
        co_return std::unexpected(sources.error());
    SourceSync::Summary total;
    for (const KnowledgeBaseSource &source : std::as_const(*sources)) {
        auto summary = co_await m_sync->sync(id, source.path);
        if (!self)
            co_return closed();
        if (!summary)
            co_return std::unexpected(summary.error());
        total += *summary;
    }
    if (total.queued > 0 || total.removed > 0)
        Q_EMIT documentsChanged(id);
    co_return total;
}

QCoro::Task<Result<void>> KnowledgeBaseLibrary::retry(QList<qint64> documentIds)
{
    QPointer self(this);
    auto requeued = co_await m_parts.documents->requeue(documentIds);
    if (!requeued)
        co_return std::unexpected(requeued.error());
    if (self)
        m_parts.queue->wake();
    co_return {};
}

QCoro::Task<Result<QList<KnowledgeBaseSource>>> KnowledgeBaseLibrary::sources(qint64 id)
{
    co_return co_await m_parts.knowledgeBases->sources(id);
}

} // namespace ragdesk
