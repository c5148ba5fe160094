#include "tests/support/FakeLlmServer.h"

#include "tests/support/FakeLlmConnection.h"
#include "tests/support/HttpRequestParser.h"

#include <QFile>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

FakeLlmServer::FakeLlmServer(QObject *parent)
    : FakeLlmServer(Options{}, parent)
{
}

FakeLlmServer::FakeLlmServer(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    if (!listen())
        qWarning("FakeLlmServer: cannot listen on 127.0.0.1: %s", qPrintable(errorString()));
}

FakeLlmServer::~FakeLlmServer()
{
    // Delete the connections while the counters they report to still exist; QObject would only
    // get to its children after this object's members are gone.
    const QList<FakeLlmConnection *> connections = findChildren<FakeLlmConnection *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(connections);
}

bool FakeLlmServer::listen(const QHostAddress &address, quint16 port)
{
    replaceListener(std::make_unique<QTcpServer>(), false);
    return m_listener->listen(address, port);
}

bool FakeLlmServer::listenTls(const QHostAddress &address, quint16 port)
{
    QFile keyFile(u":/ragdesk/test-tls/key.pem"_s);
    if (!keyFile.open(QIODevice::ReadOnly))
        qFatal("FakeLlmServer: the test TLS key is not among the resources");
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(testCertificate());
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients send no certificate
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(tls);
    replaceListener(std::move(server), true);
    return m_listener->listen(address, port);
}

QSslCertificate FakeLlmServer::testCertificate()
{
    QFile file(u":/ragdesk/test-tls/cert.pem"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("FakeLlmServer: the test TLS certificate is not among the resources");
    return QSslCertificate(file.readAll(), QSsl::Pem);
}

void FakeLlmServer::replaceListener(std::unique_ptr<QTcpServer> listener, bool tls)
{
    m_listener = std::move(listener);
    m_tls = tls;
    // The kernel's default backlog would refuse part of a burst of 100+ simultaneous connects.
    m_listener->setListenBacklogSize(1024);
    // A plain server announces a socket with newConnection; QSslServer only once its handshake
    // is done, with pendingConnectionAvailable. acceptConnections() drains either way.
    connect(m_listener.get(), &QTcpServer::newConnection, this, &FakeLlmServer::acceptConnections);
    connect(m_listener.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeLlmServer::acceptConnections);
}

QUrl FakeLlmServer::baseUrl() const
{
    QUrl out = url();
    out.setPath(u"/v1"_s);
    return out;
}

QUrl FakeLlmServer::url() const
{
    QHostAddress host = m_listener->serverAddress();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);

    QUrl url;
    url.setScheme(m_tls ? u"https"_s : u"http"_s);
    url.setHost(host.toString());
    url.setPort(port());
    return url;
}

void FakeLlmServer::setOptions(const Options &options)
{
    m_options = options;
    m_vectorFailuresServed = 0;
    m_chatFailuresServed = 0;
}

QByteArray FakeLlmServer::lastRequestHeader(QByteArrayView name) const
{
    return m_lastHeaders.value(name.toByteArray().toLower());
}

void FakeLlmServer::resetCounters()
{
    m_requestCount = 0;
    m_connectionCount = 0;
    m_peakActiveStreams = m_activeStreams;
    m_finishedStreams = 0;
    m_abortedStreams = 0;
    m_embeddingBatchSizes.clear();
    m_rerankRequests = 0;
    m_peakVectorRequests = m_activeVectorRequests;
    m_abortedVectorRequests = 0;
    m_lastBody = {};
    m_lastHeaders.clear();
    m_lastRequestLine.clear();
    m_requests.clear();
}

void FakeLlmServer::acceptConnections()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        ++m_connectionCount;
        new FakeLlmConnection(socket, this); // parented to this; deletes itself when the socket closes
    }
}

void FakeLlmServer::recordRequest(const HttpRequest &request, const QJsonObject &body)
{
    ++m_requestCount;
    m_lastBody = body;
    m_lastHeaders = request.headers;
    m_lastRequestLine = request.method + ' ' + request.target;
    if (m_requests.size() == kMaxRecordedRequests)
        m_requests.removeFirst();
    m_requests.append(request);
    m_requests.back().body.clear(); // a benchmark's embedding batches would pile up; lastRequestBody() keeps one
    Q_EMIT requestReceived(request.method, request.path());
}

void FakeLlmServer::noteStreamStarted()
{
    ++m_activeStreams;
    m_peakActiveStreams = std::max(m_peakActiveStreams, m_activeStreams);
    Q_EMIT streamStarted();
}

void FakeLlmServer::noteStreamEnded(bool aborted)
{
    --m_activeStreams;
    if (aborted) {
        ++m_abortedStreams;
        Q_EMIT streamAborted();
    } else {
        ++m_finishedStreams;
        Q_EMIT streamFinished();
    }
}

void FakeLlmServer::noteVectorRequestStarted(bool rerank, int inputs)
{
    if (rerank)
        ++m_rerankRequests;
    else
        m_embeddingBatchSizes.append(inputs);
    ++m_activeVectorRequests;
    m_peakVectorRequests = std::max(m_peakVectorRequests, m_activeVectorRequests);
}

void FakeLlmServer::noteVectorRequestEnded(bool aborted)
{
    --m_activeVectorRequests;
    if (aborted)
        ++m_abortedVectorRequests;
}

bool FakeLlmServer::takeVectorFailure()
{
    if (m_options.vectorFailure == Options::VectorFailure::None)
        return false;
    if (m_options.vectorFailureCount >= 0 && m_vectorFailuresServed >= m_options.vectorFailureCount)
        return false;
    ++m_vectorFailuresServed;
    return true;
}

bool FakeLlmServer::takeChatFailure(bool count)
{
    if (m_options.failure == Failure::None)
        return false;
    if (m_options.failureCount >= 0 && m_chatFailuresServed >= m_options.failureCount)
        return false;
    if (count)
        ++m_chatFailuresServed;
    return true;
}

} // namespace ragdesk::testing
