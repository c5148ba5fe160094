#pragma once

#include <QtGlobal>

namespace ragdesk {

/// Caps on one file's extraction. Documents are untrusted: a crafted file must not hang,
/// exhaust memory or unpack gigabytes. The extractor process enforces the size caps itself;
/// the parent enforces the time cap by killing the process, and the memory cap is an rlimit.
struct ExtractionLimits {
    int secondsPerFile = 60;
    qint64 maxMemoryBytes = qint64(1) << 30;           ///< address-space cap of the extractor process
    qint64 maxDecompressedBytes = qint64(256) << 20;   ///< sum over all entries read from one archive
    int maxArchiveEntries = 10000;                     ///< entries in one zip (DOCX/ODT/EPUB)
    qint64 maxFileBytes = qint64(512) << 20;           ///< larger files are refused before parsing
    qint64 maxTextChars = qint64(64) << 20;            ///< extracted text beyond this is refused

    friend bool operator==(const ExtractionLimits &, const ExtractionLimits &) = default;
};

} // namespace ragdesk
