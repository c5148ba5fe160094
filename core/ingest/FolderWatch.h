#pragma once

#include "core/ingest/SourceSync.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace ragdesk {

/// Follows watched folders while the app runs. Any change below one (a file created, deleted,
/// renamed or written) is answered, after a short quiet period, by a SourceSync of that folder,
/// so a burst of changes (a `git pull`, an unzip) costs one rescan.
class FolderWatch : public QObject
{
    Q_OBJECT
public:
    /// inotify watches are a per-user kernel budget shared with every other program;
    /// files beyond this many per folder are still caught by the start-up scan.
    static constexpr int maxWatchedFilesPerFolder = 4000;

    explicit FolderWatch(SourceSync *sync, std::chrono::milliseconds quietPeriod = std::chrono::milliseconds(400),
                         QObject *parent = nullptr);

    void watch(qint64 knowledgeBaseId, const QString &folder);
    void unwatch(qint64 knowledgeBaseId, const QString &folder);
    void unwatchKnowledgeBase(qint64 knowledgeBaseId);
    [[nodiscard]] QStringList watchedFolders(qint64 knowledgeBaseId) const;

Q_SIGNALS:
    /// A watched folder was rescanned after a change.
    void synced(qint64 knowledgeBaseId, const QString &folder, const SourceSync::Summary &summary);
    void syncFailed(qint64 knowledgeBaseId, const QString &folder, const QString &reason);

private:
    struct Root {
        qint64 knowledgeBaseId = 0;
        QString folder;
        QStringList paths; ///< what is registered with the watcher for this folder
        QTimer *quiet = nullptr;
        bool syncing = false;
        bool dirty = false;
    };

    void onPathChanged(const QString &path);
    QCoro::Task<> refreshPaths(QString key);
    QCoro::Task<> resync(QString key);
    static QString keyOf(qint64 knowledgeBaseId, const QString &folder);

    SourceSync *m_sync;
    std::chrono::milliseconds m_quietPeriod;
    QFileSystemWatcher m_watcher;
    QHash<QString, Root> m_roots;
};

} // namespace ragdesk
