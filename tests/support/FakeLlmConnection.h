#pragma once

#include "tests/support/FakeChatRoutes.h"
#include "tests/support/FakeChatStream.h"
#include "tests/support/FakeHttpWriter.h"
#include "tests/support/FakeLlmOptions.h"
#include "tests/support/FakeVectorRoutes.h"
#include "tests/support/HttpRequestParser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace ragdesk::testing {

class FakeLlmServer;

/// One accepted socket of FakeLlmServer: reads HTTP/1.1 requests as they trickle in, answers
/// them in order on the same connection (keep-alive, pipelining), and paces a streamed answer
/// with its own timer so many connections stream at once on one thread. Deletes itself when
/// the socket closes.
class FakeLlmConnection : public QObject
{
    Q_OBJECT
public:
    FakeLlmConnection(QTcpSocket *socket, FakeLlmServer *server);
    ~FakeLlmConnection() override;

private:
    enum class State {
        Idle,      ///< waiting for (the rest of) a request
        Delaying,  ///< a non-streamed answer is held back for ttft plus generation time
        Holding,   ///< an embedding or rerank answer is held back for vectorDelay
        Streaming, ///< an event stream is going out step by step
        Dripping,  ///< a scripted drip: keep-alives every dripInterval, never a token
        Stalled,   ///< a scripted stall: nothing more will be sent
        Closing,   ///< the server decided to close; queued writes drain first
    };

    void readRequests();
    void processRequests();
    void handle(const HttpRequest &request);
    void handleChatRoute(const FakeChatRoute &route, const HttpRequest &request, const QJsonObject &body);
    void startCompletion(FakeChatApi api, const QJsonObject &body);
    void sendStreamHead();
    bool rejectMissingKey(const HttpRequest &request);
    void startVectorAnswer(const HttpRequest &request, const QJsonObject &body, bool validJson);
    void sendVectorAnswer();

    void scheduleNextStep();
    void onStepTimer();
    void sendDueSteps();
    bool failMidStream();
    void finishStream();
    void answerCompletion();

    void endResponse();
    void closeAfterWrites();
    void endStream(bool aborted);
    void onDisconnected();

    QTcpSocket *m_socket;
    FakeLlmServer *m_server;
    HttpRequestParser m_parser;
    FakeHttpWriter m_writer;
    State m_state = State::Idle;
    bool m_processing = false;    ///< inside processRequests(), which loops by itself
    bool m_streamCounted = false; ///< the server counts a stream of ours as active
    bool m_vectorCounted = false; ///< the server counts a vector request of ours as active
    FakeHttpAnswer m_heldAnswer;  ///< the vector answer waiting out vectorDelay
    FakeLlmOptions m_options;     ///< copy taken when the current request arrived
    std::optional<FakeChatStream> m_stream; ///< the chat answer in progress
    bool m_headPending = false;             ///< a slow first byte holds the stream's headers back
    qsizetype m_nextStep = 0;
    QElapsedTimer m_clock; ///< started when the current request was complete
    QTimer m_stepTimer;
};

} // namespace ragdesk::testing
