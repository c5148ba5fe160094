#include "core/ingest/FolderWatch.h"

#include "core/foundation/Detach.h"
#include "core/ingest/FolderScanner.h"

#include <QCoroFuture>
#include <QDir>
#include <QDirIterator>
#include <QLoggingCategory>
#include <QPointer>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
Q_LOGGING_CATEGORY(lcFolderWatch, "ragdesk.ingest.watch")

/// The folders below @p folder (itself included) and up to @p maxFiles indexable files.
QStringList pathsToWatch(const QString &folder, int maxFiles)
{
    QStringList dirs{folder};
    QStringList files;
    QDirIterator it(folder, QDir::AllEntries | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (info.fileName().startsWith(u'.') || info.absoluteFilePath().contains(u"/."_s))
            continue;
        if (info.isDir() && !info.isSymLink())
            dirs.append(info.absoluteFilePath());
        else if (info.isFile() && files.size() < maxFiles && FolderScanner::isIndexable(info.fileName()))
            files.append(info.absoluteFilePath());
    }
    return dirs + files;
}
} // namespace

FolderWatch::FolderWatch(SourceSync *sync, std::chrono::milliseconds quietPeriod, QObject *parent)
    : QObject(parent)
    , m_sync(sync)
    , m_quietPeriod(quietPeriod)
{
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &FolderWatch::onPathChanged);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FolderWatch::onPathChanged);
}

QString FolderWatch::keyOf(qint64 knowledgeBaseId, const QString &folder)
{
    return QString::number(knowledgeBaseId) + u':' + QDir::cleanPath(folder);
}

void FolderWatch::watch(qint64 knowledgeBaseId, const QString &folder)
{
    const QString key = keyOf(knowledgeBaseId, folder);
    if (m_roots.contains(key))
        return;
    Root root;
    root.knowledgeBaseId = knowledgeBaseId;
    root.folder = QDir::cleanPath(folder);
    root.quiet = new QTimer(this);
    root.quiet->setSingleShot(true);
    root.quiet->setInterval(m_quietPeriod);
    connect(root.quiet, &QTimer::timeout, this, [this, key] { detach(resync(key), "folder resync"); });
    m_roots.insert(key, root);
    detach(refreshPaths(key), "folder watch paths");
}

void FolderWatch::unwatch(qint64 knowledgeBaseId, const QString &folder)
{
    const auto it = m_roots.find(keyOf(knowledgeBaseId, folder));
    if (it == m_roots.end())
        return;
    if (!it->paths.isEmpty())
        m_watcher.removePaths(it->paths);
    delete it->quiet;
    m_roots.erase(it);
}

void FolderWatch::unwatchKnowledgeBase(qint64 knowledgeBaseId)
{
    const QStringList folders = watchedFolders(knowledgeBaseId);
    for (const QString &folder : folders)
        unwatch(knowledgeBaseId, folder);
}

QStringList FolderWatch::watchedFolders(qint64 knowledgeBaseId) const
{
    QStringList folders;
    for (const Root &root : m_roots) {
        if (root.knowledgeBaseId == knowledgeBaseId)
            folders.append(root.folder);
    }
    return folders;
}

void FolderWatch::onPathChanged(const QString &path)
{
    const QString cleaned = QDir::cleanPath(path);
    for (Root &root : m_roots) {
        if (cleaned == root.folder || cleaned.startsWith(root.folder + u'/'))
            root.quiet->start(); // restarting it is what coalesces a burst into one rescan
    }
}

QCoro::Task<> FolderWatch::refreshPaths(QString key)
{
    QPointer self(this);
    const QString folder = m_roots.value(key).folder;
    // Walking the tree is blocking I/O; only registering the result happens here.
    QStringList paths = co_await QtConcurrent::run([folder] { return pathsToWatch(folder, maxWatchedFilesPerFolder); });
    if (!self)
        co_return;
    const auto it = m_roots.find(key);
    if (it == m_roots.end())
        co_return;
    const QSet<QString> wanted(paths.cbegin(), paths.cend());
    const QSet<QString> had(it->paths.cbegin(), it->paths.cend());
    const QStringList stale = (had - wanted).values();
    // The watcher drops deleted paths by itself; re-adding the rest is a no-op for known ones.
    if (!stale.isEmpty())
        m_watcher.removePaths(stale);
    const QStringList registered = m_watcher.directories() + m_watcher.files();
    const QStringList added = (wanted - QSet<QString>(registered.cbegin(), registered.cend())).values();
    if (!added.isEmpty()) {
        const QStringList failed = m_watcher.addPaths(added);
        if (!failed.isEmpty())
            qCInfo(lcFolderWatch) << failed.size() << "paths under" << folder
                                  << "cannot be watched (inotify limit?); the start-up scan still covers them";
    }
    it->paths = paths;
}

QCoro::Task<> FolderWatch::resync(QString key)
{
    QPointer self(this);
    auto it = m_roots.find(key);
    if (it == m_roots.end())
        co_return;
    // One rescan at a time per folder; changes during it trigger exactly one more.
    if (it->syncing) {
        it->dirty = true;
        co_return;
    }
    it->syncing = true;
    const qint64 knowledgeBaseId = it->knowledgeBaseId;
    const QString folder = it->folder;
    bool again = true;
    while (again) {
        auto summary = co_await m_sync->sync(knowledgeBaseId, folder);
        if (!self)
            co_return;
        if (summary)
            Q_EMIT synced(knowledgeBaseId, folder, *summary);
        else
            Q_EMIT syncFailed(knowledgeBaseId, folder, summary.error().message);
        co_await refreshPaths(key);
        if (!self)
            co_return;
        it = m_roots.find(key);
        if (it == m_roots.end())
            co_return;
        again = std::exchange(it->dirty, false);
    }
    it->syncing = false;
}

} // namespace ragdesk
