#pragma once

#include "core/llm/StreamDeadlines.h"

#include <QPointer>
#include <QTimer>

#include <optional>

class QNetworkReply;

namespace ragdesk {

/// Ends a reply when one of its StreamDeadlines expires, so the streaming coroutine can wait
/// on the reply alone (no timed waits: many short ones left stray wake-ups behind). One timer,
/// re-armed for whichever clock runs out first; lives in the coroutine's frame.
class DeadlineWatchdog
{
public:
    DeadlineWatchdog(QNetworkReply *reply, const ProviderSettings &settings);
    DeadlineWatchdog(const DeadlineWatchdog &) = delete;
    DeadlineWatchdog &operator=(const DeadlineWatchdog &) = delete;

    /// Bytes arrived: the idle clock starts over.
    void noteBytes();
    [[nodiscard]] bool anyByte() const { return m_deadlines.anyByte(); }
    /// The clock that ran out and aborted the reply, if one did.
    [[nodiscard]] std::optional<StreamDeadlines::Limit> expired() const { return m_expired; }
    [[nodiscard]] QString explain(StreamDeadlines::Limit limit, const QString &where) const
    {
        return m_deadlines.explain(limit, where);
    }

private:
    void rearm();

    QPointer<QNetworkReply> m_reply;
    StreamDeadlines m_deadlines;
    QTimer m_timer;
    std::optional<StreamDeadlines::Limit> m_expired;
};

} // namespace ragdesk
