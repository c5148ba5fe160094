#include "core/storage/MessageCheckpointer.h"

#include "core/foundation/Detach.h"
#include "core/storage/ConversationStore.h"

#include <QLoggingCategory>

namespace ragdesk {

namespace {
Q_LOGGING_CATEGORY(lcCheckpointer, "ragdesk.storage.checkpointer")

/// Awaits one batch write; takes the task by value so nothing of the checkpointer is needed
/// once the write is queued.
QCoro::Task<> awaitBatch(QCoro::Task<Result<void>> write, qsizetype entries)
{
    const auto written = co_await std::move(write);
    // Losing one checkpoint costs at most an interval of text, and the final write still comes.
    if (!written)
        qCWarning(lcCheckpointer) << "checkpoint of" << entries << "messages failed:" << written.error().message
                                  << written.error().detail;
}
} // namespace

MessageCheckpointer::MessageCheckpointer(ConversationStore *store, std::chrono::milliseconds interval, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &MessageCheckpointer::flush);
}

void MessageCheckpointer::stage(qint64 messageId, const QString &content, const QString &reasoning)
{
    // Only the newest text matters: every checkpoint rewrites the whole message.
    m_pending.insert(messageId, MessageCheckpoint{messageId, content, reasoning});
    // Not restarted when running, or a steady stream of deltas would postpone the write forever.
    if (!m_timer.isActive())
        m_timer.start();
}

void MessageCheckpointer::forget(qint64 messageId)
{
    m_pending.remove(messageId);
    if (m_pending.isEmpty())
        m_timer.stop();
}

void MessageCheckpointer::flush()
{
    // Idle when nothing is pending; the next stage() starts the timer again.
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    QList<MessageCheckpoint> batch = m_pending.values();
    m_pending.clear();
    ++m_flushes;
    const auto entries = batch.size();
    // checkpoint() queues its job on the writer before returning, and the writer runs jobs in
    // order, so a later finishMessage() for the same message always lands after this batch.
    detach(awaitBatch(m_store->checkpoint(std::move(batch)), entries), "checkpoint");
}

} // namespace ragdesk
