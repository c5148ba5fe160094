#pragma once

#include "core/storage/Citation.h"

#include <QStringView>

namespace ragdesk {

/// The fallback when a model cited nothing: each sentence of the answer is matched to the source
/// whose text contains most of its content words. Markers it returns are marked inferred, so the
/// UI can show them as a guess. Pure and fast enough to run once per finished answer.
class CitationAligner
{
public:
    /// A sentence gets a source when the source contains at least this share of the sentence's
    /// distinct content words...
    static constexpr double kMinShare = 0.5;
    /// ...and at least this many of them, so "Yes, it does." matches nothing.
    static constexpr int kMinWords = 3;

    /// @p sources are the chunk texts in the order the prompt numbered them (source i + 1 is
    /// sources[i]); on a tie the earlier, higher-ranked source wins. One marker per matched
    /// sentence, covering the sentence without its trailing whitespace.
    static QList<CitationMarker> align(QStringView answer, const QList<QString> &sources);
};

} // namespace ragdesk
