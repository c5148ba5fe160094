#pragma once

#include "core/ingest/ExtractionLimits.h"

#include <QString>

namespace ragdesk {

/// What the app asks the extractor process: one file and the caps to read it under.
struct ExtractionRequest {
    QString path;
    ExtractionLimits limits;
    quint64 id = 0; ///< echoed in the reply, so a stray reply is never taken for this one

    friend bool operator==(const ExtractionRequest &, const ExtractionRequest &) = default;
};

} // namespace ragdesk
