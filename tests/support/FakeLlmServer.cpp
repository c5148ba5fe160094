#include "tests/support/FakeLlmServer.h"

#include "tests/support/FakeLlmConnection.h"
#include "tests/support/HttpRequestParser.h"

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
    // The kernel's default backlog would refuse part of a burst of 100+ simultaneous connects.
    m_tcp.setListenBacklogSize(1024);
    connect(&m_tcp, &QTcpServer::newConnection, this, &FakeLlmServer::acceptConnections);
    if (!listen())
        qWarning("FakeLlmServer: cannot listen on 127.0.0.1: %s", qPrintable(m_tcp.errorString()));
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
    m_tcp.close();
    return m_tcp.listen(address, port);
}

QUrl FakeLlmServer::baseUrl() const
{
    QHostAddress host = m_tcp.serverAddress();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);

    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(host.toString());
    url.setPort(port());
    url.setPath(u"/v1"_s);
    return url;
}

void FakeLlmServer::setOptions(const Options &options)
{
    m_options = options;
    m_vectorFailuresServed = 0;
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
}

void FakeLlmServer::acceptConnections()
{
    while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
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

} // namespace ragdesk::testing
