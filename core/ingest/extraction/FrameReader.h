#pragma once

#include "core/foundation/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace ragdesk {

/// Cuts ExtractionProtocol frames out of a byte stream that arrives in arbitrary pieces.
/// A header announcing more than the maximum fails the reader for good: after that the stream
/// cannot be trusted to be in sync, so the caller restarts the other side.
class FrameReader
{
public:
    explicit FrameReader(qint64 maxPayloadBytes);

    void feed(QByteArrayView bytes);
    /// The next complete payload, std::nullopt while incomplete, or the error that failed the reader.
    Result<std::optional<QByteArray>> next();

    [[nodiscard]] bool hasFailed() const { return m_error.has_value(); }
    /// True between the first byte of a frame and its last: the other side is mid-reply.
    [[nodiscard]] bool isMidFrame() const { return !m_header.isEmpty() || m_expected >= 0; }
    /// True when bytes beyond the frames already taken with next() have arrived.
    [[nodiscard]] bool hasBufferedBytes() const { return isMidFrame() || !m_ready.isEmpty(); }

private:
    qint64 m_maxPayloadBytes;
    QByteArray m_header;
    QByteArray m_payload;
    qint64 m_expected = -1; ///< payload length once the header is complete
    QList<QByteArray> m_ready;
    std::optional<Error> m_error;
};

} // namespace ragdesk
