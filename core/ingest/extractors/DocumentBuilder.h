#pragma once

#include "core/ingest/ExtractedDocument.h"

namespace ragdesk {

/// Collects the blocks of a word-processor document while its XML is streamed: paragraphs
/// may nest (text boxes, footnotes inside a paragraph) and tables turn into TableRow blocks
/// whose header is the table's header row (the first row when none is marked).
class DocumentBuilder
{
public:
    void beginParagraph();
    void appendText(QStringView text);
    /// Emits the innermost open paragraph as @p kind (or adds it to the open table cell).
    void endParagraph(TextBlock::Kind kind, int level = 0);

    void beginTable();
    void beginRow();
    void markHeaderRow();
    void beginCell();
    void endCell();
    void endRow();
    void endTable();

    qint64 textChars() const { return m_textChars; }
    QList<TextBlock> takeBlocks() { return std::move(m_blocks); }
    /// The text of the first Heading, or empty.
    QString firstHeading() const { return firstHeading(m_blocks); }

    /// Adds @p paragraph to a table cell. A cell becomes part of one " | "-joined row line, so its
    /// paragraphs and line breaks fold into single spaces; HTML tables follow the same rule.
    static void appendToCell(QString &cell, const QString &paragraph);
    /// The text of the first Heading in @p blocks, or empty. Shared with the extractors that build
    /// their blocks without a DocumentBuilder, so every format falls back to the same title.
    static QString firstHeading(const QList<TextBlock> &blocks);

private:
    struct Table {
        QString header;
        QStringList row;
        bool rowIsHeader = false;
        bool cellOpen = false;
        int rows = 0;
        int bodyRows = 0;
    };

    QList<TextBlock> m_blocks;
    QStringList m_paragraphs; // open paragraphs, innermost last
    QList<Table> m_tables;
    qint64 m_textChars = 0;
};

} // namespace ragdesk
