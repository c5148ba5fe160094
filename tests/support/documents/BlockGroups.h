#pragma once

#include "core/ingest/ExtractedDocument.h"

#include <optional>
#include <utility>

namespace ragdesk::testdocs {

/// The list or table a markup writer has open. Consecutive ListItem or TableRow blocks share one
/// list or table element; every writer closes it the same way, only the closing tags differ.
class BlockGroups
{
public:
    /// An empty @p listEnd suits formats without a list element (DOCX numbers single paragraphs).
    BlockGroups(QString listEnd, QString tableEnd)
        : m_listEnd(std::move(listEnd))
        , m_tableEnd(std::move(tableEnd))
    {
    }

    /// Moves on to @p next: returns the closing tag of the open group when @p next does not
    /// continue it (else empty), and remembers whether @p next starts a new group.
    QString enter(TextBlock::Kind next)
    {
        const std::optional<TextBlock::Kind> group = groupOf(next);
        m_starting = group && group != m_open;
        if (m_open == group)
            return {};
        QString closing = close();
        m_open = group;
        return closing;
    }

    /// Whether the block passed to enter() starts a list or table (so its opening tag is due).
    bool starting() const { return m_starting; }

    /// The closing tag of the group still open at the end of the document, or empty.
    QString close()
    {
        const std::optional<TextBlock::Kind> open = std::exchange(m_open, std::nullopt);
        if (open == TextBlock::Kind::ListItem)
            return m_listEnd;
        if (open == TextBlock::Kind::TableRow)
            return m_tableEnd;
        return {};
    }

private:
    static std::optional<TextBlock::Kind> groupOf(TextBlock::Kind kind)
    {
        if (kind == TextBlock::Kind::ListItem || kind == TextBlock::Kind::TableRow)
            return kind;
        return std::nullopt;
    }

    QString m_listEnd;
    QString m_tableEnd;
    std::optional<TextBlock::Kind> m_open;
    bool m_starting = false;
};

} // namespace ragdesk::testdocs
