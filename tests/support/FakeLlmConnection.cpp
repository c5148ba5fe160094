#include "tests/support/FakeLlmConnection.h"

#include "tests/support/FakeCompletionScript.h"
#include "tests/support/FakeLlmServer.h"

#include <QJsonDocument>
#include <QTcpSocket>

#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

using Failure = FakeLlmOptions::Failure;

} // namespace

FakeLlmConnection::FakeLlmConnection(QTcpSocket *socket, FakeLlmServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_writer(socket)
{
    m_socket->setParent(this);
    // Tokens are tiny writes; Nagle's algorithm would batch them and blur the pacing tests measure.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    m_stepTimer.setSingleShot(true);
    m_stepTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_stepTimer, &QTimer::timeout, this, &FakeLlmConnection::onStepTimer);
    connect(m_socket, &QTcpSocket::readyRead, this, &FakeLlmConnection::readRequests);
    connect(m_socket, &QTcpSocket::disconnected, this, &FakeLlmConnection::onDisconnected);
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        deleteLater();
}

FakeLlmConnection::~FakeLlmConnection()
{
    // The socket is our child and is destroyed after this; it must not call back into us.
    disconnect(m_socket, nullptr, this, nullptr);
}

void FakeLlmConnection::readRequests()
{
    m_parser.feed(m_socket->readAll());
    processRequests();
}

void FakeLlmConnection::processRequests()
{
    m_processing = true;
    while (m_state == State::Idle) {
        std::optional<HttpRequest> request = m_parser.takeRequest();
        if (m_parser.hasError()) {
            m_writer.setKeepAlive(false);
            m_writer.writeJson(400, FakeCompletionScript::errorBody(400, m_parser.errorString()));
            closeAfterWrites();
            break;
        }
        if (!request) {
            if (m_parser.awaitsContinue()) {
                m_writer.writeRaw("HTTP/1.1 100 Continue\r\n\r\n"_ba);
                m_parser.markContinueSent();
            }
            break;
        }
        handle(*request);
    }
    m_processing = false;
}

void FakeLlmConnection::handle(const HttpRequest &request)
{
    m_writer.setKeepAlive(request.keepAlive());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    const QJsonObject body = document.object();
    m_server->recordRequest(request, body);
    // Copied after requestReceived() ran, so a test's slot may still change this request.
    m_options = m_server->options();
    m_writer.setSplitWrites(m_options.splitWrites);

    if (const std::optional<FakeChatRoute> route = FakeChatRoutes::routeFor(request)) {
        handleChatRoute(*route, request, body);
        return;
    }
    // Other routes share the scripted failure without using up Options::failureCount.
    if (!m_server->takeChatFailure(false))
        m_options.failure = Failure::None;
    if (rejectMissingKey(request))
        return;
    if (FakeVectorRoutes::routeFor(request.method, request.path())) {
        startVectorAnswer(request, body, parseError.error == QJsonParseError::NoError && document.isObject());
        return;
    }
    m_writer.writeJson(404, FakeCompletionScript::errorBody(404, "Unknown route: " + request.method + ' ' + request.path()));
    endResponse();
}

void FakeLlmConnection::handleChatRoute(const FakeChatRoute &route, const HttpRequest &request, const QJsonObject &body)
{
    std::optional<FakeHttpAnswer> answer;
    if (m_options.redirectTo.isValid()) {
        // Closed after the redirect, as many servers do. Kept alive, Qt 6.8's QNAM following a
        // 307 for a POST now and then sent the POST here a second time and failed the reply
        // with UnknownNetworkError although the target answered 200 (about one run in five of
        // tst_fakellmserver with four instances in parallel; none in 40 with the close).
        m_writer.setKeepAlive(false);
        answer = FakeChatRoutes::redirect(request, m_options.redirectTo);
    }
    else if (!FakeChatRoutes::authorized(route.api, request, m_options.requiredApiKey))
        answer = FakeChatRoutes::error(route.api, FakeChatRoutes::Error::Unauthorized, m_options);
    else if (!route.models)
        answer = FakeChatRoutes::rejectInvalid(route.api, request, m_options);
    if (!answer) {
        // Once Options::failureCount is used up, this request goes through as if no failure were set.
        if (!m_server->takeChatFailure(!route.models))
            m_options.failure = Failure::None;
        answer = FakeChatRoutes::failureAnswer(route, m_options, body.value(u"model"_s).toString(m_options.model));
    }
    if (!answer && route.models)
        answer = FakeHttpAnswer{200, FakeChatRoutes::modelsBody(route.api, m_options), {}, false};
    if (answer) {
        m_writer.writeJson(answer->status, answer->body, answer->extraHeaders);
        endResponse();
        return;
    }
    startCompletion(route.api, body);
}

bool FakeLlmConnection::rejectMissingKey(const HttpRequest &request)
{
    if (FakeChatRoutes::authorized(FakeChatApi::OpenAi, request, m_options.requiredApiKey))
        return false;
    m_writer.writeJson(401, FakeCompletionScript::errorBody(401));
    endResponse();
    return true;
}

void FakeLlmConnection::startVectorAnswer(const HttpRequest &request, const QJsonObject &body, bool validJson)
{
    const FakeVectorRoutes::Route route = *FakeVectorRoutes::routeFor(request.method, request.path());
    m_vectorCounted = true;
    m_server->noteVectorRequestStarted(route == FakeVectorRoutes::Route::Rerank,
                                       static_cast<int>(FakeVectorRoutes::inputs(route, body).size()));
    switch (m_options.failure) {
    case Failure::Http401:
    case Failure::Http429:
    case Failure::Http500: {
        const int status = m_options.failure == Failure::Http401 ? 401 : m_options.failure == Failure::Http429 ? 429 : 500;
        m_heldAnswer = {status, FakeCompletionScript::errorBody(status), {}, false};
        if (status == 429)
            m_heldAnswer.extraHeaders = "Retry-After: " + QByteArray::number(m_options.retryAfterSeconds) + "\r\n";
        break;
    }
    default:
        m_heldAnswer = FakeVectorRoutes::answer(route, body, validJson, m_options, m_server->takeVectorFailure());
        break;
    }
    m_state = State::Holding;
    m_stepTimer.start(m_options.vectorDelay);
}

void FakeLlmConnection::sendVectorAnswer()
{
    const FakeHttpAnswer answer = std::exchange(m_heldAnswer, {});
    if (m_vectorCounted) {
        m_vectorCounted = false;
        m_server->noteVectorRequestEnded(false);
    }
    if (answer.cutMidBody) {
        m_writer.writeHead(answer.status, "application/json", answer.body.size(), answer.extraHeaders);
        m_writer.writeRaw(answer.body.first(answer.body.size() / 2));
        closeAfterWrites();
        return;
    }
    m_writer.writeJson(answer.status, answer.body, answer.extraHeaders);
    endResponse();
}

void FakeLlmConnection::startCompletion(FakeChatApi api, const QJsonObject &body)
{
    m_stream = FakeChatRoutes::stream(api, m_options, body, m_server->requestCount());
    m_clock.start();
    m_nextStep = 0;
    const bool streamed = FakeChatRoutes::wantsStream(api, body);

    if (m_options.failure == Failure::KeepAliveDrip) {
        // Counted as a stream, so a client that gives up on it shows as an abort.
        m_state = State::Dripping;
        m_streamCounted = true;
        m_server->noteStreamStarted();
        if (!streamed) {
            // JSON allows whitespace before the value: what real servers send to keep such a reply alive.
            m_stream->contentType = "application/json"_ba;
            m_stream->keepAlive = "\n"_ba;
        }
        m_writer.writeHead(200, m_stream->contentType, -1, "Cache-Control: no-cache\r\n");
        m_stepTimer.start(m_options.dripInterval);
        return;
    }

    if (streamed) {
        m_state = State::Streaming;
        m_streamCounted = true;
        m_server->noteStreamStarted();
        // A slow first byte holds back even the status line until the first token is due.
        m_headPending = true;
        if (m_options.failure != Failure::SlowFirstByte)
            sendStreamHead();
        scheduleNextStep();
        return;
    }

    // A non-streamed answer arrives when the whole generation would have finished.
    m_state = State::Delaying;
    const double generationMs = m_options.tokensPerSecond > 0
        ? 1000.0 * static_cast<double>(m_stream->steps.size()) / m_options.tokensPerSecond
        : 0.0;
    const auto delay = m_options.ttft.count() + static_cast<qint64>(std::ceil(generationMs));
    m_stepTimer.start(std::chrono::milliseconds(delay));
}

void FakeLlmConnection::sendStreamHead()
{
    m_headPending = false;
    m_writer.writeHead(200, m_stream->contentType, -1, "Cache-Control: no-cache\r\n");
    m_writer.writeChunk(m_stream->opening);
}

// Steps are due at ttft + k / tokensPerSecond from the request; scheduling against that clock
// rather than "interval after the previous step" keeps the rate from drifting under load.
void FakeLlmConnection::scheduleNextStep()
{
    const double interval = m_options.tokensPerSecond > 0 ? 1000.0 / m_options.tokensPerSecond : 0.0;
    const double dueMs = static_cast<double>(m_options.ttft.count()) + static_cast<double>(m_nextStep) * interval;
    const qint64 wait = std::max<qint64>(0, static_cast<qint64>(std::ceil(dueMs)) - m_clock.elapsed());
    m_stepTimer.start(std::chrono::milliseconds(wait));
}

void FakeLlmConnection::onStepTimer()
{
    if (m_state == State::Streaming)
        sendDueSteps();
    else if (m_state == State::Delaying)
        answerCompletion();
    else if (m_state == State::Holding)
        sendVectorAnswer();
    else if (m_state == State::Dripping) {
        m_writer.writeChunk(m_stream->keepAlive);
        m_stepTimer.start(m_options.dripInterval);
    }
}

void FakeLlmConnection::sendDueSteps()
{
    if (m_headPending)
        sendStreamHead();
    const QList<QByteArray> &steps = m_stream->steps;
    do {
        if (m_nextStep == m_stream->failureStep && failMidStream())
            return;
        m_writer.writeChunk(steps[m_nextStep]);
        ++m_nextStep;
        if (m_nextStep == steps.size()) {
            finishStream();
            return;
        }
    } while (m_options.tokensPerSecond <= 0); // unpaced: everything at ttft
    scheduleNextStep();
}

bool FakeLlmConnection::failMidStream()
{
    switch (m_options.failure) {
    case Failure::CutMidStream:
        // No terminating chunk: the client sees the connection drop inside the body.
        endStream(false);
        closeAfterWrites();
        return true;
    case Failure::StallMidStream:
        m_state = State::Stalled; // still an active stream until the client gives up
        return true;
    case Failure::ErrorInStream:
        m_writer.writeChunk(m_stream->errorEvent);
        m_writer.writeLastChunk();
        endStream(false);
        endResponse();
        return true;
    default:
        return false;
    }
}

void FakeLlmConnection::finishStream()
{
    m_writer.writeChunk(m_stream->tail);
    m_writer.writeLastChunk();
    endStream(false);
    endResponse();
}

void FakeLlmConnection::answerCompletion()
{
    const QByteArray body = m_stream->wholeBody;
    if (m_options.failure == Failure::CutMidStream || m_options.failure == Failure::StallMidStream) {
        // Promise the whole body, deliver half: the client must not mistake it for an answer.
        m_writer.writeHead(200, "application/json", body.size());
        m_writer.writeRaw(body.first(body.size() / 2));
        if (m_options.failure == Failure::CutMidStream)
            closeAfterWrites();
        else
            m_state = State::Stalled;
        return;
    }
    m_writer.writeJson(200, body);
    endResponse();
}

void FakeLlmConnection::endResponse()
{
    m_stream.reset();
    if (!m_writer.keepAlive()) {
        closeAfterWrites();
        return;
    }
    m_state = State::Idle;
    if (!m_processing)
        processRequests(); // the client may have pipelined the next request meanwhile
}

void FakeLlmConnection::closeAfterWrites()
{
    m_state = State::Closing;
    m_stepTimer.stop();
    m_writer.closeAfterWrites();
}

void FakeLlmConnection::endStream(bool aborted)
{
    if (!m_streamCounted)
        return;
    m_streamCounted = false;
    m_server->noteStreamEnded(aborted);
}

void FakeLlmConnection::onDisconnected()
{
    m_stepTimer.stop();
    m_writer.stop();
    m_state = State::Closing;
    endStream(true); // only counts if the stream had not ended: the client hung up on it
    if (m_vectorCounted) {
        m_vectorCounted = false;
        m_server->noteVectorRequestEnded(true);
    }
    deleteLater();
}

} // namespace ragdesk::testing
