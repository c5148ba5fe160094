#include "ui/ChatTab.h"

#include "core/foundation/Detach.h"
#include "core/llm/ProviderRegistry.h"
#include "ui/AnswerInspectorDialog.h"
#include "ui/AssistantPicker.h"
#include "ui/Composer.h"
#include "ui/ErrorBanner.h"
#include "ui/MessageView.h"
#include "ui/ProviderPicker.h"
#include "ui/RoundedPanel.h"
#include "ui/WaitNotice.h"
#include "ui/WelcomePanel.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

namespace {
/// How long a closed tab waits for its session to save the stopped answer before going anyway.
constexpr auto kRetireTimeout = 5s;
} // namespace

ChatTab::ChatTab(ChatServices services, ProviderRegistry *providers, AssistantCatalog *assistants,
    const KSyntaxHighlighting::Repository *syntax, QWidget *parent)
    : QWidget(parent)
    , m_session(new ChatSession(std::move(services), this))
    , m_welcome(new WelcomePanel(this))
    , m_view(new MessageView(syntax, this))
    , m_banner(new ErrorBanner(this))
    , m_waitNotice(new WaitNotice(this))
    , m_composerFrame(new RoundedPanel(RoundedPanel::Tone::Input, this))
    , m_composer(new Composer(m_composerFrame))
    , m_sendButton(new QPushButton(m_composerFrame))
    , m_providers(providers)
    , m_editNote(new QLabel(this))
{
    setObjectName(u"chatTab"_s);
    // The tab is one page: transcript, banner and composer share the base colour.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    m_welcome->hide();
    m_view->setSession(m_session);
    connect(m_view, &MessageView::openDocumentRequested, this, &ChatTab::openDocumentRequested);
    connect(m_view, &MessageView::messageActionRequested, this, &ChatTab::onMessageAction);
    connect(m_view, &MessageView::versionRequested, m_session, &ChatSession::showVersion);
    // Another version or a deletion replaces the messages shown: the view renders them anew.
    connect(m_session, &ChatSession::messagesReset, m_view, &MessageView::resync);
    // The question being edited may not be on screen any more; what was typed stays in the composer.
    connect(m_session, &ChatSession::messagesReset, this, &ChatTab::stopEditing);

    m_composerFrame->setObjectName(u"composerFrame"_s);
    m_composerFrame->setMaximumWidth(MessageView::kMaxColumnWidth - 20);
    m_sendButton->setObjectName(u"sendButton"_s);
    m_sendButton->setCursor(Qt::PointingHandCursor);
    m_sendButton->setMinimumWidth(80);
    auto *frameLayout = new QHBoxLayout(m_composerFrame);
    frameLayout->setContentsMargins(8, 6, 8, 6);
    frameLayout->setSpacing(8);
    frameLayout->addWidget(m_composer, 1);
    frameLayout->addWidget(m_sendButton, 0, Qt::AlignBottom);

    m_banner->setMaximumWidth(MessageView::kMaxColumnWidth - 20);
    m_waitNotice->setMaximumWidth(MessageView::kMaxColumnWidth - 20);
    auto *column = new QVBoxLayout;
    column->setSpacing(8);
    column->addWidget(m_banner);
    column->addWidget(m_waitNotice);
    // One compact row above the composer: the assistant, then the provider and model it talks to.
    auto *pickers = new QHBoxLayout;
    pickers->setSpacing(6);
    if (assistants) {
        m_assistantPicker = new AssistantPicker(assistants, this);
        connect(m_assistantPicker, &AssistantPicker::assistantChanged, this, &ChatTab::useAssistant);
        connect(m_assistantPicker, &AssistantPicker::manageRequested, this, &ChatTab::assistantsRequested);
        pickers->addWidget(m_assistantPicker);
    }
    if (providers) {
        m_picker = new ProviderPicker(providers, this);
        connect(m_picker, &ProviderPicker::selectionChanged, this, &ChatTab::onProviderPicked);
        pickers->addWidget(m_picker, 1);
    }
    if (m_assistantPicker || m_picker) {
        auto *row = new QWidget(this);
        row->setObjectName(u"pickerRow"_s);
        row->setMaximumWidth(MessageView::kMaxColumnWidth - 20);
        pickers->setContentsMargins(0, 0, 0, 0);
        row->setLayout(pickers);
        column->addWidget(row);
    } else {
        delete pickers;
    }
    useAssistant(m_assistantPicker ? m_assistantPicker->assistant() : Assistant::makeDefault());
    m_editNote->setObjectName(u"editNote"_s);
    m_editNote->setText(tr("Editing your question: Enter sends it as a new version, Esc cancels."));
    m_editNote->setForegroundRole(QPalette::PlaceholderText);
    m_editNote->hide();
    column->addWidget(m_editNote);
    column->addWidget(m_composerFrame);
    // Side stretches take only what the column's maximum width leaves: centred, never squeezed.
    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(16, 6, 16, 14);
    bottom->addStretch(0);
    bottom->addLayout(column, 1);
    bottom->addStretch(0);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_welcome, 1);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);
    setFocusProxy(m_composer);

    connect(m_composer, &Composer::submitRequested, this, &ChatTab::submit);
    // Esc in the composer: stops a streaming answer, else leaves editing a question.
    connect(m_composer, &Composer::stopRequested, this, [this] {
        if (isStreaming()) {
            m_session->stop();
        } else if (m_editIndex >= 0) {
            stopEditing();
            m_composer->clear();
        }
    });
    connect(m_sendButton, &QPushButton::clicked, this, [this] {
        if (isStreaming())
            m_session->stop();
        else
            submit();
    });
    connect(m_banner, &ErrorBanner::retryRequested, this, [this] {
        m_banner->hide();
        m_session->retry();
    });
    connect(m_banner, &ErrorBanner::settingsRequested, this, [this] { Q_EMIT settingsRequested({}, {}); });
    connect(m_welcome, &WelcomePanel::presetChosen, this, &ChatTab::settingsRequested);
    connect(m_welcome, &WelcomePanel::settingsRequested, this, [this] { Q_EMIT settingsRequested({}, {}); });

    connect(m_session, &ChatSession::waitChanged, m_waitNotice, &WaitNotice::showWait);
    connect(m_waitNotice, &WaitNotice::retryNowRequested, m_session, &ChatSession::retryNow);
    connect(m_waitNotice, &WaitNotice::cancelRequested, m_session, &ChatSession::stop);
    connect(m_session, &ChatSession::streamingChanged, this, &ChatTab::onStreamingChanged);
    connect(m_session, &ChatSession::messageFinished, this, &ChatTab::onMessageFinished);
    connect(m_session, &ChatSession::titleChanged, this, [this] {
        Q_EMIT stateChanged();
        Q_EMIT conversationsChanged();
    });
    connect(m_session, &ChatSession::conversationCreated, this, &ChatTab::conversationsChanged);
    connect(m_session, &ChatSession::assistantRestored, this, [this](qint64 id) {
        // A conversation reopens with its assistant, if it still exists (else the tab's stays).
        if (m_assistantPicker && m_assistantPicker->assistant().id != id && m_assistantPicker->contains(id)) {
            m_assistantPicker->select(id);
            useAssistant(m_assistantPicker->assistant());
        }
    });
    connect(
        m_session, &ChatSession::failed, this, [this](const QString &message) { m_banner->showError(message, false); });

    updateSendButton();
}

ChatTab::~ChatTab()
{
    // The session is destroyed before the widgets: cut its signals first so nothing it emits
    // while shutting down reaches a half-destroyed tab.
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        disconnect(m_session, nullptr, m_view, nullptr);
        delete m_session.data();
    }
}

QString ChatTab::title() const
{
    const QString title = m_session ? m_session->title() : QString();
    return title.isEmpty() ? tr("New chat") : title;
}

bool ChatTab::isStreaming() const
{
    return m_session && m_session->isStreaming();
}

bool ChatTab::isPristine() const
{
    return m_session && !m_loading && !m_session->isStreaming() && m_session->conversationId() == 0
        && m_session->messages().isEmpty() && m_composer->document()->isEmpty();
}

void ChatTab::openConversation(qint64 conversationId, const QString &title)
{
    hideWelcome();
    ragdesk::detach(load(conversationId, title), "ChatTab::load");
}

QCoro::Task<> ChatTab::load(qint64 conversationId, QString title)
{
    QPointer<ChatTab> self(this);
    m_loading = true;
    updateSendButton();
    const Result<void> opened = co_await m_session->open(conversationId, title);
    // The tab may have been closed while the history was read.
    if (!self || !m_session)
        co_return;
    m_loading = false;
    if (!opened) {
        m_banner->showError(tr("Could not open the conversation: %1").arg(opened.error().message), false);
    } else if (const auto &messages = m_session->messages(); !messages.isEmpty()) {
        const MessageRecord &last = messages.constLast();
        if (last.status == MessageStatus::Error)
            m_banner->showError(last.errorText, true);
    }
    m_view->resync();
    updateSendButton();
    Q_EMIT stateChanged();
}

void ChatTab::showWelcome(const QString &probeError)
{
    m_welcome->setProbeError(probeError);
    m_welcome->show();
    m_view->hide();
}

void ChatTab::hideWelcome()
{
    m_welcome->hide();
    m_view->show();
}

void ChatTab::submit()
{
    const QString text = m_composer->toPlainText().trimmed();
    if (text.isEmpty() || m_session->isBusy() || m_loading)
        return;
    m_composer->clear();
    if (m_editIndex >= 0 && m_editIndex < m_session->messages().size()) {
        const int index = m_editIndex;
        stopEditing();
        hideWelcome();
        m_banner->hide();
        m_session->editAndResend(index, text);
        return;
    }
    stopEditing();
    send(text);
}

void ChatTab::send(const QString &text)
{
    hideWelcome();
    m_banner->hide();
    m_session->send(text);
}

void ChatTab::retire()
{
    if (m_retiring)
        return;
    m_retiring = true;
    if (!isStreaming()) {
        deleteLater();
        return;
    }
    // Deleting now would cut the session off before it saved the partial answer.
    connect(m_session, &ChatSession::streamingChanged, this, [this](bool streaming) {
        if (!streaming)
            deleteLater();
    });
    QTimer::singleShot(kRetireTimeout, this, &QObject::deleteLater);
    m_session->stop();
}

void ChatTab::onStreamingChanged(bool streaming)
{
    updateSendButton();
    if (!streaming)
        m_waitNotice->showWait({});
    Q_EMIT stateChanged();
    if (!streaming)
        Q_EMIT conversationsChanged();
}

void ChatTab::onMessageFinished(int index)
{
    const auto &messages = m_session->messages();
    if (index < 0 || index >= messages.size() || index != messages.size() - 1)
        return;
    const MessageRecord &message = messages.at(index);
    if (message.status == MessageStatus::Error)
        m_banner->showError(message.errorText.isEmpty() ? tr("The answer failed.") : message.errorText, true);
}

void ChatTab::onMessageAction(int index, MessageAction action)
{
    if (index < 0 || index >= m_session->messages().size())
        return;
    const MessageRecord &message = m_session->messages().at(index);
    switch (action) {
    case MessageAction::Inspect: {
        if (message.retrieval.isEmpty()) {
            m_banner->showError(tr("This answer searched no documents, so there is nothing to inspect."), false);
            return;
        }
        auto *dialog = new AnswerInspectorDialog(RetrievalRecord::fromJson(message.retrieval), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
        return;
    }
    case MessageAction::CopyMarkdown:
    case MessageAction::CopyText:
        return; // the view copies by itself
    case MessageAction::Regenerate:
        m_banner->hide();
        m_session->regenerate(index);
        return;
    case MessageAction::Edit:
        startEditing(index);
        return;
    case MessageAction::Delete:
        confirmDelete(index);
        return;
    }
}

void ChatTab::startEditing(int index)
{
    if (m_session->isBusy() || m_session->messages().at(index).role != u"user"_s)
        return;
    m_editIndex = index;
    m_composer->setPlainText(m_session->messages().at(index).content);
    m_composer->moveCursor(QTextCursor::End);
    m_editNote->show();
    m_composer->setFocus();
}

void ChatTab::stopEditing()
{
    m_editIndex = -1;
    m_editNote->hide();
}

void ChatTab::confirmDelete(int index)
{
    if (m_deleteConfirmation || m_session->isBusy())
        return;
    const bool question = m_session->messages().at(index).role == u"user"_s;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete message"),
        question ? tr("Delete this question and every answer and message after it?")
                 : tr("Delete this answer and every message after it? Its other versions stay."),
        QMessageBox::NoButton, this);
    box->setObjectName(u"confirmDeleteMessage"_s);
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_deleteConfirmation = box;
    const qint64 id = m_session->messages().at(index).id;
    connect(box, &QMessageBox::finished, this, [this, box, remove, id] {
        if (box->clickedButton() != remove)
            return;
        // By id: the list may have changed while the question was open.
        const QList<MessageRecord> &messages = m_session->messages();
        for (int i = 0; i < messages.size(); ++i) {
            if (messages.at(i).id == id) {
                stopEditing();
                m_session->deleteMessage(i);
                return;
            }
        }
    });
    box->open();
}

void ChatTab::useAssistant(const Assistant &assistant)
{
    m_session->setAssistant(assistant);
    // A new assistant brings its own provider and model; an earlier pick in this tab gives way.
    m_session->setProvider({}, {});
    if (m_picker) {
        const QSignalBlocker blocker(m_picker);
        m_picker->select(assistant.providerId, assistant.model);
    }
}

void ChatTab::onProviderPicked(const QString &providerId, const QString &model)
{
    // What the assistant would use anyway stays "the assistant's": the tab then follows it when
    // the assistant is edited, instead of holding on to a copy of its old settings.
    const Assistant &assistant = m_session->assistant();
    const QString assistantProvider = !assistant.providerId.isEmpty() || !m_providers ? assistant.providerId
                                                                                      : m_providers->defaultId();
    const auto settings = m_providers ? m_providers->find(assistantProvider) : std::nullopt;
    const QString assistantModel = !assistant.model.isEmpty() || !settings ? assistant.model : settings->model;
    if (providerId == assistantProvider && model == assistantModel)
        m_session->setProvider({}, {});
    else
        m_session->setProvider(providerId, model);
}

void ChatTab::updateSendButton()
{
    const bool streaming = isStreaming();
    m_sendButton->setText(streaming ? tr("Stop") : tr("Send"));
    m_sendButton->setToolTip(streaming ? tr("Stop the answer (Esc)") : tr("Send (Enter)"));
    m_sendButton->setEnabled(!m_loading);
}

void ChatTab::keyPressEvent(QKeyEvent *event)
{
    // Esc stops the answer wherever the focus is in the tab, not only in the composer.
    if (event->key() == Qt::Key_Escape && isStreaming()) {
        m_session->stop();
        return;
    }
    if (event->key() == Qt::Key_Escape && m_editIndex >= 0) {
        stopEditing();
        m_composer->clear();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace ragdesk
