#include "core/chat/CitationResolver.h"

#include "core/chat/CitationAligner.h"
#include "core/chat/CitationParser.h"

#include <algorithm>

namespace ragdesk {

namespace {

const RetrievalHit *hitFor(const PromptSource &source, const QList<RetrievalHit> &hits)
{
    // PromptBuilder numbers the sources in input order and drops only from the end.
    const qsizetype index = source.number - 1;
    if (index >= 0 && index < hits.size() && hits.at(index).chunkId == source.chunkId)
        return &hits.at(index);
    const auto found = std::find_if(hits.cbegin(), hits.cend(),
                                    [&](const RetrievalHit &hit) { return hit.chunkId == source.chunkId; });
    return found == hits.cend() ? nullptr : &*found;
}

} // namespace

QList<CitationSnapshot> CitationResolver::snapshots(const QList<PromptSource> &included, const QList<RetrievalHit> &hits)
{
    QList<CitationSnapshot> snapshots;
    snapshots.reserve(included.size());
    for (const PromptSource &source : included) {
        CitationSnapshot snapshot;
        snapshot.number = source.number;
        snapshot.chunkId = source.chunkId;
        snapshot.documentTitle = source.title;
        snapshot.headingPath = source.headingPath;
        snapshot.page = std::max(0, source.page);
        snapshot.chunkText = source.text;
        if (const RetrievalHit *hit = hitFor(source, hits)) {
            snapshot.documentId = hit->documentId;
            snapshot.documentPath = hit->documentPath;
            // The whole chunk, not the prompt's possibly truncated copy: the chip shows the passage.
            snapshot.chunkText = hit->text;
            snapshot.startOffset = hit->startOffset;
            snapshot.endOffset = hit->endOffset;
        }
        snapshots.append(snapshot);
    }
    return snapshots;
}

QList<CitationMarker> CitationResolver::markers(QStringView answer, const QList<CitationSnapshot> &sources,
                                                bool citations)
{
    if (sources.isEmpty())
        return {};
    QList<CitationMarker> markers = CitationParser::parse(answer, int(sources.size())).markers;
    if (!markers.isEmpty() || !citations)
        return markers;
    QList<QString> texts;
    texts.reserve(sources.size());
    for (const CitationSnapshot &source : sources)
        texts.append(source.chunkText);
    return CitationAligner::align(answer, texts);
}

} // namespace ragdesk
