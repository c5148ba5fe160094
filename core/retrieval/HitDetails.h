#pragma once

#include "core/foundation/Error.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QSqlDatabase>

namespace ragdesk {

/// Fills in what the result list shows for hits that so far have only ids and scores.
class HitDetails
{
public:
    /// Loads document title and path, heading, page, offsets, text and a highlighted excerpt
    /// for each of @p hits, keeping their order. Hits whose chunk was deleted or disabled since
    /// the stages ran are dropped. Reader threads only.
    /// @p queryWords and @p languages mark the matches in the excerpts (PassageHighlighter).
    static Result<QList<RetrievalHit>> load(QSqlDatabase &db, QList<RetrievalHit> hits,
                                           const QStringList &queryWords, const QStringList &languages);
};

} // namespace ragdesk
