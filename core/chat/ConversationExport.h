#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ragdesk {

/// A conversation with every message of its tree, as exported and imported.
struct ConversationWithMessages {
    Conversation conversation;
    QList<MessageRecord> messages;
};

/// Conversations to and from files: Markdown to read or share one branch, and a versioned JSON
/// document that keeps everything (the whole tree, sources, citations, metrics) for re-import.
/// Pure: the caller reads and writes the files and stores what fromJson returns
/// (ConversationStore::importConversation).
class ConversationExport
{
public:
    static constexpr int formatVersion = 1;

    /// The title, then each turn under "You" / "Assistant" with the answer's cited sources
    /// (document, page) after it. Reasoning is left out. @p path: root to leaf, as shown.
    static QString toMarkdown(const Conversation &conversation, const QList<MessageRecord> &path);
    /// {"format": "ragdesk.conversation", "version": 1, "conversation": {...}, "messages": [...]}
    static QByteArray toJson(const Conversation &conversation, const QList<MessageRecord> &messages);
    /// {"format": "ragdesk.conversations", "version": 1, "conversations": [{"conversation", "messages"}, ...]}
    static QByteArray exportAllJson(const QList<ConversationWithMessages> &conversations);

    /// Reads either document. Ids in the result are the file's own (importConversation assigns
    /// new ones). Refuses, with a sentence saying what is wrong, anything that is not such a
    /// document: another format or version, a missing or mistyped field, an id that is not a
    /// positive integer or appears twice, a parent that is not in the file, a cycle of parents.
    static Result<QList<ConversationWithMessages>> fromJson(const QByteArray &json);

    ConversationExport() = delete;
};

} // namespace ragdesk
