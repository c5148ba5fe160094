#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class ProfileDatabase;

/// Conversations and their messages in profile.db. Every call runs on the database threads
/// (writes on the single writer, reads on the reader pool) and is awaited by the caller.
class ConversationStore
{
public:
    explicit ConversationStore(std::shared_ptr<ProfileDatabase> database);

    QCoro::Task<Result<Conversation>> createConversation(QString title);
    /// Most recently updated first.
    QCoro::Task<Result<QList<Conversation>>> listConversations(int limit = 500);
    QCoro::Task<Result<void>> renameConversation(qint64 id, QString title);
    QCoro::Task<Result<void>> deleteConversation(qint64 id);

    /// Oldest first.
    QCoro::Task<Result<QList<MessageRecord>>> messages(qint64 conversationId);
    /// Inserts @p message and returns it with id and timestamps set; bumps the conversation's updated time.
    QCoro::Task<Result<MessageRecord>> appendMessage(MessageRecord message);
    /// Writes the text of several streaming messages in one transaction; rows no longer
    /// `streaming` are left alone so a late checkpoint never overwrites a final answer.
    QCoro::Task<Result<void>> checkpoint(QList<MessageCheckpoint> batch);
    /// Final content, reasoning, status, error text and metrics of @p message (by id).
    QCoro::Task<Result<void>> finishMessage(MessageRecord message);
    /// Turns every `streaming` message left by a previous run into `interrupted`; returns how many.
    QCoro::Task<Result<int>> markInterrupted();

private:
    std::shared_ptr<ProfileDatabase> m_database;
};

} // namespace ragdesk
