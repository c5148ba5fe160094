#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractionLimits.h"

#include <QByteArray>
#include <QString>

#include <memory>

class KZip;

namespace ragdesk {

/// Reads entries of an untrusted zip (DOCX, ODT, EPUB) under the archive caps: at most
/// maxArchiveEntries entries, and at most maxDecompressedBytes inflated over all reads.
/// Entries are read through bounded pieces; declared sizes are never trusted.
class ZipReader
{
public:
    ZipReader(const ZipReader &) = delete;
    ZipReader &operator=(const ZipReader &) = delete;
    ~ZipReader();

    /// Opens @p path and counts its entries; @p formatName (e.g. "Word document") goes into errors.
    static Result<std::unique_ptr<ZipReader>> open(const QString &path, const ExtractionLimits &limits,
                                                   const QString &formatName);

    bool contains(const QString &entryPath) const;
    /// The whole inflated entry, or an Extraction error when it is missing or the budget runs out.
    Result<QByteArray> read(const QString &entryPath);

    qint64 bytesRead() const { return m_bytesRead; }
    int entryCount() const { return m_entryCount; }

private:
    ZipReader(std::unique_ptr<KZip> zip, const ExtractionLimits &limits, QString path, QString formatName);

    std::unique_ptr<KZip> m_zip;
    ExtractionLimits m_limits;
    QString m_path;
    QString m_formatName;
    qint64 m_bytesRead = 0;
    int m_entryCount = 0;
};

} // namespace ragdesk
