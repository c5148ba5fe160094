#include "tests/support/HttpRequestParser.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    return headers.value(name.toByteArray().toLower());
}

QByteArray HttpRequest::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.first(query);
}

bool HttpRequest::keepAlive() const
{
    const QList<QByteArray> tokens = header("connection").toLower().split(',');
    auto has = [&tokens](QByteArrayView token) {
        for (const QByteArray &t : tokens) {
            if (t.trimmed() == token)
                return true;
        }
        return false;
    };
    if (version == "HTTP/1.0")
        return has("keep-alive");
    return !has("close");
}

void HttpRequestParser::feed(QByteArrayView bytes)
{
    if (!hasError())
        m_buffer.append(bytes);
}

std::optional<HttpRequest> HttpRequestParser::takeRequest()
{
    if (hasError())
        return std::nullopt;

    if (!m_pending) {
        const qsizetype end = findEndOfHead();
        if (end < 0) {
            if (m_buffer.size() > kMaxHeadBytes)
                fail("request head too large"_ba);
            return std::nullopt;
        }
        const bool ok = parseHead(QByteArrayView(m_buffer).first(end));
        m_buffer.remove(0, end);
        if (!ok)
            return std::nullopt;
    }

    if (m_buffer.size() < m_bodyLength)
        return std::nullopt;

    HttpRequest request = std::move(*m_pending);
    m_pending.reset();
    request.body = m_buffer.first(m_bodyLength);
    m_buffer.remove(0, m_bodyLength);
    m_bodyLength = 0;
    m_continueSent = false;
    return request;
}

bool HttpRequestParser::awaitsContinue() const
{
    return m_pending && !m_continueSent && m_buffer.size() < m_bodyLength
        && m_pending->header("expect").toLower() == "100-continue";
}

// Returns the offset just past the blank line that ends the head, or -1 if it has not arrived.
// Lines may end in CRLF or a bare LF; blank lines before a request are skipped (RFC 9112 2.2).
qsizetype HttpRequestParser::findEndOfHead()
{
    qsizetype lineStart = 0;
    while (true) {
        const qsizetype newline = m_buffer.indexOf('\n', lineStart);
        if (newline < 0)
            return -1;
        const bool cr = newline > lineStart && m_buffer.at(newline - 1) == '\r';
        const qsizetype length = newline - lineStart - (cr ? 1 : 0);
        if (length == 0) {
            if (lineStart == 0) {
                m_buffer.remove(0, newline + 1);
                continue;
            }
            return newline + 1;
        }
        lineStart = newline + 1;
    }
}

bool HttpRequestParser::parseHead(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    for (qsizetype start = 0; start < head.size();) {
        qsizetype newline = head.indexOf('\n', start);
        if (newline < 0)
            newline = head.size();
        QByteArrayView line = head.sliced(start, newline - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.isEmpty())
            lines.append(line);
        start = newline + 1;
    }
    if (lines.isEmpty()) {
        fail("empty request head"_ba);
        return false;
    }

    const QList<QByteArray> requestLine = lines.front().toByteArray().split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith('/')
        || !requestLine[2].startsWith("HTTP/1.")) {
        fail("malformed request line"_ba);
        return false;
    }

    HttpRequest request;
    request.method = requestLine[0];
    request.target = requestLine[1];
    request.version = requestLine[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.front() == ' ' || line.front() == '\t') {
            fail("malformed header line"_ba);
            return false;
        }
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
        QByteArray &slot = request.headers[name];
        if (!slot.isEmpty())
            slot += ", ";
        slot += value;
    }

    if (request.headers.contains("transfer-encoding")) {
        fail("chunked request bodies are not supported"_ba);
        return false;
    }
    qsizetype length = 0;
    if (const QByteArray value = request.header("content-length"); !value.isEmpty()) {
        bool ok = false;
        length = value.toLongLong(&ok);
        if (!ok || length < 0 || length > kMaxBodyBytes) {
            fail("bad Content-Length"_ba);
            return false;
        }
    }

    m_pending = std::move(request);
    m_bodyLength = length;
    return true;
}

void HttpRequestParser::fail(QByteArray reason)
{
    m_error = std::move(reason);
    m_buffer.clear();
    m_pending.reset();
}

} // namespace ragdesk::testing
