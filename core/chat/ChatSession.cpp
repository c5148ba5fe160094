#include "core/chat/ChatSession.h"

#include "core/chat/CitationResolver.h"
#include "core/foundation/Detach.h"
#include "core/llm/ChatProvider.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcChat, "ragdesk.chat")

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

/// The history the model sees: failed and interrupted answers would only confuse it.
QList<ChatMessage> historyFor(const QList<MessageRecord> &messages, qsizetype upTo)
{
    QList<ChatMessage> history;
    for (qsizetype i = 0; i < upTo; ++i) {
        const MessageRecord &message = messages.at(i);
        if (message.role == u"assistant"_s
            && (message.status == MessageStatus::Error || message.status == MessageStatus::Interrupted
                || message.content.isEmpty()))
            continue;
        history.append({message.role, message.content});
    }
    return history;
}

/// The history before the question the answer at @p answerIndex replies to.
QList<ChatMessage> historyBefore(const QList<MessageRecord> &messages, qsizetype answerIndex)
{
    qsizetype question = answerIndex - 1;
    while (question >= 0 && messages.at(question).role != u"user"_s)
        --question;
    return historyFor(messages, std::max<qsizetype>(0, question));
}

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

/// The pipeline's share of the turn's timings.
void notePreparation(TurnMetrics &metrics, const PreparedTurn &turn)
{
    if (!turn.record)
        return;
    metrics.refineMs = turn.record->refinement.ms;
    metrics.retrievalMs = turn.record->retrievalMs;
    metrics.promptMs = turn.record->promptMs;
}

QCoro::Task<Result<ProviderHandle>> readyProvider(ProviderHandle handle)
{
    co_return handle;
}

/// Failures already reach the tab through the message's status; this only leaves a log line.
QCoro::Task<> logOutcome(QCoro::Task<Result<void>> turn)
{
    const auto result = co_await std::move(turn);
    if (!result && !result.error().isCancelled())
        qCInfo(lcChat) << "turn ended with an error:" << result.error().message;
}

} // namespace

std::function<QCoro::Task<Result<ProviderHandle>>(QString, QString)> ChatServices::fixed(ProviderHandle handle)
{
    // The coroutine takes the handle by value, so the lambda may die while it runs.
    return [handle](QString, QString) { return readyProvider(handle); };
}

ChatSession::ChatSession(ChatServices services, QObject *parent)
    : QObject(parent)
    , m_services(std::move(services))
{
}

ChatSession::~ChatSession()
{
    // Order matters: mark dead first, because cancel() resumes the turn synchronously and the
    // turn must then only save, never emit.
    m_state->alive = false;
    m_state->cancel.cancel();
}

QCoro::Task<Result<void>> ChatSession::open(qint64 conversationId, QString title)
{
    auto state = m_state;
    const auto store = m_services.store;
    QPointer<ChatSession> self(this);
    auto loaded = co_await store->messages(conversationId);
    if (!loaded)
        co_return std::unexpected(loaded.error());
    // Without the row (a damaged profile) the newest leaf is as good a guess as any.
    const auto conversation = co_await store->conversation(conversationId);
    if (!conversation)
        qCWarning(lcChat) << "showing the newest branch:" << conversation.error().message;
    if (!self || !state->alive || state->streaming || state->deleting)
        co_return {};
    state->conversationId = conversationId;
    state->branches = ConversationBranches(std::move(*loaded));
    state->showPath(state->branches.openingLeaf(conversation ? conversation->activeLeafId : 0));
    Q_EMIT self->messagesReset();
    for (qsizetype i = 0; i < state->messages.size(); ++i)
        Q_EMIT self->messageAdded(int(i));
    if (title.isEmpty() && conversation)
        title = conversation->title;
    if (conversation && conversation->assistantId > 0) {
        state->assistantId = conversation->assistantId;
        Q_EMIT self->assistantRestored(conversation->assistantId);
    }
    if (!title.isEmpty()) {
        state->title = title;
        Q_EMIT self->titleChanged(title);
    }
    co_return {};
}

bool ChatSession::start(Turn turn, const char *what)
{
    if (isBusy())
        return false;
    // A new message needs its parent's id: the previous turn must have been saved.
    // (the new question's parent, or the question a new answer replies to)
    if (turn.keep > 0 && m_state->messages.at(turn.keep - 1).id == 0) {
        Q_EMIT failed(u"That message is not saved yet, so it cannot be answered again. Reopen the chat and try again."_s);
        return false;
    }
    detach(logOutcome(answer(std::move(turn))), what);
    return true;
}

void ChatSession::setTitle(const QString &title)
{
    if (title == m_state->title)
        return;
    m_state->title = title;
    Q_EMIT titleChanged(title);
}

void ChatSession::send(const QString &text)
{
    if (isBusy() || text.trimmed().isEmpty())
        return;
    detach(logOutcome(runTurn(text)), "chat turn");
}

void ChatSession::retry()
{
    const auto &messages = m_state->messages;
    if (messages.isEmpty())
        return;
    if (messages.constLast().role == u"user"_s) {
        start({messages.size(), messages.constLast().content, false}, "chat retry");
        return;
    }
    const auto lastAnswer = std::find_if(messages.crbegin(), messages.crend(),
                                         [](const MessageRecord &message) { return message.role == u"assistant"_s; });
    if (lastAnswer != messages.crend())
        regenerate(int(std::distance(lastAnswer, messages.crend()) - 1));
}

void ChatSession::regenerate(int index)
{
    const auto &messages = m_state->messages;
    if (index < 1 || index >= messages.size() || messages.at(index).role != u"assistant"_s
        || messages.at(index - 1).role != u"user"_s)
        return;
    start({index, messages.at(index - 1).content, false}, "chat regenerate");
}

void ChatSession::editAndResend(int index, const QString &text)
{
    const auto &messages = m_state->messages;
    const QString question = text.trimmed();
    if (index < 0 || index >= messages.size() || messages.at(index).role != u"user"_s || question.isEmpty())
        return;
    start({index, question, true}, "chat edit");
}

void ChatSession::showVersion(int index, int version)
{
    State &state = *m_state;
    if (isBusy() || index < 0 || index >= state.messages.size())
        return;
    const qint64 leaf = state.branches.leafOfVersion(state.messages.at(index).id, version);
    if (leaf == 0)
        return;
    state.showPath(leaf);
    Q_EMIT messagesReset();
    detach(saveActiveLeaf(leaf), "chat version switch");
}

void ChatSession::deleteMessage(int index)
{
    if (isBusy() || index < 0 || index >= m_state->messages.size())
        return;
    const qint64 id = m_state->messages.at(index).id;
    if (id == 0) {
        Q_EMIT failed(u"That message is not saved yet, so it cannot be deleted. Reopen the chat and try again."_s);
        return;
    }
    detach(removeSubtree(id), "chat delete");
}

QCoro::Task<> ChatSession::removeSubtree(qint64 messageId)
{
    auto state = m_state;
    const auto store = m_services.store;
    QPointer<ChatSession> self(this);
    const qint64 parentId = state->branches.parentOf(messageId);
    state->deleting = true;
    auto removed = co_await store->deleteMessage(messageId);
    state->deleting = false;
    if (!self || !state->alive)
        co_return;
    if (!removed) {
        Q_EMIT self->failed(u"Could not delete the message: %1"_s.arg(removed.error().message));
        co_return;
    }
    state->branches.forget(*removed);
    state->showPath(state->branches.leafAfterDelete(parentId));
    Q_EMIT self->messagesReset();
    // The store moved the active leaf by the same rule only if it was in the subtree; saying it
    // again keeps the shown path and the stored one equal either way.
    if (!state->messages.isEmpty())
        co_await self->saveActiveLeaf(state->messages.constLast().id);
}

QCoro::Task<> ChatSession::saveActiveLeaf(qint64 leafId)
{
    auto state = m_state;
    QPointer<ChatSession> self(this);
    const auto saved = co_await m_services.store->setActiveLeaf(state->conversationId, leafId);
    if (!saved && self && state->alive)
        Q_EMIT self->failed(u"Could not remember which version is shown: %1"_s.arg(saved.error().message));
}

void ChatSession::retryNow()
{
    if (m_state->request)
        m_state->request->retryNow();
}

void ChatSession::setProvider(const QString &providerId, const QString &model)
{
    m_providerId = providerId;
    m_model = model;
}

MessageVersions ChatSession::versionsOf(int index) const
{
    const State &state = *m_state;
    if (index < 0 || index >= state.messages.size())
        return {};
    return state.branches.versionsOf(state.messages.at(index), index);
}

void ChatSession::stop()
{
    m_state->cancel.cancel();
}

QCoro::Task<Result<void>> ChatSession::runTurn(QString text)
{
    text = text.trimmed();
    if (text.isEmpty())
        co_return fail(Error::Kind::Configuration, u"Type a question first."_s);
    if (isBusy())
        co_return fail(Error::Kind::Configuration, u"An answer is already streaming in this chat."_s);
    co_return co_await answer({m_state->messages.size(), std::move(text), true});
}

QCoro::Task<Result<void>> ChatSession::answer(Turn turn)
{
    const QString userText = turn.question;
    // Shared state and copied services keep this frame valid if the tab closes mid-turn.
    auto state = m_state;
    const ChatServices services = m_services;
    QPointer<ChatSession> self(this);
    const auto alive = [&] { return self && state->alive; };
    const Assistant assistant = m_assistant;
    // The tab's pick wins as a pair: its model belongs to its provider, not the assistant's.
    const bool tabPicked = !m_providerId.isEmpty() || !m_model.isEmpty();
    const QString providerId = tabPicked ? m_providerId : assistant.providerId;
    const QString model = tabPicked ? m_model : assistant.model;

    if (state->streaming || state->deleting)
        co_return fail(Error::Kind::Configuration, u"An answer is already streaming in this chat."_s);
    const bool newConversation = state->conversationId == 0;
    QElapsedTimer sinceSend;
    sinceSend.start();
    state->cancel = CancelToken();
    const CancelToken cancel = state->cancel;
    state->streaming = true;
    Q_EMIT self->streamingChanged(true);

    // The user sees the question and an empty answer at once; the database catches up in parallel
    // so that its commits never add to time-to-first-token.
    if (turn.keep < state->messages.size()) {
        // A regenerate or an edit: the new version replaces the rest of the path on screen.
        state->messages.resize(turn.keep);
        Q_EMIT self->messagesReset();
    }
    qsizetype userIndex = -1;
    if (turn.addUserMessage) {
        MessageRecord user;
        user.conversationId = state->conversationId;
        user.parentId = turn.keep > 0 ? state->messages.at(turn.keep - 1).id : 0;
        user.role = u"user"_s;
        user.content = userText;
        user.status = MessageStatus::Done;
        state->messages.append(user);
        userIndex = state->messages.size() - 1;
        Q_EMIT self->messageAdded(int(userIndex));
    }
    MessageRecord pending;
    pending.role = u"assistant"_s;
    pending.status = MessageStatus::Streaming;
    if (!state->messages.isEmpty())
        pending.parentId = state->messages.constLast().id; // 0 until a new question is saved
    state->messages.append(pending);
    const qsizetype answerIndex = state->messages.size() - 1;
    Q_EMIT self->messageAdded(int(answerIndex));

    // Parameters by value: this coroutine outlives the statement that starts it.
    auto persistStart = [](std::shared_ptr<State> st, std::shared_ptr<ConversationStore> store, qsizetype userIdx,
                           qsizetype answerIdx, QString title, qint64 assistantId,
                           QPointer<ChatSession> owner) -> QCoro::Task<Result<void>> {
        if (st->conversationId == 0) {
            auto created = co_await store->createConversation(title);
            if (!created)
                co_return std::unexpected(created.error());
            st->conversationId = created->id;
            st->title = created->title;
            if (owner && st->alive) {
                Q_EMIT owner->conversationCreated(created->id);
                Q_EMIT owner->titleChanged(created->title);
            }
        }
        for (qsizetype index : {userIdx, answerIdx}) {
            if (index < 0)
                continue;
            MessageRecord record = st->messages.at(index);
            record.conversationId = st->conversationId;
            // The path before the turn is saved, and the question is saved before its answer.
            record.parentId = index > 0 ? st->messages.at(index - 1).id : 0;
            if (index > 0 && record.parentId == 0)
                co_return fail(Error::Kind::Database, u"Could not save the message: the one before it was not saved."_s);
            st->messages[index].parentId = record.parentId;
            record.content.clear(); // the streaming text arrives through checkpoints
            if (record.role == u"user"_s)
                record.content = st->messages.at(index).content;
            auto saved = co_await store->appendMessage(record);
            if (!saved)
                co_return std::unexpected(saved.error());
            st->messages[index].id = saved->id;
            st->messages[index].conversationId = saved->conversationId;
            st->messages[index].createdAt = saved->createdAt;
            st->branches.remember(*saved);
        }
        // Reopened later, the conversation comes back with the assistant of its last turn.
        if (assistantId > 0 && assistantId != st->assistantId) {
            if (auto stored = co_await store->setAssistant(st->conversationId, assistantId); !stored)
                co_return std::unexpected(stored.error());
            st->assistantId = assistantId;
        }
        co_return {};
    };
    auto persisted = persistStart(state, services.store, userIndex, answerIndex, ConversationTitle::fromQuestion(userText),
                                  m_assistant.id, self);

    TurnMetrics metrics;
    std::optional<Error> failure;
    int deltas = 0;
    std::optional<RetrievalRecord> record;
    auto handle = services.openProvider ? co_await services.openProvider(providerId, model)
                                        : Result<ProviderHandle>(ProviderHandle{});
    std::optional<PreparedTurn> prepared;
    if (!handle) {
        failure = handle.error();
    } else {
        TurnPreparation::Input input{assistant, historyBefore(state->messages, answerIndex), userText};
        if (services.retrieve && assistant.usesDocuments()) {
            auto ready = co_await TurnPreparation::prepare(std::move(input), *handle, services.retrieve, cancel);
            if (ready)
                prepared = std::move(*ready);
            else
                failure = ready.error();
        } else {
            prepared = TurnPreparation::withoutDocuments(input);
        }
    }
    if (prepared) {
        notePreparation(metrics, *prepared);
        record = prepared->record;
        // The chips can show while the answer streams; the markers come once it is complete.
        state->messages[answerIndex].sources = prepared->sources;
        if (alive() && !prepared->sources.isEmpty())
            Q_EMIT self->sourcesChanged(int(answerIndex));
    }
    if (prepared && prepared->replyWithText) {
        state->messages[answerIndex].content = assistant.emptyResponse;
        if (alive())
            Q_EMIT self->messageTextAppended(int(answerIndex));
    } else if (prepared) {
        // Owned by this frame, not the session: the turn may outlive its tab.
        auto request = std::make_unique<ResilientStream>(*handle, services.retryPolicy);
        state->request = request.get();
        if (alive())
            connect(request.get(), &ResilientStream::waiting, self, &ChatSession::waitChanged);
        // No model here: the provider was opened with the tab's model (or its default).
        ChatRequest chat;
        chat.messages = std::move(prepared->messages);
        chat.temperature = assistant.temperature;
        metrics.overheadMs = msSince(sinceSend);
        auto stream = request->run(std::move(chat), cancel);
        auto it = co_await stream.begin();
        while (it != stream.end()) {
            StreamChunk &chunk = *it;
            if (chunk.error) {
                failure = std::move(chunk.error);
                break;
            }
            if (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty()) {
                MessageRecord &message = state->messages[answerIndex];
                message.content += chunk.content;
                message.reasoning += chunk.reasoning;
                ++deltas;
                if (metrics.ttftMs < 0) {
                    metrics.ttftMs = msSince(sinceSend);
                    if (alive())
                        Q_EMIT self->firstToken(metrics.ttftMs);
                }
                if (message.id != 0 && services.checkpointer)
                    services.checkpointer->stage(message.id, message.content, message.reasoning);
                if (alive())
                    Q_EMIT self->messageTextAppended(int(answerIndex));
            }
            if (chunk.usage) {
                metrics.completionTokens = chunk.usage->completionTokens;
                metrics.promptTokens = chunk.usage->promptTokens;
            }
            co_await ++it;
        }
    }
    metrics.totalMs = msSince(sinceSend);
    if (metrics.completionTokens < 0)
        metrics.completionTokens = deltas;
    if (metrics.ttftMs >= 0 && metrics.totalMs > metrics.ttftMs && metrics.completionTokens > 1)
        metrics.tokensPerSecond = (metrics.completionTokens - 1) / ((metrics.totalMs - metrics.ttftMs) / 1000.0);

    MessageRecord &message = state->messages[answerIndex];
    if (!failure)
        message.status = MessageStatus::Done;
    else if (failure->isCancelled())
        message.status = MessageStatus::Stopped;
    else {
        message.status = MessageStatus::Error;
        message.errorText = failure->message;
    }
    if (!message.sources.isEmpty())
        message.citations = CitationResolver::markers(message.content, message.sources, assistant.citations);
    if (record)
        message.retrieval = record->toJson();
    message.metrics = metrics.toJson();
    state->lastMetrics = metrics;

    auto saved = co_await std::move(persisted);
    Result<void> outcome;
    if (!saved) {
        outcome = std::unexpected(saved.error());
    } else {
        const MessageRecord final = state->messages.at(answerIndex);
        if (services.checkpointer)
            services.checkpointer->forget(final.id);
        outcome = co_await services.store->finishMessage(final);
        if (outcome) {
            state->branches.remember(final);
            // appendMessage made the answer the active leaf at the start, so a crash mid-turn
            // reopens on this branch; saying it again covers a switch made elsewhere meanwhile.
            outcome = co_await services.store->setActiveLeaf(final.conversationId, final.id);
        }
    }
    state->streaming = false;
    if (alive()) {
        if (!outcome)
            Q_EMIT self->failed(outcome.error().message);
        Q_EMIT self->messageFinished(int(answerIndex));
        Q_EMIT self->streamingChanged(false);
    }
    if (!outcome)
        co_return outcome;
    if (failure)
        co_return std::unexpected(*failure);
    if (newConversation && services.autoTitle && handle && !prepared->replyWithText)
        co_await retitle(state, services, *handle, userText, state->messages.at(answerIndex).content, self);
    co_return {};
}

QCoro::Task<> ChatSession::retitle(std::shared_ptr<State> state, ChatServices services, ProviderHandle handle,
                                   QString question, QString answer, QPointer<ChatSession> self)
{
    // The tab's cancel token: closing the tab ends the call, and the question's title stays.
    const QString title = co_await ConversationTitle::suggest(std::move(handle), std::move(question), std::move(answer),
                                                              state->cancel, services.titleTimeout);
    if (title.isEmpty())
        co_return; // no reply, a timeout or nothing usable: the question's title stays
    const auto renamed = co_await services.store->renameConversation(state->conversationId, title);
    if (!renamed) {
        qCInfo(lcChat) << "keeping the conversation's title:" << renamed.error().message;
        co_return;
    }
    state->title = title;
    if (self && state->alive)
        Q_EMIT self->titleChanged(title);
}

} // namespace ragdesk
