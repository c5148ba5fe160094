#pragma once

#include "tests/support/FakeLlmOptions.h"
#include "tests/support/HttpRequestParser.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QTcpServer>
#include <QUrl>

#include <memory>

namespace ragdesk::testing {

class FakeLlmConnection;

/// In-process fake of an LLM server speaking three chat APIs (OpenAI-compatible GET /v1/models and
/// POST /v1/chat/completions; Ollama's GET /api/tags and POST /api/chat; Anthropic's GET /v1/models
/// and POST /v1/messages; see FakeChatRoutes), streamed or not, plus POST /v1/embeddings, Ollama's
/// POST /api/embed, and POST /v1/rerank or /rerank in the Jina and TEI shapes (see
/// FakeVectorRoutes), on one thread: every connection paces its answer with its own timer, so
/// hundreds of concurrent streams need neither threads nor sleeps. Also the engine of the
/// `ragdesk-fake-llm` program.
///
/// It listens on 127.0.0.1 with an ephemeral port as soon as it is constructed. Behaviour comes
/// from Options, which each request copies when it arrives (after requestReceived() is emitted,
/// so a slot connected to it may still change the options for that very request).
class FakeLlmServer : public QObject
{
    Q_OBJECT
public:
    using Options = FakeLlmOptions;
    using Failure = FakeLlmOptions::Failure;

    explicit FakeLlmServer(QObject *parent = nullptr);
    explicit FakeLlmServer(const Options &options, QObject *parent = nullptr);
    ~FakeLlmServer() override;

    /// Listens again on @p address:@p port (0: ephemeral), closing the current listener first.
    /// Connections already open keep being served.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    /// Like listen(), but every connection must first complete a TLS handshake; the server shows
    /// testCertificate(), so a client trusts it only when told to.
    bool listenTls(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    [[nodiscard]] bool isListening() const { return m_listener->isListening(); }
    [[nodiscard]] bool isTls() const { return m_tls; }
    [[nodiscard]] QString errorString() const { return m_listener->errorString(); }
    [[nodiscard]] quint16 port() const { return m_listener->serverPort(); }
    /// http://127.0.0.1:PORT, or https:// after listenTls() (an "any" address is reported as
    /// loopback, which clients can reach): the base of the Ollama and Anthropic routes.
    [[nodiscard]] QUrl url() const;
    /// url() with the path /v1: the base of an OpenAI-compatible client.
    [[nodiscard]] QUrl baseUrl() const;
    /// The self-signed, test-only certificate of listenTls() (CN and SAN localhost, 127.0.0.1).
    [[nodiscard]] static QSslCertificate testCertificate();

    [[nodiscard]] const Options &options() const { return m_options; }
    /// Also restarts the counts of scripted failures (Options::failureCount, vectorFailureCount).
    void setOptions(const Options &options);

    /// Requests parsed so far, on any route, including rejected ones.
    [[nodiscard]] int requestCount() const { return m_requestCount; }
    /// TCP connections accepted so far; with keep-alive, several requests share one.
    [[nodiscard]] int connectionCount() const { return m_connectionCount; }
    /// Event streams in progress, a stalled one included.
    [[nodiscard]] int activeStreams() const { return m_activeStreams; }
    /// The most event streams that were in progress at once.
    [[nodiscard]] int peakActiveStreams() const { return m_peakActiveStreams; }
    /// Event streams that reached their end (finished, or ended by a scripted failure).
    [[nodiscard]] int finishedStreams() const { return m_finishedStreams; }
    /// Event streams the client hung up on before they ended: what a Stop button should cause.
    [[nodiscard]] int abortedStreams() const { return m_abortedStreams; }

    /// Embedding requests (both routes) and rerank requests received, failed ones included (not
    /// those refused for a missing API key).
    [[nodiscard]] int embeddingRequests() const { return static_cast<int>(m_embeddingBatchSizes.size()); }
    [[nodiscard]] int rerankRequests() const { return m_rerankRequests; }
    /// The number of inputs of each embedding request, in arrival order.
    [[nodiscard]] QList<int> embeddingBatchSizes() const { return m_embeddingBatchSizes; }
    /// Embedding and rerank requests received but not yet answered (or hung up on).
    [[nodiscard]] int activeVectorRequests() const { return m_activeVectorRequests; }
    /// The most embedding and rerank requests that were in progress at once.
    [[nodiscard]] int peakVectorRequests() const { return m_peakVectorRequests; }
    /// Vector requests the client hung up on before the answer went out: what cancelling causes.
    [[nodiscard]] int abortedVectorRequests() const { return m_abortedVectorRequests; }

    /// JSON body of the last request; empty if it had none or it was not a JSON object.
    [[nodiscard]] QJsonObject lastRequestBody() const { return m_lastBody; }
    /// Headers of the last request, names lower-cased.
    [[nodiscard]] QHash<QByteArray, QByteArray> lastRequestHeaders() const { return m_lastHeaders; }
    /// One header of the last request, looked up case-insensitively (e.g. "Authorization").
    [[nodiscard]] QByteArray lastRequestHeader(QByteArrayView name) const;
    /// "POST /v1/chat/completions" style summary of the last request.
    [[nodiscard]] QByteArray lastRequestLine() const { return m_lastRequestLine; }
    /// The last kMaxRecordedRequests requests in arrival order, with their headers but without
    /// their bodies: what a test checks to see which credentials reached this server (e.g. after
    /// a redirect).
    [[nodiscard]] QList<HttpRequest> requests() const { return m_requests; }
    static constexpr qsizetype kMaxRecordedRequests = 256; // a benchmark's server runs for long

    /// Zeroes the counters and forgets the last request (streams in progress stay counted active).
    void resetCounters();

Q_SIGNALS:
    void requestReceived(const QByteArray &method, const QByteArray &path);
    void streamStarted();
    void streamFinished();
    /// The client closed the connection while its event stream was still going.
    void streamAborted();

private:
    // The connection reports to the server through these rather than through signals, so the
    // counters are already updated when a test's slot runs.
    friend class FakeLlmConnection;
    void acceptConnections();
    void recordRequest(const HttpRequest &request, const QJsonObject &body);
    void noteStreamStarted();
    void noteStreamEnded(bool aborted);
    void noteVectorRequestStarted(bool rerank, int inputs);
    void noteVectorRequestEnded(bool aborted);
    /// Whether this vector request is one of the scripted failures; counts it if so.
    bool takeVectorFailure();
    /// Whether Options::failure still applies: counted for a chat request, not for a model list.
    bool takeChatFailure(bool count);
    void replaceListener(std::unique_ptr<QTcpServer> listener, bool tls);

    std::unique_ptr<QTcpServer> m_listener;
    bool m_tls = false;
    Options m_options;
    int m_requestCount = 0;
    int m_connectionCount = 0;
    int m_activeStreams = 0;
    int m_peakActiveStreams = 0;
    int m_finishedStreams = 0;
    int m_abortedStreams = 0;
    QList<int> m_embeddingBatchSizes;
    int m_rerankRequests = 0;
    int m_activeVectorRequests = 0;
    int m_peakVectorRequests = 0;
    int m_abortedVectorRequests = 0;
    int m_vectorFailuresServed = 0;
    int m_chatFailuresServed = 0;
    QList<HttpRequest> m_requests;
    QJsonObject m_lastBody;
    QHash<QByteArray, QByteArray> m_lastHeaders;
    QByteArray m_lastRequestLine;
};

} // namespace ragdesk::testing
