#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

namespace ragdesk {

/// PDF through poppler-qt6: each page's words in reading order, grouped into lines, then
/// into paragraphs at large vertical gaps; lines much taller than the page's body text become
/// headings. Every block carries its 1-based page.
class PdfExtractor
{
public:
    static Result<ExtractedDocument> extract(const QString &path, const ExtractionLimits &limits);
};

} // namespace ragdesk
