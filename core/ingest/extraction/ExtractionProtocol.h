#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/extraction/ExtractionReply.h"
#include "core/ingest/extraction/ExtractionRequest.h"

#include <QByteArray>
#include <QByteArrayView>

namespace ragdesk {

/// The wire format between the app and ragdesk-extract. A frame is a 4-byte big-endian payload
/// length followed by the payload; a payload is QDataStream data at a pinned stream version,
/// starting with a magic number and a message type, so stray bytes are refused, never guessed at.
/// Pure functions: no I/O, so tests can feed every edge case.
class ExtractionProtocol
{
public:
    static constexpr qsizetype HeaderBytes = 4;
    /// A request is a path and a few numbers; anything bigger is not ours.
    static constexpr qint64 MaxRequestBytes = qint64(1) << 20;

    /// The largest reply frame the app accepts for @p limits: the text cap in UTF-16 plus room
    /// for per-block overhead. Bigger means the helper is broken, not that the file is big.
    static qint64 maxReplyBytes(const ExtractionLimits &limits);

    /// Whole frames (header + payload), ready to write.
    static QByteArray encodeRequest(const ExtractionRequest &request);
    static QByteArray encodeReply(const ExtractionReply &reply);

    /// Payloads as FrameReader returns them (without the header).
    static Result<ExtractionRequest> decodeRequest(const QByteArray &payload);
    static Result<ExtractionReply> decodeReply(const QByteArray &payload);

    /// The payload length a frame header announces; @p header must hold HeaderBytes bytes.
    static quint32 payloadLength(QByteArrayView header);
};

} // namespace ragdesk
