#include "core/ingest/FileFingerprint.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace ragdesk {

Result<FileFingerprint> FileFingerprint::read(const QString &path, qint64 maxBytes, const CancelToken &cancel)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QFileInfo info(path);
    if (!info.exists())
        return fail(Error::Kind::File, u"%1 no longer exists. It was moved or deleted after it was queued."_s.arg(shown));
    if (info.size() > maxBytes) {
        const QLocale locale;
        return fail(Error::Kind::File, u"%1 is %2, more than the %3 ragdesk reads per file."_s.arg(
                                           shown, locale.formattedDataSize(info.size()), locale.formattedDataSize(maxBytes)));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::File, u"%1 cannot be read: %2. Check its permissions."_s.arg(shown, file.errorString()), path);

    QCryptographicHash hash(QCryptographicHash::Sha256);
    // 1 MiB reads keep the syscall count low without holding a large buffer per worker.
    constexpr qint64 pieceBytes = qint64(1) << 20;
    QByteArray piece(pieceBytes, Qt::Uninitialized);
    qint64 total = 0;
    while (true) {
        if (cancel.isCancelled())
            return fail(Error::Kind::Cancelled, u"Reading %1 was cancelled."_s.arg(shown));
        const qint64 got = file.read(piece.data(), pieceBytes);
        if (got < 0)
            return fail(Error::Kind::File, u"%1 cannot be read: %2."_s.arg(shown, file.errorString()), path);
        if (got == 0)
            break;
        total += got;
        // The file may grow between stat and read; the cap holds for what is actually read.
        if (total > maxBytes)
            return fail(Error::Kind::File, u"%1 grew past the size ragdesk reads per file while it was read."_s.arg(shown));
        hash.addData(QByteArrayView(piece.constData(), got));
    }
    return FileFingerprint{hash.result().toHex(), total, info.lastModified(QTimeZone::UTC)};
}

} // namespace ragdesk
