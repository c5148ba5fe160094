#include "core/ingest/extractors/ZipReader.h"

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KZip>

#include <QDir>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

constexpr qint64 ReadPieceBytes = 64 * 1024;

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MB"_s;
}

/// Counts entries breadth-first and stops as soon as @p cap is passed, so a zip with a
/// million entries costs no more than cap + 1 visits here.
int countEntries(const KArchiveDirectory *root, int cap)
{
    int count = 0;
    QList<const KArchiveDirectory *> pending{root};
    while (!pending.isEmpty() && count <= cap) {
        const KArchiveDirectory *directory = pending.takeLast();
        const QStringList names = directory->entries();
        for (const QString &name : names) {
            if (++count > cap)
                break;
            const KArchiveEntry *entry = directory->entry(name);
            if (entry && entry->isDirectory())
                pending.append(static_cast<const KArchiveDirectory *>(entry));
        }
    }
    return count;
}

} // namespace

ZipReader::ZipReader(std::unique_ptr<KZip> zip, const ExtractionLimits &limits, QString path, QString formatName)
    : m_zip(std::move(zip))
    , m_limits(limits)
    , m_path(std::move(path))
    , m_formatName(std::move(formatName))
{
}

ZipReader::~ZipReader() = default;

Result<std::unique_ptr<ZipReader>> ZipReader::open(const QString &path, const ExtractionLimits &limits,
                                                   const QString &formatName)
{
    auto zip = std::make_unique<KZip>(path);
    if (!zip->open(QIODevice::ReadOnly)) {
        return fail(Error::Kind::Extraction,
                    u"%1 is not a valid %2: its zip container could not be opened (%3). The file may be "
                    "damaged or truncated; re-save it in its application."_s
                        .arg(QDir::toNativeSeparators(path), formatName, zip->errorString()),
                    zip->errorString());
    }
    const int entries = countEntries(zip->directory(), limits.maxArchiveEntries);
    if (entries > limits.maxArchiveEntries) {
        return fail(Error::Kind::Extraction,
                    u"%1 was not indexed: its archive holds more than %2 entries, the limit for one document. "
                    "It may be a zip bomb; if it is genuine, raise the archive-entry limit."_s
                        .arg(QDir::toNativeSeparators(path))
                        .arg(limits.maxArchiveEntries),
                    u"entries > %1"_s.arg(limits.maxArchiveEntries));
    }
    std::unique_ptr<ZipReader> reader(new ZipReader(std::move(zip), limits, path, formatName));
    reader->m_entryCount = entries;
    return reader;
}

bool ZipReader::contains(const QString &entryPath) const
{
    const KArchiveEntry *entry = m_zip->directory()->entry(entryPath);
    return entry && entry->isFile();
}

Result<QByteArray> ZipReader::read(const QString &entryPath)
{
    const KArchiveEntry *entry = m_zip->directory()->entry(entryPath);
    if (!entry || !entry->isFile()) {
        return fail(Error::Kind::Extraction,
                    u"%1 is not a valid %2: the part %3 is missing. The file may be damaged; re-save it in its "
                    "application."_s.arg(QDir::toNativeSeparators(m_path), m_formatName, entryPath),
                    u"missing zip entry %1"_s.arg(entryPath));
    }
    const std::unique_ptr<QIODevice> device(static_cast<const KArchiveFile *>(entry)->createDevice());
    if (!device || (!device->isOpen() && !device->open(QIODevice::ReadOnly))) {
        return fail(Error::Kind::Extraction,
                    u"%1 is not a valid %2: the part %3 could not be read."_s.arg(QDir::toNativeSeparators(m_path),
                                                                                  m_formatName, entryPath),
                    device ? device->errorString() : u"createDevice failed"_s);
    }
    QByteArray data;
    // Read in pieces and count what actually inflates: a declared size can lie in either direction.
    while (true) {
        const qint64 budget = m_limits.maxDecompressedBytes - m_bytesRead;
        const QByteArray piece = device->read(qMin(ReadPieceBytes, qMax<qint64>(budget, 0) + 1));
        if (piece.isEmpty())
            break;
        m_bytesRead += piece.size();
        if (m_bytesRead > m_limits.maxDecompressedBytes) {
            return fail(Error::Kind::Extraction,
                        u"%1 was not indexed: it unpacks to more than %2, the limit for one document. It may be a "
                        "zip bomb; if it is genuine, raise the decompressed-size limit."_s
                            .arg(QDir::toNativeSeparators(m_path), megabytes(m_limits.maxDecompressedBytes)),
                        u"decompressed > %1 bytes while reading %2"_s.arg(m_limits.maxDecompressedBytes).arg(entryPath));
        }
        data += piece;
    }
    return data;
}

} // namespace ragdesk
