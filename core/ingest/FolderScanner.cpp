#include "core/ingest/FolderScanner.h"

#include "core/ingest/DocumentFormat.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
FileSnapshot snapshotOf(const QFileInfo &info)
{
    return FileSnapshot{info.absoluteFilePath(), info.size(), info.lastModified(QTimeZone::UTC)};
}
} // namespace

bool FolderScanner::isIndexable(const QString &path)
{
    return !QFileInfo(path).fileName().startsWith(u'.') && documentFormatForPath(path) != DocumentFormat::Unsupported;
}

Result<QList<FileSnapshot>> FolderScanner::scan(const QString &path, const CancelToken &cancel)
{
    const QFileInfo root(path);
    if (!root.exists())
        return fail(Error::Kind::File, u"%1 does not exist (any more). Check the path."_s.arg(QDir::toNativeSeparators(path)));
    if (root.isFile()) {
        // A file the user picked by hand is listed whatever its type: the queue then says
        // clearly that the type is unsupported instead of ignoring the user's choice.
        return QList<FileSnapshot>{snapshotOf(root)};
    }
    if (!root.isReadable() || !root.isExecutable()) {
        return fail(Error::Kind::File, u"The folder %1 cannot be read. Check its permissions."_s.arg(QDir::toNativeSeparators(path)));
    }

    QList<FileSnapshot> files;
    // No QDirIterator::FollowSymlinks: a link back to a parent would recurse forever.
    QDirIterator it(root.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    int seen = 0;
    while (it.hasNext()) {
        it.next();
        // Cancellation is polled every few hundred entries: a flag read per file costs little,
        // but a mutex per file adds up on folders with a million entries.
        if (++seen % 256 == 0 && cancel.isCancelled())
            return fail(Error::Kind::Cancelled, u"The folder scan was cancelled."_s);
        const QFileInfo info = it.fileInfo();
        // Checked on the path below the root, so files inside hidden folders (".git/...") are
        // skipped too, whatever QDirIterator's recursion does with hidden folders.
        const QString relative = QDir(root.absoluteFilePath()).relativeFilePath(info.absoluteFilePath());
        if (relative.startsWith(u'.') || relative.contains(u"/."_s))
            continue;
        if (documentFormatForPath(info.fileName()) == DocumentFormat::Unsupported)
            continue;
        files.append(snapshotOf(info));
    }
    return files;
}

} // namespace ragdesk
