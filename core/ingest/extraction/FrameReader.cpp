#include "core/ingest/extraction/FrameReader.h"

#include "core/ingest/extraction/ExtractionProtocol.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

FrameReader::FrameReader(qint64 maxPayloadBytes)
    : m_maxPayloadBytes(maxPayloadBytes)
{
}

void FrameReader::feed(QByteArrayView bytes)
{
    while (!bytes.isEmpty() && !m_error) {
        if (m_expected < 0) {
            const qsizetype take = std::min(ExtractionProtocol::HeaderBytes - m_header.size(), bytes.size());
            m_header.append(bytes.first(take));
            bytes = bytes.sliced(take);
            if (m_header.size() < ExtractionProtocol::HeaderBytes)
                return;
            m_expected = ExtractionProtocol::payloadLength(m_header);
            m_header.clear();
            if (m_expected > m_maxPayloadBytes) {
                m_error = Error{Error::Kind::Protocol,
                                u"The extractor sent a reply larger than the %1 MB ragdesk accepts. "
                                u"The extractor is restarted; if this repeats, reinstall ragdesk."_s
                                    .arg(m_maxPayloadBytes >> 20),
                                u"frame header announced %1 bytes"_s.arg(m_expected), 0};
                return;
            }
            // Reserved up front (address space only until written): growing a 100 MB buffer by
            // doubling would copy it on the UI thread several times.
            m_payload.reserve(m_expected);
        }
        // Payload bytes go straight into their own buffer, so a 100 MB reply is handed over
        // without another copy.
        const qsizetype take = std::min<qint64>(m_expected - m_payload.size(), bytes.size());
        m_payload.append(bytes.first(take));
        bytes = bytes.sliced(take);
        if (m_payload.size() == m_expected) {
            m_ready.append(std::exchange(m_payload, {}));
            m_expected = -1;
        }
    }
}

Result<std::optional<QByteArray>> FrameReader::next()
{
    if (!m_ready.isEmpty())
        return std::optional(m_ready.takeFirst());
    if (m_error)
        return std::unexpected(*m_error);
    return std::optional<QByteArray>();
}

} // namespace ragdesk
