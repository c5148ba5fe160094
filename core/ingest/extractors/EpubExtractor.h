#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

namespace ragdesk {

/// E-books (.epub): META-INF/container.xml names the OPF package, whose spine gives the
/// reading order of XHTML chapters; each goes through HtmlExtractor. Title from OPF metadata.
class EpubExtractor
{
public:
    static Result<ExtractedDocument> extract(const QString &path, const ExtractionLimits &limits);
};

} // namespace ragdesk
