#include "core/ingest/extractors/DocumentBuilder.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

void DocumentBuilder::beginParagraph()
{
    m_paragraphs.append(QString());
}

void DocumentBuilder::appendText(QStringView text)
{
    if (m_paragraphs.isEmpty())
        return; // text outside any paragraph is layout noise (whitespace between elements)
    m_paragraphs.last() += text;
    m_textChars += text.size();
}

void DocumentBuilder::endParagraph(TextBlock::Kind kind, int level)
{
    if (m_paragraphs.isEmpty())
        return;
    QString text = m_paragraphs.takeLast().trimmed();
    if (text.isEmpty())
        return;
    if (!m_tables.isEmpty() && m_tables.last().cellOpen) {
        appendToCell(m_tables.last().row.last(), text);
        return;
    }
    if (kind == TextBlock::Kind::Heading) {
        text = text.simplified();
        level = qBound(1, level, 6);
    } else {
        level = 0;
    }
    m_blocks.append(TextBlock{kind, level, 0, std::move(text), {}});
}

void DocumentBuilder::beginTable()
{
    m_tables.append(Table{});
}

void DocumentBuilder::beginRow()
{
    if (m_tables.isEmpty())
        return;
    m_tables.last().row.clear();
    m_tables.last().rowIsHeader = false;
}

void DocumentBuilder::markHeaderRow()
{
    if (!m_tables.isEmpty())
        m_tables.last().rowIsHeader = true;
}

void DocumentBuilder::beginCell()
{
    if (m_tables.isEmpty())
        return;
    m_tables.last().row.append(QString());
    m_tables.last().cellOpen = true;
}

void DocumentBuilder::endCell()
{
    if (!m_tables.isEmpty())
        m_tables.last().cellOpen = false;
}

void DocumentBuilder::endRow()
{
    if (m_tables.isEmpty())
        return;
    Table &table = m_tables.last();
    const bool empty = std::all_of(table.row.cbegin(), table.row.cend(), [](const QString &c) { return c.isEmpty(); });
    if (empty)
        return;
    const QString line = table.row.join(u" | "_s);
    // Without a marked header row, the first row names the columns, as in most documents.
    if (table.rowIsHeader || (table.rows == 0 && table.header.isEmpty())) {
        table.header = table.header.isEmpty() ? line : table.header;
    } else {
        m_blocks.append(TextBlock{TextBlock::Kind::TableRow, 0, 0, line, table.header});
        ++table.bodyRows;
    }
    ++table.rows;
    table.row.clear();
}

void DocumentBuilder::endTable()
{
    if (m_tables.isEmpty())
        return;
    const Table table = m_tables.takeLast();
    // A one-row table is all header; keep its text rather than lose it.
    if (table.bodyRows == 0 && !table.header.isEmpty())
        m_blocks.append(TextBlock{TextBlock::Kind::TableRow, 0, 0, table.header, {}});
}

void DocumentBuilder::appendToCell(QString &cell, const QString &paragraph)
{
    cell += (cell.isEmpty() ? QString() : u" "_s) + paragraph.simplified();
}

QString DocumentBuilder::firstHeading(const QList<TextBlock> &blocks)
{
    for (const TextBlock &block : blocks) {
        if (block.kind == TextBlock::Kind::Heading)
            return block.text;
    }
    return {};
}

} // namespace ragdesk
