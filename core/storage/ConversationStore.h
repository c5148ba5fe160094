#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class ProfileDatabase;

/// Conversations and their messages in profile.db. Every call runs on the database threads
/// (writes on the single writer, reads on the reader pool) and is awaited by the caller.
///
/// Messages form a tree per conversation (see MessageRecord::parentId); a conversation shows
/// the path to its active leaf. Deleting a conversation is a soft delete the user can undo
/// until purgeDeleted() runs.
class ConversationStore
{
public:
    explicit ConversationStore(std::shared_ptr<ProfileDatabase> database);

    QCoro::Task<Result<Conversation>> createConversation(QString title);
    /// Pinned first, then most recently updated first; soft-deleted conversations are left out.
    QCoro::Task<Result<QList<Conversation>>> listConversations(int limit = 500);
    /// One conversation by id, soft-deleted or not (a tab may still show it); an error when it
    /// does not exist.
    QCoro::Task<Result<Conversation>> conversation(qint64 id);
    QCoro::Task<Result<void>> renameConversation(qint64 id, QString title);
    QCoro::Task<Result<void>> setPinned(qint64 id, bool pinned);
    /// @p assistantId 0: none.
    QCoro::Task<Result<void>> setAssistant(qint64 conversationId, qint64 assistantId);
    /// @p messageId must be a message of the conversation.
    QCoro::Task<Result<void>> setActiveLeaf(qint64 conversationId, qint64 messageId);

    /// Soft delete: hidden from the list and from search until restored or purged. Deleting a
    /// conversation that is already gone succeeds.
    QCoro::Task<Result<void>> deleteConversation(qint64 id);
    /// Undo of deleteConversation; fails once the conversation has been purged.
    QCoro::Task<Result<void>> restoreConversation(qint64 id);
    /// Removes every soft-deleted conversation with its messages for good; returns how many.
    /// The app calls it at start and at quit.
    QCoro::Task<Result<int>> purgeDeleted();

    /// Every message of the conversation (the whole tree), oldest first.
    QCoro::Task<Result<QList<MessageRecord>>> messages(qint64 conversationId);
    /// Inserts @p message (parentId 0: a root) and returns it with id and timestamps set. The new
    /// message becomes the conversation's active leaf, and the conversation's updated time moves.
    QCoro::Task<Result<MessageRecord>> appendMessage(MessageRecord message);
    /// Writes the text of several streaming messages in one transaction; rows no longer
    /// `streaming` are left alone so a late checkpoint never overwrites a final answer.
    QCoro::Task<Result<void>> checkpoint(QList<MessageCheckpoint> batch);
    /// Final content, reasoning, status, error text, metrics, sources, citations and retrieval
    /// record of @p message (by id).
    QCoro::Task<Result<void>> finishMessage(MessageRecord message);
    /// Turns every `streaming` message left by a previous run into `interrupted`; returns how many.
    QCoro::Task<Result<int>> markInterrupted();
    /// Removes the message and every message below it; returns the ids removed (none when it
    /// was already gone). If the active leaf was among them, the new active leaf is the newest
    /// leaf under the deleted message's parent (following the newest child down from the
    /// parent, which is itself the leaf when it has no children left); for a deleted root, the
    /// same from the newest remaining root, or none when the conversation is empty.
    QCoro::Task<Result<QList<qint64>>> deleteMessage(qint64 messageId);

    /// Conversations whose title or messages match @p query, at most @p limit: title matches
    /// first, then by the relevance of their best message. Any text is a valid query (see
    /// FtsQuery); soft-deleted conversations are left out.
    QCoro::Task<Result<QList<ConversationSearchHit>>> searchConversations(QString query, int limit = 50);

    /// Stores @p conversation with @p messages in one transaction, under new ids: parent ids and
    /// the active leaf are remapped; unknown parents (and cycles) make roots. Its assistant is
    /// kept only if this profile has one with that id. Returns the stored conversation.
    QCoro::Task<Result<Conversation>> importConversation(Conversation conversation, QList<MessageRecord> messages);

private:
    std::shared_ptr<ProfileDatabase> m_database;
};

} // namespace ragdesk
