#include "ui/WaitNotice.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

WaitNotice::WaitNotice(QWidget *parent)
    : RoundedPanel(Tone::Input, parent)
    , m_text(new QLabel(this))
    , m_retryNow(new QPushButton(tr("Retry &now"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(u"waitNotice"_s);
    m_text->setObjectName(u"waitText"_s);
    m_retryNow->setObjectName(u"retryNowButton"_s);
    m_cancel->setObjectName(u"cancelWaitButton"_s);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 8, 6);
    layout->setSpacing(10);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retryNow, 0, Qt::AlignVCenter);
    layout->addWidget(m_cancel, 0, Qt::AlignVCenter);

    m_tick.setInterval(1s);
    connect(&m_tick, &QTimer::timeout, this, &WaitNotice::updateText);
    connect(m_retryNow, &QPushButton::clicked, this, &WaitNotice::retryNowRequested);
    connect(m_cancel, &QPushButton::clicked, this, &WaitNotice::cancelRequested);
    hide();
}

void WaitNotice::showWait(const StreamWait &wait)
{
    m_wait = wait;
    if (wait.reason == StreamWait::Reason::None) {
        m_tick.stop();
        hide();
        return;
    }
    const bool countingDown = wait.reason == StreamWait::Reason::RetryBackoff;
    m_retryNow->setVisible(countingDown);
    if (countingDown)
        m_tick.start();
    else
        m_tick.stop();
    updateText();
    show();
}

QString WaitNotice::text() const
{
    return m_text->text();
}

void WaitNotice::updateText()
{
    if (m_wait.reason == StreamWait::Reason::QueuedForSlot) {
        m_text->setText(m_wait.ahead == 0 ? tr("Waiting for a free slot (next in line)…")
                                          : tr("Waiting for a free slot (%n ahead)…", nullptr, m_wait.ahead));
        return;
    }
    const qint64 msLeft = QDateTime::currentDateTimeUtc().msecsTo(m_wait.until);
    const qint64 secondsLeft = std::max<qint64>(0, (msLeft + 999) / 1000);
    // The policy's reason already says what failed; the countdown replaces its static delay.
    QString what = m_wait.why.section(u';', 0, 0);
    if (!what.isEmpty())
        what[0] = what[0].toUpper();
    m_text->setText(tr("%1. Attempt %2 starts in %n s…", nullptr, int(secondsLeft)).arg(what).arg(m_wait.nextAttempt));
}

} // namespace ragdesk
