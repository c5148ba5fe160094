#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

namespace ragdesk {

/// The one entry point of the format parsers, called inside the ragdesk-extract process:
/// checks the file (exists, readable, under the size cap, content matches its extension),
/// dispatches on documentFormatForPath() and enforces the text cap on the result.
class DocumentExtractor
{
public:
    /// Extracts @p path under @p limits; never throws, never crashes on hostile input.
    static Result<ExtractedDocument> extract(const QString &path, const ExtractionLimits &limits);
};

} // namespace ragdesk
