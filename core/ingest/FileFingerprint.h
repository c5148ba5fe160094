#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace ragdesk {

/// A file's content hash, size and mtime, read in one pass. Blocking I/O: call it on a worker thread.
struct FileFingerprint {
    QByteArray contentHash; ///< hex SHA-256 of the bytes
    qint64 size = 0;
    QDateTime modifiedAt;

    /// Fails with a clear reason for a missing or unreadable file, or one above @p maxBytes.
    static Result<FileFingerprint> read(const QString &path, qint64 maxBytes, const CancelToken &cancel = {});
};

} // namespace ragdesk
