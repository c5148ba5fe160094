#include "core/ingest/extraction/ExtractionProtocol.h"

#include <QDataStream>
#include <QIODevice>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr quint32 Magic = 0x52445831; // "RDX1"; bump the digit when the payload layout changes
// Pinned so an app and a helper built against different Qt versions still agree byte for byte.
constexpr QDataStream::Version StreamVersion = QDataStream::Qt_6_8;

enum class MessageType : quint8 { Request = 1, Reply = 2 };

QByteArray frame(QByteArray payload)
{
    QByteArray bytes(ExtractionProtocol::HeaderBytes, Qt::Uninitialized);
    qToBigEndian(quint32(payload.size()), bytes.data());
    bytes.append(payload);
    return bytes;
}

template<typename Write>
QByteArray encode(MessageType type, Write write)
{
    QByteArray payload;
    QDataStream out(&payload, QIODevice::WriteOnly);
    out.setVersion(StreamVersion);
    out << Magic << quint8(type);
    write(out);
    return frame(std::move(payload));
}

std::unexpected<Error> unreadable(const QString &what)
{
    return fail(Error::Kind::Protocol,
                u"The extractor sent a reply ragdesk could not read. The extractor is restarted; "
                u"if this repeats, reinstall ragdesk."_s,
                what);
}

/// Opens @p payload for reading and checks magic and type; the stream is left after them.
bool readHeader(QDataStream &in, MessageType expected)
{
    in.setVersion(StreamVersion);
    quint32 magic = 0;
    quint8 type = 0;
    in >> magic >> type;
    return in.status() == QDataStream::Ok && magic == Magic && type == quint8(expected);
}

/// Every byte must be used: trailing bytes mean the two sides disagree on the layout.
bool readCleanly(const QDataStream &in)
{
    return in.status() == QDataStream::Ok && in.atEnd();
}

void writeLimits(QDataStream &out, const ExtractionLimits &limits)
{
    out << qint32(limits.secondsPerFile) << qint64(limits.maxMemoryBytes) << qint64(limits.maxDecompressedBytes)
        << qint32(limits.maxArchiveEntries) << qint64(limits.maxFileBytes) << qint64(limits.maxTextChars);
}

ExtractionLimits readLimits(QDataStream &in)
{
    qint32 seconds = 0, entries = 0;
    qint64 memory = 0, decompressed = 0, fileBytes = 0, textChars = 0;
    in >> seconds >> memory >> decompressed >> entries >> fileBytes >> textChars;
    return ExtractionLimits{seconds, memory, decompressed, entries, fileBytes, textChars};
}

void writeBlock(QDataStream &out, const TextBlock &block)
{
    out << quint8(block.kind) << qint32(block.level) << qint32(block.page) << block.text << block.header;
}

bool readBlock(QDataStream &in, TextBlock &block)
{
    quint8 kind = 0;
    qint32 level = 0, page = 0;
    in >> kind >> level >> page >> block.text >> block.header;
    if (kind > quint8(TextBlock::Kind::TableRow))
        return false;
    block.kind = TextBlock::Kind(kind);
    block.level = level;
    block.page = page;
    return in.status() == QDataStream::Ok;
}
} // namespace

qint64 ExtractionProtocol::maxReplyBytes(const ExtractionLimits &limits)
{
    // UTF-16 doubles the text; per-block headers and the header column of table rows can add
    // as much again. Frame lengths are 32-bit, which caps everything at 4 GiB anyway.
    const qint64 bytes = 4 * limits.maxTextChars + (qint64(16) << 20);
    return std::min<qint64>(bytes, std::numeric_limits<quint32>::max());
}

QByteArray ExtractionProtocol::encodeRequest(const ExtractionRequest &request)
{
    return encode(MessageType::Request, [&](QDataStream &out) {
        out << request.id << request.path;
        writeLimits(out, request.limits);
    });
}

QByteArray ExtractionProtocol::encodeReply(const ExtractionReply &reply)
{
    return encode(MessageType::Reply, [&](QDataStream &out) {
        out << reply.id << reply.result.has_value();
        if (!reply.result) {
            const Error &error = reply.result.error();
            out << qint32(error.kind) << error.message << error.detail;
            return;
        }
        const ExtractedDocument &document = *reply.result;
        out << document.title << document.mimeType << document.codeLanguage << document.charset
            << qint32(document.pageCount) << quint32(document.blocks.size());
        for (const TextBlock &block : document.blocks)
            writeBlock(out, block);
    });
}

Result<ExtractionRequest> ExtractionProtocol::decodeRequest(const QByteArray &payload)
{
    QDataStream in(payload);
    if (!readHeader(in, MessageType::Request))
        return fail(Error::Kind::Protocol, u"The extractor received a request it could not read."_s,
                    u"bad magic or message type"_s);
    ExtractionRequest request;
    in >> request.id >> request.path;
    request.limits = readLimits(in);
    if (!readCleanly(in))
        return fail(Error::Kind::Protocol, u"The extractor received a request it could not read."_s,
                    u"truncated request or trailing bytes"_s);
    return request;
}

Result<ExtractionReply> ExtractionProtocol::decodeReply(const QByteArray &payload)
{
    QDataStream in(payload);
    if (!readHeader(in, MessageType::Reply))
        return unreadable(u"reply of %1 bytes has a bad magic or message type"_s.arg(payload.size()));
    quint64 id = 0;
    bool ok = false;
    in >> id >> ok;
    if (!ok) {
        qint32 kind = 0;
        Error error;
        in >> kind >> error.message >> error.detail;
        if (kind < 0 || kind > qint32(Error::Kind::Unsupported) || !readCleanly(in))
            return unreadable(u"malformed error reply"_s);
        error.kind = Error::Kind(kind);
        return ExtractionReply{std::unexpected(std::move(error)), id};
    }
    ExtractedDocument document;
    qint32 pageCount = 0;
    quint32 blockCount = 0;
    in >> document.title >> document.mimeType >> document.codeLanguage >> document.charset >> pageCount >> blockCount;
    document.pageCount = pageCount;
    // No reserve(blockCount): the count is untrusted until the blocks are actually there.
    for (quint32 i = 0; i < blockCount && in.status() == QDataStream::Ok; ++i) {
        TextBlock block;
        if (!readBlock(in, block))
            return unreadable(u"malformed block %1 of %2"_s.arg(i).arg(blockCount));
        document.blocks.append(std::move(block));
    }
    if (!readCleanly(in))
        return unreadable(u"truncated reply or trailing bytes"_s);
    return ExtractionReply{std::move(document), id};
}

quint32 ExtractionProtocol::payloadLength(QByteArrayView header)
{
    Q_ASSERT(header.size() >= HeaderBytes);
    return qFromBigEndian<quint32>(header.data());
}

} // namespace ragdesk
