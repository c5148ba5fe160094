#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace ragdesk {

/// One Server-Sent Event. `data` joins multi-line data fields with '\n' (as the spec says).
struct SseEvent {
    QByteArray event; ///< the `event:` field, empty for the default "message"
    QByteArray data;
    QByteArray id;

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

/// Incremental, pure text/event-stream parser: bytes in, complete events out.
/// Input may be split at any byte, lines may end in LF, CRLF or CR, and `:` comment lines
/// (keep-alives) are skipped. Works on bytes, so a split UTF-8 sequence is never decoded early.
class SseParser
{
public:
    /// Consumes @p bytes and returns the events completed by them.
    QList<SseEvent> feed(QByteArrayView bytes);

    /// End of stream: returns a final event that was not terminated by a blank line, if any.
    QList<SseEvent> finish();

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);

    QByteArray m_buffer;  ///< bytes of the current, unterminated line
    bool m_pendingCr = false; ///< last byte was CR; a following LF belongs to the same line end
    SseEvent m_current;
    bool m_hasData = false;    ///< a `data:` field was seen, so the event is dispatched even if empty
    bool m_atStreamStart = true; ///< the next line is the first one and may begin with a BOM
};

} // namespace ragdesk
