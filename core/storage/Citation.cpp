#include "core/storage/Citation.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
// Keys are short and fixed: they live in profile.db with every cited message, so renaming one
// needs a migration.
constexpr auto kNumber = "number"_L1;
constexpr auto kChunkId = "chunkId"_L1;
constexpr auto kDocumentId = "documentId"_L1;
constexpr auto kTitle = "title"_L1;
constexpr auto kPath = "path"_L1;
constexpr auto kPage = "page"_L1;
constexpr auto kHeading = "heading"_L1;
constexpr auto kText = "text"_L1;
constexpr auto kStart = "start"_L1;
constexpr auto kEnd = "end"_L1;
constexpr auto kLength = "length"_L1;
constexpr auto kSources = "sources"_L1;
constexpr auto kOutOfRange = "outOfRange"_L1;
constexpr auto kInferred = "inferred"_L1;

void putNonZero(QJsonObject &json, QLatin1StringView key, qint64 value)
{
    if (value != 0)
        json.insert(key, value);
}

void putNonEmpty(QJsonObject &json, QLatin1StringView key, const QString &value)
{
    if (!value.isEmpty())
        json.insert(key, value);
}
void putNumbers(QJsonObject &json, QLatin1StringView key, const QList<int> &numbers)
{
    if (numbers.isEmpty())
        return;
    QJsonArray array;
    for (int number : numbers)
        array.append(number);
    json.insert(key, array);
}

/// The positive integers of @p value (an array); anything else in it is skipped.
QList<int> readNumbers(const QJsonValue &value)
{
    QList<int> numbers;
    for (const QJsonValue &entry : value.toArray()) {
        const double number = entry.toDouble(-1);
        if (number >= 1 && number <= std::numeric_limits<int>::max() && number == std::floor(number))
            numbers.append(static_cast<int>(number));
    }
    return numbers;
}

/// A non-negative offset that fits a QString index; -1 when missing or invalid.
qint64 readOffset(const QJsonValue &value)
{
    if (!value.isDouble())
        return -1;
    const double number = value.toDouble();
    if (number < 0 || number > std::numeric_limits<int>::max() || number != std::floor(number))
        return -1;
    return static_cast<qint64>(number);
}

template<typename T>
QJsonArray listToJson(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(item.toJson());
    return array;
}

template<typename T>
Result<QList<T>> listFromJson(const QJsonArray &array)
{
    QList<T> items;
    items.reserve(array.size());
    for (const QJsonValue &entry : array) {
        auto item = T::fromJson(entry.toObject());
        if (!item)
            return std::unexpected(item.error());
        items.append(*item);
    }
    return items;
}
} // namespace

QJsonObject CitationMarker::toJson() const
{
    QJsonObject json{{kStart, start}, {kLength, length}};
    putNumbers(json, kSources, sources);
    putNumbers(json, kOutOfRange, outOfRange);
    if (inferred)
        json.insert(kInferred, true);
    return json;
}

Result<CitationMarker> CitationMarker::fromJson(const QJsonObject &json)
{
    const qint64 start = readOffset(json.value(kStart));
    const qint64 length = readOffset(json.value(kLength));
    if (start < 0 || length < 0)
        return fail(Error::Kind::Protocol, u"A stored citation marker has no valid position."_s,
                    u"citation marker JSON without non-negative integer \"start\" and \"length\""_s);
    CitationMarker marker;
    marker.start = start;
    marker.length = length;
    marker.sources = readNumbers(json.value(kSources));
    marker.outOfRange = readNumbers(json.value(kOutOfRange));
    marker.inferred = json.value(kInferred).toBool();
    return marker;
}

QJsonArray citationSnapshotsToJson(const QList<CitationSnapshot> &snapshots)
{
    return listToJson(snapshots);
}

Result<QList<CitationSnapshot>> citationSnapshotsFromJson(const QJsonArray &json)
{
    return listFromJson<CitationSnapshot>(json);
}

QJsonArray citationMarkersToJson(const QList<CitationMarker> &markers)
{
    return listToJson(markers);
}

Result<QList<CitationMarker>> citationMarkersFromJson(const QJsonArray &json)
{
    return listFromJson<CitationMarker>(json);
}

QJsonObject CitationSnapshot::toJson() const
{
    QJsonObject json{{kNumber, number}};
    putNonZero(json, kChunkId, chunkId);
    putNonZero(json, kDocumentId, documentId);
    putNonEmpty(json, kTitle, documentTitle);
    putNonEmpty(json, kPath, documentPath);
    putNonZero(json, kPage, page);
    putNonEmpty(json, kHeading, headingPath);
    putNonEmpty(json, kText, chunkText);
    putNonZero(json, kStart, startOffset);
    putNonZero(json, kEnd, endOffset);
    return json;
}

Result<CitationSnapshot> CitationSnapshot::fromJson(const QJsonObject &json)
{
    // toInteger() rather than toInt(): ids are 64-bit, and QJsonValue keeps integers exact.
    const qint64 number = json.value(kNumber).toInteger();
    if (number <= 0 || number > std::numeric_limits<int>::max())
        return fail(Error::Kind::Protocol, u"A stored citation has no valid source number."_s,
                    u"citation JSON without a positive \"number\": %1"_s.arg(json.value(kNumber).toVariant().toString()));
    CitationSnapshot snapshot;
    snapshot.number = static_cast<int>(number);
    snapshot.chunkId = json.value(kChunkId).toInteger();
    snapshot.documentId = json.value(kDocumentId).toInteger();
    snapshot.documentTitle = json.value(kTitle).toString();
    snapshot.documentPath = json.value(kPath).toString();
    snapshot.page = json.value(kPage).toInt();
    snapshot.headingPath = json.value(kHeading).toString();
    snapshot.chunkText = json.value(kText).toString();
    snapshot.startOffset = json.value(kStart).toInteger();
    snapshot.endOffset = json.value(kEnd).toInteger();
    return snapshot;
}

} // namespace ragdesk
