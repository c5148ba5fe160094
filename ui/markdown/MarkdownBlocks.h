#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace ragdesk {

/// One top-level piece of a markdown text: a fenced code block or a run of other markdown
/// (paragraph, list, table, heading...) that can be rendered on its own.
struct MarkdownBlock {
    enum class Kind { Markdown, Fence };
    Kind kind = Kind::Markdown;
    qsizetype start = 0;  ///< into the text, UTF-16 units; fences include their fence lines
    qsizetype length = 0;
    /// Cannot change whatever text arrives next: followed by a blank line (outside a fence),
    /// ended by the start of a fence, or a closed fence.
    bool stable = false;
    QString language;         ///< fences: first word of the info string, may be empty
    qsizetype codeStart = 0;  ///< fences: the code between the fence lines
    qsizetype codeLength = 0;
    bool closed = false;      ///< fences: the closing fence line arrived

    [[nodiscard]] qsizetype end() const { return start + length; }
    bool operator==(const MarkdownBlock &) const = default;
};

/// Splits a markdown text that may still be growing into top-level blocks. Decisions are taken
/// on complete lines only, so a block called stable never changes as more text arrives, and
/// update() rescans only the open tail: the cost of a frame follows the new text, not the message.
class MarkdownBlocks
{
public:
    /// Splits @p text after it grew (or was replaced: then everything is rescanned). Returns the
    /// index of the first block that may differ from before; earlier blocks are unchanged.
    qsizetype update(QStringView text);
    /// The text is complete: the open tail becomes stable too.
    qsizetype finish(QStringView text);
    void clear();

    [[nodiscard]] const QList<MarkdownBlock> &blocks() const { return m_blocks; }
    /// How many leading blocks are stable.
    [[nodiscard]] qsizetype stableCount() const { return m_stableCount; }

    /// All blocks of @p text; with @p final false the last one may be open, as in update().
    static QList<MarkdownBlock> split(QStringView text, bool final);

private:
    qsizetype rescan(QStringView text, bool final);

    QList<MarkdownBlock> m_blocks;
    qsizetype m_stableCount = 0;
    qsizetype m_resumeAt = 0;  ///< where the scan of the open tail starts
    qsizetype m_textSize = 0;
};

} // namespace ragdesk
