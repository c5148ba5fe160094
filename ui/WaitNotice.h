#pragma once

#include "core/llm/ChatTypes.h"
#include "ui/RoundedPanel.h"

#include <QTimer>

class QLabel;
class QPushButton;

namespace ragdesk {

/// The strip above the composer while a turn waits before streaming: "Waiting for a free slot
/// (2 ahead)" when the provider's concurrency cap is reached, or "Rate limited (HTTP 429);
/// retrying in 7 s" with Retry now. Cancel is always there. Hidden when the wait ends.
class WaitNotice : public RoundedPanel
{
    Q_OBJECT
public:
    explicit WaitNotice(QWidget *parent = nullptr);

    /// Shows @p wait, or hides the notice for Reason::None.
    void showWait(const StreamWait &wait);
    [[nodiscard]] QString text() const;

Q_SIGNALS:
    void retryNowRequested();
    void cancelRequested();

private:
    void updateText();

    StreamWait m_wait;
    QLabel *m_text;
    QPushButton *m_retryNow;
    QPushButton *m_cancel;
    QTimer m_tick; ///< the countdown's seconds, only while counting
};

} // namespace ragdesk
