#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QList>
#include <QString>

namespace ragdesk {

/// Lists the readable-format files under a knowledge-base source (a file or a folder, recursively)
/// with their size and mtime. Blocking file-system work: call it on a worker thread.
class FolderScanner
{
public:
    /// Hidden files and folders (".git", ".cache", ...) are skipped, symlinked folders are not
    /// followed (they can loop), and files ragdesk cannot read are left out, so adding a home
    /// folder does not fill the queue with images and binaries.
    static Result<QList<FileSnapshot>> scan(const QString &path, const CancelToken &cancel = {});

    /// Whether @p path is a file a scan would list (a supported format, not hidden).
    static bool isIndexable(const QString &path);

    FolderScanner() = delete;
};

} // namespace ragdesk
