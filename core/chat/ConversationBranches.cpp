#include "core/chat/ConversationBranches.h"

#include <algorithm>

namespace ragdesk {

ConversationBranches::ConversationBranches(QList<MessageRecord> stored)
    : m_stored(std::move(stored))
    , m_tree(m_stored)
{
}

// Both rebuild the whole tree: a conversation holds hundreds of messages, not millions, and
// they run once per saved message, not per token.
void ConversationBranches::remember(const MessageRecord &record)
{
    const auto known = std::ranges::find(m_stored, record.id, &MessageRecord::id);
    if (known != m_stored.end())
        *known = record;
    else
        m_stored.append(record);
    m_tree = MessageTree(m_stored);
}

void ConversationBranches::forget(const QList<qint64> &ids)
{
    m_stored.removeIf([&](const MessageRecord &record) { return ids.contains(record.id); });
    m_tree = MessageTree(m_stored);
}

qint64 ConversationBranches::openingLeaf(qint64 activeLeafId) const
{
    return m_tree.contains(activeLeafId) ? activeLeafId : m_tree.latestLeaf();
}

MessageVersions ConversationBranches::versionsOf(const MessageRecord &shown, int index) const
{
    if (m_tree.contains(shown.id)) {
        const MessageTree::Version version = m_tree.versionOf(shown.id);
        return {version.current, version.count};
    }
    if (index > 0 && !m_tree.contains(shown.parentId))
        return {}; // its parent is not saved yet either: nothing to count
    const qint64 parent = index == 0 ? 0 : shown.parentId;
    const int count = int(m_tree.children(parent).size()) + 1;
    return {count, count};
}

qint64 ConversationBranches::leafOfVersion(qint64 id, int version) const
{
    const QList<qint64> versions = m_tree.siblings(id);
    if (version < 1 || version > versions.size() || versions.at(version - 1) == id)
        return 0;
    return m_tree.newestLeafUnder(versions.at(version - 1));
}

qint64 ConversationBranches::parentOf(qint64 id) const
{
    const MessageRecord *record = m_tree.message(id);
    return record && record->parentId != id && m_tree.contains(record->parentId) ? record->parentId : 0;
}

qint64 ConversationBranches::leafAfterDelete(qint64 parentId) const
{
    return m_tree.contains(parentId) ? m_tree.newestLeafUnder(parentId) : m_tree.latestLeaf();
}

} // namespace ragdesk
