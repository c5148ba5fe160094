#pragma once

#include "core/storage/Citation.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

namespace ragdesk {

enum class MessageStatus {
    Streaming,   ///< being written; checkpointed while text arrives
    Done,
    Stopped,     ///< the user pressed Stop; partial text kept
    Error,       ///< failed; partial text kept, errorText says why
    Interrupted, ///< was Streaming when the app died; set on the next start
};

QString messageStatusName(MessageStatus status);
MessageStatus messageStatusFromString(const QString &text);

struct Conversation {
    qint64 id = 0;
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
    qint64 assistantId = 0; ///< the assistant of its last turn; 0: none (or it was deleted)
    bool pinned = false; ///< pinned conversations head the sidebar
    /// The newest message of the branch on screen. Messages form a tree (regenerate and edit
    /// add siblings); the conversation shows the path from the root to this leaf.
    qint64 activeLeafId = 0;
};

struct MessageRecord {
    qint64 id = 0;
    qint64 conversationId = 0;
    QString role; ///< "user" or "assistant"
    QString content;
    QString reasoning;
    MessageStatus status = MessageStatus::Done;
    QString errorText;
    QDateTime createdAt;
    QDateTime updatedAt;
    QJsonObject metrics; ///< ttft_ms, tokens_per_s, total_ms, prompt/completion tokens
    /// The message this one answers or follows; 0 for the first. Siblings (same parent) are the
    /// versions a regenerate or an edit made, oldest first.
    qint64 parentId = 0;
    /// Every source the prompt listed, numbered as the model saw them (the "show all retrieved"
    /// list); copies, so they survive re-indexing and deletion of the document.
    QList<CitationSnapshot> sources;
    /// The markers in content, parsed or (when the model cited nothing) inferred.
    QList<CitationMarker> citations;
    /// For the retrieval inspector: the query searched, stage timings, the hits with their
    /// scores and the final prompt text. Empty for user messages and turns without documents.
    QJsonObject retrieval;
};

/// Text with the spans that matched a search, for highlighting without parsing markup. Storage's
/// own twin of retrieval's HighlightedText (storage cannot include retrieval).
struct MatchedText {
    QString text;
    QList<std::pair<qsizetype, qsizetype>> spans; ///< (start, length) into text, ascending

    bool operator==(const MatchedText &) const = default;
};

/// One conversation found by ConversationStore::searchConversations.
struct ConversationSearchHit {
    qint64 conversationId = 0;
    MatchedText title; ///< the whole title; spans where the query matched it
    bool pinned = false;
    QDateTime updatedAt;
    qint64 messageId = 0; ///< the best matching message; 0 when only the title matched
    MatchedText snippet;  ///< a short excerpt of that message around the matched terms
};

/// The latest text of a streaming message, written in a batch by MessageCheckpointer.
struct MessageCheckpoint {
    qint64 messageId = 0;
    QString content;
    QString reasoning;
};

} // namespace ragdesk
