#pragma once

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/ExtractedDocument.h"

#include <QByteArray>

namespace ragdesk {

/// Plain text, Markdown and reStructuredText: charset detection, then paragraphs (plain text)
/// or the markup's headings, lists and code blocks. The title is the first heading.
class PlainTextExtractor
{
public:
    /// @p format is PlainText, Markdown or ReStructuredText.
    static ExtractedDocument extract(const QByteArray &bytes, DocumentFormat format);

    /// Splits @p text at blank lines into Paragraph blocks (CR LF tolerated).
    static QList<TextBlock> paragraphs(QStringView text);
};

} // namespace ragdesk
