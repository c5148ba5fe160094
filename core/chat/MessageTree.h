#pragma once

#include "core/storage/ConversationTypes.h"

#include <QHash>
#include <QList>

namespace ragdesk {

/// The messages of one conversation as the tree they form: a regenerate or an edit adds a
/// sibling (a new version), and the conversation shows the path from a root to its active leaf.
/// Pure, no I/O. "Oldest" and "newest" mean by id, which is creation order.
///
/// Built from what the database holds, so it tolerates damage: a parent that is unknown (or
/// the message itself) makes a root, and a cycle of parent links never makes a walk loop.
class MessageTree
{
public:
    /// The position of a message among its siblings, 1-based ("2 / 3"); {0, 0} for an unknown id.
    struct Version {
        int current = 0;
        int count = 0;
        bool operator==(const Version &) const = default;
    };

    MessageTree() = default;
    /// @p messages: every message of the conversation (ConversationStore::messages), any order.
    explicit MessageTree(const QList<MessageRecord> &messages);

    [[nodiscard]] bool isEmpty() const { return m_messages.isEmpty(); }
    [[nodiscard]] bool contains(qint64 id) const { return m_index.contains(id); }
    /// nullptr for an unknown id. Valid as long as the tree is.
    [[nodiscard]] const MessageRecord *message(qint64 id) const;

    /// Root to @p leafId, inclusive; empty for an unknown id.
    [[nodiscard]] QList<MessageRecord> path(qint64 leafId) const;
    /// The ids of @p id's children, oldest first; @p id 0: the roots.
    [[nodiscard]] QList<qint64> children(qint64 id) const;
    /// The ids of the messages sharing @p id's parent, itself included, oldest first.
    [[nodiscard]] QList<qint64> siblings(qint64 id) const;
    [[nodiscard]] Version versionOf(qint64 id) const;
    /// From @p id, follows the newest child until a message without children; @p id itself
    /// when it has none; 0 for an unknown id.
    [[nodiscard]] qint64 newestLeafUnder(qint64 id) const;
    /// For a conversation without an active leaf: the newest leaf under the newest root (as
    /// ConversationStore picks one); 0 when empty.
    [[nodiscard]] qint64 latestLeaf() const;

private:
    /// The parent a message is treated as having: 0 (a root) when its own is unknown or itself.
    [[nodiscard]] qint64 parentOf(qint64 id) const;

    QList<MessageRecord> m_messages; // by id
    QHash<qint64, qsizetype> m_index;
    QHash<qint64, QList<qint64>> m_children; // key 0: the roots; each list by id
};

} // namespace ragdesk
