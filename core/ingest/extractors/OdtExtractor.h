#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

namespace ragdesk {

/// OpenDocument text (.odt): content.xml streamed with QXmlStreamReader. text:h with its
/// outline level, text:p, list items and tables; the title comes from meta.xml.
class OdtExtractor
{
public:
    static Result<ExtractedDocument> extract(const QString &path, const ExtractionLimits &limits);
};

} // namespace ragdesk
