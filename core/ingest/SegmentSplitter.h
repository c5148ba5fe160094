#pragma once

#include <QList>
#include <QStringView>

#include <optional>

namespace ragdesk {

/// Cuts one section of a document's text (blocks between two hard boundaries) into pieces that fit a
/// token budget, at the best soft boundary, with overlap. Pure and allocation-free per piece; the
/// Chunker owns the rules about sections, headings, pages and tables.
///
/// Each piece scans forward from its start once, so the whole section costs O(length) (plus the
/// re-scanned overlap), however long its lines or words are.
class SegmentSplitter
{
public:
    /// One block of the section: [start, end) in the document text. Blocks are in order and separated
    /// by whitespace. In code blocks a line end ranks like a block boundary.
    struct Block {
        qsizetype start = 0;
        qsizetype end = 0;
        bool code = false;
    };
    struct Options {
        int budget = 512;  ///< no piece's TokenEstimator::estimate() exceeds this (values < 1 act as 1)
        int overlap = 0;   ///< tokens of the previous piece's tail to repeat; capped at budget / 2
        int minFill = 0;   ///< a block or sentence boundary is taken only if the piece has this many tokens
    };
    struct Piece {
        qsizetype start = 0;
        qsizetype end = 0;
    };

    /// @p text must outlive the splitter; @p blocks must be non-empty and each hold a non-space character.
    SegmentSplitter(QStringView text, QList<Block> blocks, Options options);

    /// The next piece, or nullopt when the section is done. Pieces never start or end inside a word
    /// unless the word alone exceeds the budget (then the cut falls on a grapheme boundary, or on a
    /// code point boundary if one grapheme exceeds the budget); ends are trimmed of whitespace.
    std::optional<Piece> next();

private:
    enum Level { BlockBreak, SentenceBreak, WordBreak, LevelCount };

    /// End of a piece starting at @p from whose cut must lie beyond @p minPos; nullopt if none fits
    /// (only when text before @p minPos, the overlap, takes budget).
    std::optional<qsizetype> findCut(qsizetype from, qsizetype minPos) const;
    /// Where to cut inside an over-long word that overflowed the budget at @p overflowAt.
    qsizetype forcedCut(qsizetype minPos, qsizetype overflowAt) const;
    /// Start of the overlap taken from the tail of @p previous, or nullopt for none.
    std::optional<qsizetype> overlapStart(Piece previous) const;
    /// Where the content after a cut at @p cut starts (code keeps a line's indentation).
    qsizetype contentStart(qsizetype cut) const;
    qsizetype firstNonSpace(qsizetype from) const;
    qsizetype blockIndexAt(qsizetype pos) const;

    QStringView m_text;
    QList<Block> m_blocks;
    Options m_options;
    qsizetype m_end = 0;    ///< end of the last block
    qsizetype m_cursor = 0; ///< where new, not yet emitted content starts
    std::optional<Piece> m_previous;
};

} // namespace ragdesk
