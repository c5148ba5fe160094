#include "core/storage/Citation.h"

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
} // namespace

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
