#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/ingest/ChunkDraft.h"
#include "core/ingest/ExtractedDocument.h"

namespace ragdesk {

/// Turns an extracted document into its text and budgeted, structure-aware chunks. Pure and
/// reentrant: it runs on the CPU pool, O(length of the text), and touches nothing but its input.
///
/// The rules:
/// - Text: the non-empty blocks (a block of only whitespace is empty) joined in order with "\n\n";
///   headings appear as their text. An empty document gives empty text and no chunks.
/// - Offsets: every chunk has [start, end) in that text (UTF-16 indexes) and its text is
///   text.mid(start, end - start), except table chunks: header + "\n" + text.mid(start, end - start),
///   the offsets covering the rows only (rows stay blank-line separated as in the text). The header
///   is left out when it is empty or would take more than half the budget.
/// - Budget: no chunk's TokenEstimator::estimate(chunk.text) exceeds targetTokens (values < 1 act as 1);
///   tokenCount is that estimate. Consecutive blocks of a section are packed until the budget is reached.
/// - Hard boundaries start a new chunk and are never overlapped: a heading that follows text (its
///   line is the chunk's first line; headings in a row stay together, so a title is never a chunk
///   of its own), a page change (so a chunk has one page), the start or end of a table, and a table
///   header change. Table rows never share a chunk with other text.
/// - Soft boundaries, when a section must be cut: a block boundary (paragraph, list item, table row)
///   or a code line end, then a sentence end, then whitespace or a CJK character boundary. A block or
///   sentence boundary is taken only while the chunk is at least half full, else the latest boundary
///   that fits. Chunks never start or end inside a word; only a word longer than the whole budget is
///   cut, on a grapheme boundary (on a code point boundary if a single grapheme is over budget).
///   Chunk ends are trimmed of whitespace; a chunk of code keeps its first line's indentation.
/// - Overlap: a chunk continuing its section starts with up to overlapTokens (capped at half the
///   budget) of the previous chunk's tail, beginning at a word start (a line start in code), and
///   always adds new text. Table chunks get no overlap: the repeated header gives rows their context,
///   and repeated rows would be counted twice by whoever reads the table.
/// - headingPath: titles of the enclosing headings (whitespace simplified) joined by " › " (after a
///   run of headings, the path of the last one), a heading
///   closing every open heading of its level or deeper (levels below 1 count as 1); empty before the
///   first heading.
/// - page: the page of the chunk's first block (0 when unpaged); ordinal: 0-based, consecutive.
class Chunker
{
public:
    explicit Chunker(ChunkingOptions options = {});

    [[nodiscard]] ChunkedDocument chunk(const ExtractedDocument &document) const;
    /// As above, checking @p cancel between chunks; fails with Error::Kind::Cancelled.
    [[nodiscard]] Result<ChunkedDocument> chunk(const ExtractedDocument &document, const CancelToken &cancel) const;

    [[nodiscard]] const ChunkingOptions &options() const { return m_options; }

private:
    ChunkingOptions m_options;
};

} // namespace ragdesk
