#include "core/llm/SseParser.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

// Follows the WHATWG "event stream interpretation" rules, with two deliberate differences:
// finish() dispatches an event whose blank line never came (a server that closes the
// connection right after its last `data:` line still meant it), and there is no reconnection,
// so `retry:` is ignored like any unknown field.

QList<SseEvent> SseParser::feed(QByteArrayView bytes)
{
    QList<SseEvent> out;
    const qsizetype size = bytes.size();
    qsizetype pos = 0;

    // A CR that ended the previous feed already closed its line; an LF right after it is
    // the second half of the same CRLF, not a blank line that would dispatch early.
    if (m_pendingCr && size > 0) {
        m_pendingCr = false;
        if (bytes.front() == '\n')
            pos = 1;
    }

    // Each byte is looked at once; only the unterminated tail is carried over in m_buffer,
    // so a long stream fed in tiny pieces stays linear.
    qsizetype lineStart = pos;
    for (; pos < size; ++pos) {
        const char c = bytes[pos];
        if (c != '\n' && c != '\r')
            continue;

        const QByteArrayView piece = bytes.sliced(lineStart, pos - lineStart);
        if (m_buffer.isEmpty()) {
            processLine(piece, out);
        } else {
            m_buffer.append(piece);
            processLine(m_buffer, out);
            m_buffer.truncate(0); // keeps the capacity for the next split line
        }

        if (c == '\r') {
            if (pos + 1 == size)
                m_pendingCr = true;
            else if (bytes[pos + 1] == '\n')
                ++pos;
        }
        lineStart = pos + 1;
    }
    m_buffer.append(bytes.sliced(lineStart));
    return out;
}

QList<SseEvent> SseParser::finish()
{
    QList<SseEvent> out;
    if (!m_buffer.isEmpty())
        processLine(m_buffer, out);
    dispatch(out);

    // The parser may be reused for another stream: forget everything, including the id.
    *this = SseParser();
    return out;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    // A UTF-8 byte order mark may precede the very first line; it is not part of a field name.
    if (m_atStreamStart) {
        m_atStreamStart = false;
        if (line.startsWith("\xEF\xBB\xBF"_ba))
            line = line.sliced(3);
    }

    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':')
        return; // comment, typically a keep-alive

    QByteArrayView field = line;
    QByteArrayView value;
    const qsizetype colon = line.indexOf(':');
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1); // exactly one space, so indentation inside data survives
    }

    if (field == "data"_ba) {
        if (m_hasData)
            m_current.data.append('\n');
        m_current.data.append(value);
        m_hasData = true;
    } else if (field == "event"_ba) {
        m_current.event = value.toByteArray();
    } else if (field == "id"_ba) {
        // The spec ignores ids containing NUL, since they could not be sent back in a header.
        if (!value.contains('\0'))
            m_current.id = value.toByteArray();
    }
    // Anything else (retry, vendor fields) is ignored.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    if (m_hasData)
        out.append(m_current);

    // The id is the "last event id": it sticks to later events until a new `id:` replaces it.
    // Data and event type belong to one event only; an event without data is dropped.
    m_current.data.clear();
    m_current.event.clear();
    m_hasData = false;
}

} // namespace ragdesk
