#pragma once

#include "core/foundation/Error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ragdesk {

/// One citation in an answer: where it sits and which numbered sources it points to.
/// Offsets count UTF-16 code units of the answer, like every QString index.
struct CitationMarker {
    qsizetype start = 0;
    qsizetype length = 0;
    QList<int> sources;    ///< 1-based, within the sources the prompt listed; the UI links these
    QList<int> outOfRange; ///< cited numbers with no such source; flagged by the UI, never linked
    bool inferred = false; ///< set by the aligner when the model cited nothing itself

    bool operator==(const CitationMarker &) const = default;

    /// Omits empty lists and a false "inferred", so stored messages stay small.
    [[nodiscard]] QJsonObject toJson() const;
    /// Needs a non-negative "start" and "length"; source numbers that are not positive
    /// integers are dropped, since a marker that links nowhere is still worth showing.
    static Result<CitationMarker> fromJson(const QJsonObject &json);
};

/// What a message keeps of one source it cites. A copy, not a reference to the index, so the
/// citation still shows the passage the answer was built on after the document is re-indexed.
struct CitationSnapshot {
    int number = 0; ///< the source number the prompt gave it, 1-based
    qint64 chunkId = 0;
    qint64 documentId = 0;
    QString documentTitle;
    QString documentPath;
    int page = 0; ///< 1-based; 0 where the format has no pages
    QString headingPath;
    QString chunkText;
    qsizetype startOffset = 0; ///< into the document's extracted text at answer time
    qsizetype endOffset = 0;

    bool operator==(const CitationSnapshot &) const = default;

    /// Omits empty and zero optional fields, so stored messages stay small.
    [[nodiscard]] QJsonObject toJson() const;
    /// Needs a positive "number"; every other field may be missing and takes its default.
    static Result<CitationSnapshot> fromJson(const QJsonObject &json);
};

/// The JSON arrays a message stores its sources and markers in. Reading stops at the first
/// invalid entry with its error: a half-read list would renumber what the answer cites.
QJsonArray citationSnapshotsToJson(const QList<CitationSnapshot> &snapshots);
Result<QList<CitationSnapshot>> citationSnapshotsFromJson(const QJsonArray &json);
QJsonArray citationMarkersToJson(const QList<CitationMarker> &markers);
Result<QList<CitationMarker>> citationMarkersFromJson(const QJsonArray &json);

} // namespace ragdesk
