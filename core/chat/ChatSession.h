#pragma once

#include "core/storage/Assistant.h"
#include "core/chat/ConversationBranches.h"
#include "core/chat/ConversationTitle.h"
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

#include <chrono>
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
    /// Whether the first exchange of a new conversation asks the model for a title. The app
    /// turns it on; off by default so tools (ask, bench) and tests see only the turn's requests.
    bool autoTitle = false;
    /// How long that title call may take before the question's own title is kept.
    std::chrono::milliseconds titleTimeout = ConversationTitle::kTimeout;

    /// openProvider for a provider that is already built (tests, the benchmark, the CLI).
    static std::function<QCoro::Task<Result<ProviderHandle>>(QString, QString)> fixed(ProviderHandle handle);
};

/// One conversation in one tab: history in memory, turns streamed from the provider, every
/// message persisted through the DB writer. Lives on the UI thread; never blocks it.
///
/// The messages form a tree (regenerate and edit add siblings); messages() is the path shown,
/// from the root to the conversation's active leaf. Actions that change the tree or the path
/// are ignored while an answer streams or a delete is saved, and report failures through failed().
class ChatSession : public QObject
{
    Q_OBJECT
public:
    explicit ChatSession(ChatServices services, QObject *parent = nullptr);
    ~ChatSession() override;

    /// Loads an existing conversation and shows the path to its active leaf (the newest leaf when
    /// it has none); @p title empty: the stored title. A new session creates its conversation on first send.
    QCoro::Task<Result<void>> open(qint64 conversationId, QString title = {});

    [[nodiscard]] qint64 conversationId() const { return m_state->conversationId; }
    [[nodiscard]] QString title() const { return m_state->title; }
    /// The title the user gave the conversation elsewhere (the sidebar), already stored;
    /// emits titleChanged so the tab follows.
    void setTitle(const QString &title);
    [[nodiscard]] const QList<MessageRecord> &messages() const { return m_state->messages; }
    [[nodiscard]] bool isStreaming() const { return m_state->streaming; }
    /// Streaming, or a delete is being saved: the actions below are ignored until it ends.
    [[nodiscard]] bool isBusy() const { return m_state->streaming || m_state->deleting; }
    [[nodiscard]] TurnMetrics lastMetrics() const { return m_state->lastMetrics; }

    /// Starts a turn: saves the user message, streams the answer. Ignored while streaming.
    void send(const QString &text);
    /// Aborts the streaming answer at once; its partial text is kept as `stopped`.
    void stop();
    /// After an error or a stop: regenerates the last answer (the failed one stays as a version);
    /// when the path ends with an unanswered question, answers it.
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

    /// A new answer to the question before the assistant message at @p index, as its newest
    /// version; the path is cut after the question and the older versions stay browsable.
    void regenerate(int index);
    /// A new version of the user message at @p index with @p text, then its answer; the old
    /// branch stays browsable through showVersion().
    void editAndResend(int index, const QString &text);
    /// Shows version @p version (1-based) of the message at @p index with the newest path
    /// below it, and saves that as the conversation's active leaf.
    void showVersion(int index, int version);
    /// Deletes the message at @p index with every message below it, then shows the newest
    /// remaining path under its parent: the newest remaining sibling's newest leaf, else the
    /// parent itself (for a root, the newest remaining root's). The store moves the active
    /// leaf by the same rule, so a reopened conversation shows the same path.
    void deleteMessage(int index);

    /// The same turn as send(), awaitable; used by the benchmark and tests.
    QCoro::Task<Result<void>> runTurn(QString text);

Q_SIGNALS:
    void messageAdded(int index);
    /// messages() was replaced (another version, a delete, a cut before a regenerate): rebuild.
    void messagesReset();
    /// Text arrived for the message at @p index. Cheap and frequent: views throttle their repaints.
    void messageTextAppended(int index);
    /// The message at @p index got its numbered sources, before its answer streams.
    void sourcesChanged(int index);
    /// The message at @p index reached its final status.
    void messageFinished(int index);
    void streamingChanged(bool streaming);
    void titleChanged(const QString &title);
    void conversationCreated(qint64 id);
    /// open() found the assistant the conversation's last turn used; the tab may switch to it.
    void assistantRestored(qint64 assistantId);
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
        bool deleting = false; ///< a deleteMessage() is being saved
        qint64 assistantId = 0; ///< as stored with the conversation
        ConversationBranches branches; ///< every saved message of the conversation, the shown ones too
        bool alive = true; ///< false from the first line of ~ChatSession: emit nothing after that
        CancelToken cancel;
        TurnMetrics lastMetrics;
        QPointer<ResilientStream> request; ///< the running turn's request, for retryNow()

        /// Shows the path to @p leafId (nothing for 0).
        void showPath(qint64 leafId) { messages = branches.tree().path(leafId); }
    };

    /// What a turn asks and where it goes in the tree.
    struct Turn {
        qsizetype keep = 0;         ///< shown messages kept before the turn; the path is cut after them
        QString question;           ///< the text the answer replies to
        bool addUserMessage = true; ///< false: answer the question at keep - 1 again
    };

    QCoro::Task<Result<void>> answer(Turn turn);
    /// Starts @p turn unless busy; returns whether it started.
    bool start(Turn turn, const char *what);
    QCoro::Task<> removeSubtree(qint64 messageId);
    /// Saves @p leafId as the active leaf; a failure reaches the tab through failed().
    QCoro::Task<> saveActiveLeaf(qint64 leafId);
    /// After the first exchange of a new conversation: the model's title, when it gives one.
    static QCoro::Task<> retitle(std::shared_ptr<State> state, ChatServices services, ProviderHandle handle,
                                 QString question, QString answer, QPointer<ChatSession> self);

    ChatServices m_services;
    QString m_providerId;
    QString m_model;
    Assistant m_assistant;
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace ragdesk
