#include "core/chat/MessageTree.h"

#include <QSet>

#include <algorithm>

namespace ragdesk {

MessageTree::MessageTree(const QList<MessageRecord> &messages)
    : m_messages(messages)
{
    // Id 0 means "not stored" and is the roots' key below; such a record has no place here.
    m_messages.removeIf([](const MessageRecord &record) { return record.id <= 0; });
    std::ranges::stable_sort(m_messages, {}, &MessageRecord::id);
    // A duplicated id (never written by the store) keeps its first row only.
    const auto duplicates = std::ranges::unique(m_messages, {}, &MessageRecord::id);
    m_messages.erase(duplicates.begin(), duplicates.end());
    for (qsizetype i = 0; i < m_messages.size(); ++i)
        m_index.insert(m_messages[i].id, i);
    m_children.insert(0, {});
    // In id order, so every child list is oldest first without sorting.
    for (const MessageRecord &record : std::as_const(m_messages))
        m_children[parentOf(record.id)].append(record.id);
}

const MessageRecord *MessageTree::message(qint64 id) const
{
    const auto found = m_index.constFind(id);
    return found == m_index.cend() ? nullptr : &m_messages[*found];
}

qint64 MessageTree::parentOf(qint64 id) const
{
    const MessageRecord *record = message(id);
    if (!record || record->parentId == id || !m_index.contains(record->parentId))
        return 0;
    return record->parentId;
}

QList<MessageRecord> MessageTree::path(qint64 leafId) const
{
    QList<MessageRecord> path;
    QSet<qint64> seen; // a cycle of parent links ends the walk at the first repeat
    for (qint64 id = leafId; id != 0 && contains(id) && !seen.contains(id); id = parentOf(id)) {
        seen.insert(id);
        path.append(*message(id));
    }
    std::ranges::reverse(path);
    return path;
}

QList<qint64> MessageTree::children(qint64 id) const
{
    return m_children.value(id);
}

QList<qint64> MessageTree::siblings(qint64 id) const
{
    return contains(id) ? m_children.value(parentOf(id)) : QList<qint64>{};
}

MessageTree::Version MessageTree::versionOf(qint64 id) const
{
    const QList<qint64> versions = siblings(id);
    const qsizetype index = versions.indexOf(id);
    if (index < 0)
        return {};
    return Version{int(index) + 1, int(versions.size())};
}

qint64 MessageTree::newestLeafUnder(qint64 id) const
{
    if (!contains(id))
        return 0;
    QSet<qint64> seen;
    while (!seen.contains(id)) {
        seen.insert(id);
        const QList<qint64> below = m_children.value(id);
        if (below.isEmpty())
            break;
        id = below.last();
    }
    return id;
}

qint64 MessageTree::latestLeaf() const
{
    const QList<qint64> roots = m_children.value(0);
    if (!roots.isEmpty())
        return newestLeafUnder(roots.last());
    // Only cycles (a damaged database): start from the newest message instead.
    return m_messages.isEmpty() ? 0 : newestLeafUnder(m_messages.last().id);
}

} // namespace ragdesk
