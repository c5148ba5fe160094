#include "core/llm/NdjsonParser.h"

namespace ragdesk {

QList<QByteArray> NdjsonParser::feed(QByteArrayView bytes)
{
    QList<QByteArray> out;
    qsizetype lineStart = 0;
    // Only LF ends a line: a CR is kept until the LF arrives (possibly in the next feed) and
    // trimmed with the rest of the line, so a CRLF split between feeds needs no extra state.
    for (qsizetype newline = bytes.indexOf('\n'); newline >= 0; newline = bytes.indexOf('\n', lineStart)) {
        const QByteArrayView piece = bytes.sliced(lineStart, newline - lineStart);
        if (m_buffer.isEmpty()) {
            appendLine(piece, out);
        } else {
            m_buffer.append(piece);
            appendLine(m_buffer, out);
            m_buffer.clear();
        }
        lineStart = newline + 1;
    }
    m_buffer.append(bytes.sliced(lineStart));
    return out;
}

QList<QByteArray> NdjsonParser::finish()
{
    QList<QByteArray> out;
    appendLine(m_buffer, out);
    m_buffer.clear();
    return out;
}

void NdjsonParser::appendLine(QByteArrayView line, QList<QByteArray> &out)
{
    // JSON allows surrounding whitespace, and a stray CR or a padding space must not turn a
    // keep-alive blank line into an "unparseable" error downstream.
    const QByteArrayView trimmed = line.trimmed();
    if (!trimmed.isEmpty())
        out.append(trimmed.toByteArray());
}

} // namespace ragdesk
