#pragma once

#include <QList>
#include <QString>

namespace ragdesk {

/// One structural piece of an extracted file, in reading order. Extractors keep the structure
/// the Chunker needs (headings, list items, code, pages, table rows); they never chunk.
struct TextBlock {
    enum class Kind : quint8 {
        Heading,   ///< level 1..6; starts a section, becomes part of the heading path
        Paragraph, ///< running text; a chunk may end between paragraphs
        ListItem,  ///< one bullet or numbered item
        Code,      ///< a code block or a whole source file; kept verbatim, split at lines
        TableRow,  ///< one row of a table or CSV; `header` is repeated at the top of each chunk
    };

    Kind kind = Kind::Paragraph;
    int level = 0;  ///< heading level (1 = top); 0 for other kinds
    int page = 0;   ///< 1-based page for paged formats (PDF); 0 when the format has no pages
    QString text;   ///< no leading/trailing blank lines; may contain single newlines
    QString header; ///< TableRow only: the table's header line

    friend bool operator==(const TextBlock &, const TextBlock &) = default;
};

/// What the extractor process sends back for one file.
struct ExtractedDocument {
    QString title;        ///< from metadata or the first heading; empty if none
    QString mimeType;     ///< e.g. "application/pdf"
    QString codeLanguage; ///< KSyntaxHighlighting definition name for source files, else empty
    QString charset;      ///< detected charset for text formats, else empty
    int pageCount = 0;    ///< PDF pages; 0 for unpaged formats
    QList<TextBlock> blocks;

    friend bool operator==(const ExtractedDocument &, const ExtractedDocument &) = default;
};

} // namespace ragdesk
