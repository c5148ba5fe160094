#include "ui/SearchSummaryPanel.h"

#include "core/chat/SearchSummary.h"
#include "ui/AppTheme.h"
#include "ui/AssistantPicker.h"
#include "ui/MessageView.h"
#include "ui/markdown/ViewAnchor.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

SearchSummaryPanel::SearchSummaryPanel(SearchSummary *summary, const KSyntaxHighlighting::Repository *syntax,
                                       AssistantCatalog *assistants, QWidget *parent)
    : QWidget(parent)
    , m_summary(summary)
    , m_title(new QLabel(tr("AI summary"), this))
    , m_status(new QLabel(this))
    , m_stop(new QToolButton(this))
    , m_retry(new QToolButton(this))
    , m_close(new QToolButton(this))
    , m_view(new MessageView(syntax, this))
{
    setObjectName(u"searchSummaryPanel"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_status->setObjectName(u"searchSummaryStatus"_s);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    // A long server message must not widen the tab; it is elided to the line and kept whole in the tooltip.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_stop->setObjectName(u"searchSummaryStop"_s);
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop the summary; what arrived stays"));
    m_retry->setObjectName(u"searchSummaryRetry"_s);
    m_retry->setText(tr("Retry"));
    m_retry->setToolTip(tr("Summarise the results again"));
    m_close->setObjectName(u"searchSummaryClose"_s);
    m_close->setText(u"✕"_s);
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close the summary"));
    if (assistants) {
        m_picker = new AssistantPicker(assistants, this);
        m_picker->setObjectName(u"searchSummaryAssistant"_s);
        m_picker->setToolTip(tr("The assistant whose model, prompt and number of passages summarise the results"));
        connect(m_picker, &AssistantPicker::assistantChanged, this, &SearchSummaryPanel::assistantChanged);
        connect(m_picker, &AssistantPicker::manageRequested, this, &SearchSummaryPanel::assistantsRequested);
    }
    m_view->setObjectName(u"searchSummaryView"_s);
    m_view->setAssistantLabel(tr("AI summary"));
    m_view->setPlaceholderText({});

    auto *header = new QHBoxLayout;
    header->setContentsMargins(12, 6, 6, 2);
    header->setSpacing(8);
    header->addWidget(m_title);
    if (m_picker)
        header->addWidget(m_picker);
    header->addWidget(m_status, 1);
    header->addWidget(m_stop);
    header->addWidget(m_retry);
    header->addWidget(m_close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);

    // The view reads the summary's one-message transcript in place; the signals only say when.
    m_view->setMessages(&m_summary->transcript());
    connect(m_summary, &SearchSummary::started, this, [this] {
        m_view->resync();
        updateHeader();
    });
    connect(m_summary, &SearchSummary::sourcesReady, this, [this] {
        m_view->messageChanged(0);
        updateHeader();
    });
    connect(m_summary, &SearchSummary::textAppended, this, [this] { m_view->messageChanged(0); });
    connect(m_summary, &SearchSummary::finished, this, [this] {
        m_view->messageChanged(0);
        updateHeader();
    });
    connect(m_summary, &SearchSummary::waitChanged, this, &SearchSummaryPanel::showWait);

    connect(m_stop, &QToolButton::clicked, m_summary, &SearchSummary::stop);
    connect(m_retry, &QToolButton::clicked, this, &SearchSummaryPanel::retryRequested);
    connect(m_close, &QToolButton::clicked, this, &SearchSummaryPanel::closeRequested);
    connect(m_view, &MessageView::openDocumentRequested, this, &SearchSummaryPanel::openDocumentRequested);
    // The view opens the popup itself; this only adds the result list's side of a click.
    connect(m_view, &QTextBrowser::anchorClicked, this, &SearchSummaryPanel::onAnchorClicked);
    connect(m_view, &MessageView::messageActionRequested, this, [this](int, MessageAction action) {
        if (action == MessageAction::Regenerate)
            Q_EMIT retryRequested();
        else if (action == MessageAction::Delete)
            Q_EMIT closeRequested();
        else if (action == MessageAction::Inspect)
            Q_EMIT inspectRequested();
    });
    updateHeader();
}

Assistant SearchSummaryPanel::assistant() const
{
    return m_picker ? m_picker->assistant() : Assistant::makeDefault();
}

QString SearchSummaryPanel::statusText() const
{
    return m_status->text();
}

void SearchSummaryPanel::updateHeader()
{
    const MessageRecord &message = m_summary->message();
    const int passages = m_summary->passageCount();
    const QString model = m_summary->model().isEmpty() ? tr("the default model") : m_summary->model();
    const QString from = passages == 1 ? tr("1 passage") : tr("%1 passages").arg(passages);
    QString text;
    bool error = false;
    switch (message.status) {
    case MessageStatus::Streaming:
        text = passages > 0 ? tr("Summarizing %1 with %2…").arg(from, model) : tr("Asking %1…").arg(model);
        break;
    case MessageStatus::Done:
        text = tr("Summarized by %1 from %2").arg(model, from);
        break;
    case MessageStatus::Stopped:
    case MessageStatus::Interrupted:
        text = tr("Stopped. Retry to summarize again.");
        break;
    case MessageStatus::Error:
        // The reason itself is in the view, under "Failed:"; saying it twice would crowd the line.
        text = tr("Could not summarize. Retry when the cause below is fixed.");
        error = true;
        break;
    }
    m_status->setText(text);
    m_status->setToolTip(error ? message.errorText : text);
    if (error) {
        QPalette palette = m_status->palette();
        palette.setColor(QPalette::WindowText, AppTheme::errorColor(this->palette()));
        m_status->setPalette(palette);
    }
    m_status->setForegroundRole(error ? QPalette::WindowText : QPalette::PlaceholderText);
    const bool running = m_summary->isRunning();
    m_stop->setVisible(running);
    m_retry->setVisible(!running && !m_summary->isEmpty() && message.status != MessageStatus::Done);
}

void SearchSummaryPanel::showWait(const StreamWait &wait)
{
    switch (wait.reason) {
    case StreamWait::Reason::None:
        updateHeader();
        break;
    case StreamWait::Reason::QueuedForSlot:
        m_status->setText(tr("Waiting for the model: %n request(s) ahead…", nullptr, wait.ahead));
        break;
    case StreamWait::Reason::RetryBackoff:
        m_status->setText(tr("Trying again at %1: %2").arg(wait.until.toLocalTime().toString(u"HH:mm:ss"_s), wait.why));
        break;
    }
}

void SearchSummaryPanel::onAnchorClicked(const QUrl &url)
{
    const ViewAnchor anchor = ViewAnchor::parse(url.toString());
    if (anchor.kind != ViewAnchor::Kind::Cite && anchor.kind != ViewAnchor::Kind::Source)
        return;
    for (const CitationSnapshot &source : m_summary->message().sources) {
        if (source.number == anchor.arg) {
            Q_EMIT passageChosen(source.chunkId);
            return;
        }
    }
}

} // namespace ragdesk
