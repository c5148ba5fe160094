#include "core/storage/KnowledgeBaseTypes.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

QString documentStatusName(DocumentStatus status)
{
    // These strings are stored in index.db (and checked by its schema); never rename one.
    switch (status) {
    case DocumentStatus::Queued:
        return u"queued"_s;
    case DocumentStatus::Extracting:
        return u"extracting"_s;
    case DocumentStatus::Indexed:
        return u"indexed"_s;
    case DocumentStatus::Failed:
        return u"failed"_s;
    case DocumentStatus::Skipped:
        return u"skipped"_s;
    }
    return u"failed"_s;
}

DocumentStatus documentStatusFromString(const QString &text)
{
    for (auto status : {DocumentStatus::Queued, DocumentStatus::Extracting, DocumentStatus::Indexed,
                        DocumentStatus::Skipped}) {
        if (text == documentStatusName(status))
            return status;
    }
    // Unknown text (a damaged row) reads as failed, so it is shown and not silently retried.
    return DocumentStatus::Failed;
}

} // namespace ragdesk
