#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

namespace ragdesk {

/// Word documents (.docx): word/document.xml streamed with QXmlStreamReader. Heading styles
/// (Heading1..6, Title, or any style with an outline level) become headings, numbered or
/// bulleted paragraphs list items, tables TableRow blocks; the title comes from docProps/core.xml.
class DocxExtractor
{
public:
    static Result<ExtractedDocument> extract(const QString &path, const ExtractionLimits &limits);
};

} // namespace ragdesk
