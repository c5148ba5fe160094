#pragma once

#include "core/chat/PromptBuilder.h"
#include "core/retrieval/RetrievalTypes.h"
#include "core/storage/Citation.h"

#include <QList>
#include <QStringView>

namespace ragdesk {

/// Ties an answer to the sources its prompt listed: the snapshots a message keeps of them, and
/// the markers in its text, parsed or (when the model cited nothing) inferred. Pure.
class CitationResolver
{
public:
    /// One snapshot per source the prompt included, numbered as the model saw them. @p hits are
    /// the retrieval hits in the order they went to PromptBuilder, so source n is hits[n - 1].
    static QList<CitationSnapshot> snapshots(const QList<PromptSource> &included, const QList<RetrievalHit> &hits);

    /// The markers of @p answer over @p sources. When the model wrote none and @p citations is
    /// on, CitationAligner's guesses (marked inferred) take their place.
    static QList<CitationMarker> markers(QStringView answer, const QList<CitationSnapshot> &sources, bool citations);
};

} // namespace ragdesk
