#pragma once

#include <QList>
#include <QString>

namespace ragdesk {

/// Chunker settings of one knowledge base.
struct ChunkingOptions {
    int targetTokens = 512; ///< no chunk's TokenEstimate exceeds this
    int overlapTokens = 64; ///< tail of the previous chunk repeated at the start of the next (same section only)
};

/// One chunk as the Chunker cuts it, before it has a database id.
struct ChunkDraft {
    int ordinal = 0;     ///< 0-based position in the document
    QString text;        ///< what is indexed and shown (a table chunk starts with its header line)
    QString headingPath; ///< e.g. "Install › Linux"; empty before the first heading
    int page = 0;        ///< page of the chunk's first character (PDF); 0 when unpaged
    qsizetype start = 0; ///< [start, end) in the document's extracted text (QString UTF-16 indexes)
    qsizetype end = 0;
    int tokenCount = 0;

    friend bool operator==(const ChunkDraft &, const ChunkDraft &) = default;
};

/// A document turned into its extracted text (blocks joined by blank lines) and its chunks.
struct ChunkedDocument {
    QString text;
    QList<ChunkDraft> chunks;
};

} // namespace ragdesk
