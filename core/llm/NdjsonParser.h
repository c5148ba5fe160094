#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace ragdesk {

/// Incremental, pure newline-delimited JSON splitter: bytes in, complete lines out.
/// Input may be split at any byte. Lines end in LF or CRLF, the CR is dropped, and blank
/// (whitespace-only) lines are skipped. It never decodes or validates JSON: it works on
/// bytes, so a UTF-8 sequence split across feeds is returned whole once its line ends.
class NdjsonParser
{
public:
    /// Consumes @p bytes and returns the lines completed by them, without their line ends.
    QList<QByteArray> feed(QByteArrayView bytes);

    /// End of stream: returns the final line if the server did not end it with a newline.
    QList<QByteArray> finish();

    /// Bytes of the current, unterminated line (for a "stream was cut" diagnostic).
    [[nodiscard]] qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    static void appendLine(QByteArrayView line, QList<QByteArray> &out);

    QByteArray m_buffer; ///< bytes of the current, unterminated line
};

} // namespace ragdesk
