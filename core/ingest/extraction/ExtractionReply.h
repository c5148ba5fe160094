#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"

namespace ragdesk {

/// What the extractor process answers for one request: the document, or why it could not be read.
struct ExtractionReply {
    Result<ExtractedDocument> result;
    quint64 id = 0; ///< the request's id
};

} // namespace ragdesk
