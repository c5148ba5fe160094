#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace ragdesk::testing {

/// The response side of one FakeLlmConnection: status line and headers, fixed-length and chunked
/// bodies, and the split-writes quirk, which queues tiny pieces and hands them to the socket one
/// event-loop turn apart. Bytes always reach the socket in the order they were written.
class FakeHttpWriter : public QObject
{
    Q_OBJECT
public:
    explicit FakeHttpWriter(QTcpSocket *socket);

    /// Whether the response says "Connection: keep-alive" (else "close"); the request decides.
    void setKeepAlive(bool keepAlive) { m_keepAlive = keepAlive; }
    [[nodiscard]] bool keepAlive() const { return m_keepAlive; }
    /// Every chunk in several tiny writes, cut inside UTF-8 sequences (FakeLlmOptions::splitWrites).
    void setSplitWrites(bool split) { m_splitWrites = split; }

    /// A @p contentLength below zero announces a chunked body.
    void writeHead(int status, QByteArrayView contentType, qsizetype contentLength, QByteArrayView extraHeaders = {});
    void writeJson(int status, const QByteArray &body, QByteArrayView extraHeaders = {});
    /// One chunk of a chunked body; empty data is skipped, since an empty chunk ends the body.
    void writeChunk(QByteArrayView data);
    /// The chunk that ends a chunked body.
    void writeLastChunk();
    void writeRaw(QByteArray bytes, bool queued = false);
    /// Closes the connection once every queued piece went out.
    void closeAfterWrites();
    /// Forgets the queue: the socket is gone.
    void stop();

private:
    void drainOnePiece();

    QTcpSocket *m_socket;
    bool m_keepAlive = true;
    bool m_splitWrites = false;
    QTimer m_pieceTimer;
    QList<QByteArray> m_queued; ///< split writes not yet handed to the socket, in order
    bool m_closeWhenDrained = false;
};

} // namespace ragdesk::testing
