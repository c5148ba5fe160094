#pragma once

#include "core/storage/Assistant.h"
#include "core/chat/TurnPreparation.h"
#include "core/diagnostics/TurnMetrics.h"
#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/llm/ResilientStream.h"
#include "core/llm/RetryPolicy.h"
#include "core/storage/ConversationTypes.h"

#include <QCoroTask>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace ragdesk {

class ChatProvider;
class ConversationStore;
class MessageCheckpointer;

/// What a session needs from the rest of the app, passed in instead of looked up.
struct ChatServices {
    /// Shared, because a turn still saves its answer after its tab (and maybe the window) is gone.
    std::shared_ptr<ConversationStore> store;
    /// Optional; a turn checks it is still alive before staging text.
    QPointer<MessageCheckpointer> checkpointer;
    /// Opens the provider for a turn: (provider id, model), either empty for the default.
    /// Asked once per turn, because settings and keys may change between turns.
    std::function<QCoro::Task<Result<ProviderHandle>>(QString providerId, QString model)> openProvider;
    /// When a failed request is sent again; the default waits 1, 2, 4 s or what Retry-After says.
    RetryPolicy retryPolicy;
    /// Searches the knowledge bases (HybridRetriever::search); empty: chat without documents.
    RetrieveFunction retrieve = {};

    /// openProvider for a provider that is already built (tests, the benchmark, the CLI).
    static std::function<QCoro::Task<Result<ProviderHandle>>(QString, QString)> fixed(ProviderHandle handle);
};

/// Where a message sits among its versions (siblings made by regenerate or edit), 1-based.
struct MessageVersions {
    int current = 1;
    int count = 1;
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
    QCoro::Task<Result<void>> open(qint64 conversationId, QString title = {});

    [[nodiscard]] qint64 conversationId() const { return m_state->conversationId; }
    [[nodiscard]] QString title() const { return m_state->title; }
    [[nodiscard]] const QList<MessageRecord> &messages() const { return m_state->messages; }
    [[nodiscard]] bool isStreaming() const { return m_state->streaming; }
    [[nodiscard]] TurnMetrics lastMetrics() const { return m_state->lastMetrics; }

    /// Starts a turn: saves the user message, streams the answer. Ignored while streaming.
    void send(const QString &text);
    /// Aborts the streaming answer at once; its partial text is kept as `stopped`.
    void stop();
    /// After an error or a stop: asks again with the last question; the failed answer stays in the history.
    void retry();
    /// During a retry countdown: starts the next attempt now.
    void retryNow();

    /// The provider and model the tab picked for the next turns; empty strings mean the
    /// assistant's choice, and if it has none the app's default.
    void setProvider(const QString &providerId, const QString &model);
    [[nodiscard]] QString providerId() const { return m_providerId; }
    [[nodiscard]] QString model() const { return m_model; }

    /// The recipe of the next turns: system prompt, knowledge bases, retrieval and citation
    /// settings, and the provider unless the tab picked one. A running turn keeps its copy.
    void setAssistant(const Assistant &assistant) { m_assistant = assistant; }
    [[nodiscard]] const Assistant &assistant() const { return m_assistant; }

    /// Which version of its turn the message at @p index is; {1, 1} when it has no siblings.
    [[nodiscard]] MessageVersions versionsOf(int index) const;

    /// The same turn as send(), awaitable; used by the benchmark and tests.
    QCoro::Task<Result<void>> runTurn(QString text);

Q_SIGNALS:
    void messageAdded(int index);
    /// Text arrived for the message at @p index. Cheap and frequent: views throttle their repaints.
    void messageTextAppended(int index);
    /// The message at @p index got its numbered sources, before its answer streams.
    void sourcesChanged(int index);
    /// The message at @p index reached its final status.
    void messageFinished(int index);
    void streamingChanged(bool streaming);
    void titleChanged(const QString &title);
    void conversationCreated(qint64 id);
    /// A failure outside any message, e.g. the database could not be written.
    void failed(const QString &message);
    /// The time to first token of the current turn, once known.
    void firstToken(double ttftMs);
    /// The turn waits for a free slot or counts down to a retry; Reason::None when it goes on.
    void waitChanged(const ragdesk::StreamWait &wait);

private:
    /// Everything a running turn touches. The turn's coroutine holds it by shared_ptr, so a tab
    /// closed mid-stream can still save its partial answer after the session object is gone.
    struct State {
        qint64 conversationId = 0;
        QString title;
        QList<MessageRecord> messages;
        bool streaming = false;
        bool alive = true; ///< false from the first line of ~ChatSession: emit nothing after that
        CancelToken cancel;
        TurnMetrics lastMetrics;
        QPointer<ResilientStream> request; ///< the running turn's request, for retryNow()
    };

    QCoro::Task<Result<void>> answer(QString userText, bool addUserMessage);

    ChatServices m_services;
    QString m_providerId;
    QString m_model;
    Assistant m_assistant;
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace ragdesk
