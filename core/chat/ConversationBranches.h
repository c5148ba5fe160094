#pragma once

#include "core/chat/MessageTree.h"
#include "core/storage/ConversationTypes.h"

#include <QList>

namespace ragdesk {

/// Where a message sits among its versions (siblings made by regenerate or edit), 1-based.
struct MessageVersions {
    int current = 1;
    int count = 1;
    bool operator==(const MessageVersions &) const = default;
};

/// The saved messages of the conversation a session shows, as a tree, and the moves the
/// session makes on it: which path to open on, which leaf a version switch or a delete
/// leads to. Pure, no I/O; the session keeps it in step with what it saves.
class ConversationBranches
{
public:
    ConversationBranches() = default;
    explicit ConversationBranches(QList<MessageRecord> stored);

    [[nodiscard]] const MessageTree &tree() const { return m_tree; }
    /// Adds a saved message, or replaces its older copy.
    void remember(const MessageRecord &record);
    /// Drops deleted messages.
    void forget(const QList<qint64> &ids);

    /// The leaf a reopened conversation shows: @p activeLeafId when it is known, else the newest.
    [[nodiscard]] qint64 openingLeaf(qint64 activeLeafId) const;
    /// Of the message @p shown at position @p index of the path shown. A message not saved yet
    /// (a new answer or question while its turn starts) counts as the newest version.
    [[nodiscard]] MessageVersions versionsOf(const MessageRecord &shown, int index) const;
    /// The newest leaf under version @p version (1-based) of message @p id; 0 when there is
    /// no such version or it is @p id itself.
    [[nodiscard]] qint64 leafOfVersion(qint64 id, int version) const;
    /// The parent of @p id as the tree sees it; 0 for a root or an unknown id.
    [[nodiscard]] qint64 parentOf(qint64 id) const;
    /// After a subtree under @p parentId was forgotten: the newest leaf left under the parent
    /// (a remaining sibling's, else the parent itself), or for a root the newest remaining
    /// root's; ConversationStore::deleteMessage moves the active leaf by the same rule.
    [[nodiscard]] qint64 leafAfterDelete(qint64 parentId) const;

private:
    QList<MessageRecord> m_stored;
    MessageTree m_tree;
};

} // namespace ragdesk
