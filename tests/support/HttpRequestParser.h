#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>

#include <optional>

namespace ragdesk::testing {

/// One HTTP/1.x request as the fake server saw it.
struct HttpRequest {
    QByteArray method;
    QByteArray target; ///< as sent, query included
    QByteArray version;
    QHash<QByteArray, QByteArray> headers; ///< names lower-cased; repeated fields joined with ", "
    QByteArray body;

    /// Value of header @p name, looked up case-insensitively; empty when absent.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    /// The target without its query string.
    [[nodiscard]] QByteArray path() const;
    /// Whether the client lets the connection stay open after the response.
    [[nodiscard]] bool keepAlive() const;
};

/// Incremental, pure HTTP/1.1 request parser: bytes in (split anywhere), whole requests out.
/// Bodies are framed by Content-Length only; a chunked request body is reported as an error,
/// since no LLM client sends one and a test server should fail loudly rather than guess.
class HttpRequestParser
{
public:
    /// Appends bytes received from the socket.
    void feed(QByteArrayView bytes);

    /// The next complete request, if the buffered bytes hold one. Call repeatedly: a client that
    /// pipelines may have sent several.
    [[nodiscard]] std::optional<HttpRequest> takeRequest();

    [[nodiscard]] bool hasError() const { return !m_error.isEmpty(); }
    [[nodiscard]] QByteArray errorString() const { return m_error; }

    /// Headers with "Expect: 100-continue" are in but the body is not: the client (curl does this
    /// for bodies over 1 KiB) waits for an interim "100 Continue" before sending it.
    [[nodiscard]] bool awaitsContinue() const;
    /// Records that the interim response went out, so it is sent once per request.
    void markContinueSent() { m_continueSent = true; }

private:
    qsizetype findEndOfHead();
    bool parseHead(QByteArrayView head);
    void fail(QByteArray reason);

    // Limits keep a confused client from making the test process buffer without bound.
    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;

    QByteArray m_buffer;
    std::optional<HttpRequest> m_pending; ///< head parsed, body still arriving
    qsizetype m_bodyLength = 0;
    bool m_continueSent = false;
    QByteArray m_error;
};

} // namespace ragdesk::testing
