#pragma once

#include "core/ingest/ExtractedDocument.h"

#include <QByteArray>

namespace ragdesk {

/// HTML through gumbo: h1–h6, paragraphs, list items, pre, table rows; scripts, styles and
/// navigation are skipped. EPUB chapters go through appendBlocks() as well.
class HtmlExtractor
{
public:
    static ExtractedDocument extract(const QByteArray &bytes);

    /// Appends the blocks of one HTML document to @p blocks and returns its <title>.
    /// @p html is in any charset (BOM, <meta charset>, else detected).
    static QString appendBlocks(const QByteArray &html, QList<TextBlock> &blocks, QString *charset = nullptr);
};

} // namespace ragdesk
