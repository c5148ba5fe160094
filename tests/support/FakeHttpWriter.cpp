#include "tests/support/FakeHttpWriter.h"

#include "tests/support/FakeCompletionScript.h"

#include <QTcpSocket>

#include <utility>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK"_ba;
    case 307: return "Temporary Redirect"_ba;
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 404: return "Not Found"_ba;
    case 429: return "Too Many Requests"_ba;
    case 500: return "Internal Server Error"_ba;
    case 503: return "Service Unavailable"_ba;
    default: return "Unknown"_ba;
    }
}

} // namespace

FakeHttpWriter::FakeHttpWriter(QTcpSocket *socket)
    : m_socket(socket)
{
    // Zero-delay hops between split writes let the event loop (and the client) run between them.
    m_pieceTimer.setSingleShot(true);
    m_pieceTimer.setInterval(0);
    connect(&m_pieceTimer, &QTimer::timeout, this, &FakeHttpWriter::drainOnePiece);
}

void FakeHttpWriter::writeHead(int status, QByteArrayView contentType, qsizetype contentLength,
                               QByteArrayView extraHeaders)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    head += "Content-Type: " + contentType.toByteArray() + "\r\n";
    if (contentLength >= 0)
        head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    else
        head += "Transfer-Encoding: chunked\r\n";
    head += m_keepAlive ? "Connection: keep-alive\r\n"_ba : "Connection: close\r\n"_ba;
    head += extraHeaders.toByteArray();
    head += "Server: ragdesk-fake-llm\r\n\r\n";
    writeRaw(head);
}

void FakeHttpWriter::writeJson(int status, const QByteArray &body, QByteArrayView extraHeaders)
{
    writeHead(status, "application/json", body.size(), extraHeaders);
    writeRaw(body);
}

void FakeHttpWriter::writeChunk(QByteArrayView data)
{
    if (data.isEmpty())
        return;
    auto frame = [](QByteArrayView piece) {
        return QByteArray::number(piece.size(), 16) + "\r\n" + piece.toByteArray() + "\r\n";
    };
    if (!m_splitWrites) {
        writeRaw(frame(data));
        return;
    }
    // One HTTP chunk per piece, so the client's HTTP layer hands the SSE parser the same tiny,
    // UTF-8-splitting pieces instead of reassembling them.
    for (const QByteArray &piece : FakeCompletionScript::splitForWrites(data))
        writeRaw(frame(piece), true);
}

void FakeHttpWriter::writeLastChunk()
{
    writeRaw("0\r\n\r\n"_ba);
}

void FakeHttpWriter::writeRaw(QByteArray bytes, bool queued)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    // Once anything waits in the queue, later bytes must queue behind it to keep their order.
    if (!queued && m_queued.isEmpty()) {
        m_socket->write(bytes);
        return;
    }
    m_queued.append(std::move(bytes));
    if (!m_pieceTimer.isActive())
        m_pieceTimer.start();
}

void FakeHttpWriter::closeAfterWrites()
{
    if (m_queued.isEmpty())
        m_socket->disconnectFromHost(); // flushes what the socket holds, then closes
    else
        m_closeWhenDrained = true;
}

void FakeHttpWriter::stop()
{
    m_pieceTimer.stop();
    m_queued.clear();
}

void FakeHttpWriter::drainOnePiece()
{
    if (m_queued.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(m_queued.takeFirst());
    m_socket->flush(); // hand the piece to the kernel now, as its own TCP segment
    if (!m_queued.isEmpty())
        m_pieceTimer.start();
    else if (m_closeWhenDrained)
        m_socket->disconnectFromHost();
}

} // namespace ragdesk::testing
