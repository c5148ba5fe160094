#pragma once

#include "core/storage/ConversationTypes.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace ragdesk {

class ConversationStore;

/// Coalesces the partial text of every streaming message and writes it in one transaction per
/// interval, so twenty tabs streaming cost a few commits a second instead of one per token.
/// Lives on the UI thread; the writes themselves run on the DB writer thread.
class MessageCheckpointer : public QObject
{
    Q_OBJECT
public:
    /// @p interval bounds what a crash can lose (DESIGN: at most 500 ms of text).
    explicit MessageCheckpointer(ConversationStore *store,
                                 std::chrono::milliseconds interval = std::chrono::milliseconds(250),
                                 QObject *parent = nullptr);

    /// Records the latest text of a streaming message; written at the next flush.
    void stage(qint64 messageId, const QString &content, const QString &reasoning);
    /// Drops a staged entry, called just before the message's final write.
    void forget(qint64 messageId);

    [[nodiscard]] int pendingCount() const { return int(m_pending.size()); }
    /// Total transactions issued, for tests and the benchmark.
    [[nodiscard]] int flushCount() const { return m_flushes; }

public Q_SLOTS:
    void flush();

private:
    ConversationStore *m_store;
    QTimer m_timer;
    QHash<qint64, MessageCheckpoint> m_pending;
    int m_flushes = 0;
};

} // namespace ragdesk
