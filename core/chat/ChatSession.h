#pragma once

#include "core/diagnostics/TurnMetrics.h"
#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <memory>

namespace ragdesk {

class ChatProvider;
class ConversationStore;
class MessageCheckpointer;

/// What a session needs from the rest of the app, passed in instead of looked up.
struct ChatServices {
    ConversationStore *store = nullptr;
    MessageCheckpointer *checkpointer = nullptr;
    /// The provider to use for the next turn (settings may change between turns).
    std::function<std::shared_ptr<ChatProvider>()> provider;
};

/// One conversation in one tab: history in memory, turns streamed from the provider, every
/// message persisted through the DB writer. Lives on the UI thread; never blocks it.
class ChatSession : public QObject
{
    Q_OBJECT
public:
    explicit ChatSession(ChatServices services, QObject *parent = nullptr);
    ~ChatSession() override;

    /// Loads an existing conversation's messages. A new session creates its conversation on first send.
    QCoro::Task<Result<void>> open(qint64 conversationId);

    [[nodiscard]] qint64 conversationId() const { return m_conversationId; }
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] const QList<MessageRecord> &messages() const { return m_messages; }
    [[nodiscard]] bool isStreaming() const { return m_streaming; }
    [[nodiscard]] TurnMetrics lastMetrics() const { return m_lastMetrics; }

    /// Starts a turn: saves the user message, streams the answer. Ignored while streaming.
    void send(const QString &text);
    /// Aborts the streaming answer at once; its partial text is kept as `stopped`.
    void stop();
    /// After an error: drops the failed answer and asks again with the same question.
    void retry();

    /// The same turn as send(), awaitable; used by the benchmark and tests.
    QCoro::Task<Result<void>> runTurn(QString text);

Q_SIGNALS:
    void messageAdded(int index);
    /// Text arrived for the message at @p index. Cheap and frequent: views throttle their repaints.
    void messageTextAppended(int index);
    /// The message at @p index reached its final status.
    void messageFinished(int index);
    void streamingChanged(bool streaming);
    void titleChanged(const QString &title);
    void conversationCreated(qint64 id);
    /// A failure outside any message, e.g. the database could not be written.
    void failed(const QString &message);
    /// The time to first token of the current turn, once known.
    void firstToken(double ttftMs);

private:
    QCoro::Task<Result<void>> ensureConversation(QString firstUserText);
    QCoro::Task<Result<void>> streamAnswer(QElapsedTimer sinceSend);
    void setStreaming(bool streaming);

    ChatServices m_services;
    qint64 m_conversationId = 0;
    QString m_title;
    QList<MessageRecord> m_messages;
    bool m_streaming = false;
    CancelToken m_cancel;
    TurnMetrics m_lastMetrics;
    /// Tells a coroutine resuming after the session died not to touch members.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace ragdesk
