#include "ui/MessageView.h"

#include "core/chat/ChatSession.h"
#include "ui/AppTheme.h"

#include <QCoreApplication>
#include <QResizeEvent>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

#include <limits>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr qsizetype kNothingChanged = std::numeric_limits<qsizetype>::max();
}

MessageView::MessageView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(u"messageView"_s);
    setReadOnly(true);
    // Undo history would keep every streamed token a second time.
    setUndoRedoEnabled(false);
    setFrameShape(QFrame::NoFrame);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setPlaceholderText(tr("Ask anything about your documents. Enter sends, Shift+Enter adds a line."));
    // The margins around the centred column must look like the page, not like a frame.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    document()->setDocumentMargin(18);

    QFont bodyFont = font();
    bodyFont.setPointSizeF(bodyFont.pointSizeF() + 1);
    setFont(bodyFont);

    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(kFrameInterval);
    m_frameTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_frameTimer, &QTimer::timeout, this, &MessageView::renderFrame);

    m_firstChanged = kNothingChanged;
    updateFormats();

    // The intent to follow the answer is tracked, not recomputed per frame: QPlainTextEdit refines
    // its scroll range lazily as blocks get laid out, so "at the end" can be briefly false.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this](int value) {
        if (!m_pinning)
            m_followTail = value >= verticalScrollBar()->maximum();
    });
    connect(bar, &QScrollBar::rangeChanged, this, [this] {
        if (m_followTail)
            scrollToEnd();
    });
}

MessageView::~MessageView() = default;

void MessageView::setSession(ChatSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_followTail = true;
    if (session) {
        connect(session, &ChatSession::messageAdded, this, &MessageView::markDirty);
        connect(session, &ChatSession::messageTextAppended, this, &MessageView::markDirty);
        connect(session, &ChatSession::messageFinished, this, &MessageView::markDirty);
    }
    resync();
}

void MessageView::scrollToEnd()
{
    const QScopedValueRollback guard(m_pinning, true);
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void MessageView::resync()
{
    m_rebuild = true;
    m_dirty = true;
    scheduleFrame();
}

void MessageView::markDirty(int index)
{
    // Called per token: no layout, no allocation, just bookkeeping and at most one timer start.
    m_firstChanged = qMin(m_firstChanged, qsizetype(index));
    m_dirty = true;
    scheduleFrame();
}

void MessageView::scheduleFrame()
{
    // Hidden views only remember that they are behind; showEvent() catches up.
    if (m_dirty && isVisible() && !m_frameTimer.isActive())
        m_frameTimer.start();
}

void MessageView::showEvent(QShowEvent *event)
{
    QPlainTextEdit::showEvent(event);
    // Catch up before the first paint so a tab never flashes stale text.
    if (m_dirty)
        renderFrame();
}

void MessageView::hideEvent(QHideEvent *event)
{
    m_frameTimer.stop();
    QPlainTextEdit::hideEvent(event);
}

void MessageView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        // Colours are baked into the document's formats, so a new theme means a new document.
        updateFormats();
        resync();
    }
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateColumnMargins();
}

void MessageView::updateColumnMargins()
{
    const int side = qMax(0, (width() - kMaxColumnWidth) / 2);
    if (viewportMargins().left() == side)
        return;
    setViewportMargins(side, 0, side, 0);
    // While the view is still hidden (a new tab), the viewport's own resize event never reaches
    // QPlainTextEdit, which would keep wrapping at the old, wider width. Tell it directly.
    QResizeEvent resized(viewport()->size(), QSize());
    QCoreApplication::sendEvent(viewport(), &resized);
}

void MessageView::renderFrame()
{
    m_frameTimer.stop();
    if (!m_session || !isVisible())
        return;
    const QList<MessageRecord> &messages = m_session->messages();

    const qsizetype lastRendered = m_rendered.size() - 1;
    if (messages.size() < m_rendered.size() || m_firstChanged < lastRendered)
        m_rebuild = true;

    if (m_rebuild) {
        document()->clear();
        m_rendered.clear();
        m_rebuild = false;
    }
    // One edit block per frame: the layout hears about the frame's changes once.
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    // Only the last rendered message can still be growing; everything before it is final.
    for (qsizetype i = qMax<qsizetype>(0, m_rendered.size() - 1); i < messages.size(); ++i) {
        if (i >= m_rendered.size()) {
            appendMessage(cursor, messages.at(i));
            continue;
        }
        if (!extendMessage(cursor, m_rendered[i], messages.at(i))) {
            // Rare (text replaced, reasoning after the answer began): redo just this message.
            cursor.setPosition(m_rendered.at(i).start);
            cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
            cursor.removeSelectedText();
            m_rendered.removeLast();
            appendMessage(cursor, messages.at(i));
        }
    }
    cursor.endEditBlock();

    ++m_renderPasses;
    m_dirty = false;
    m_firstChanged = kNothingChanged;
    // Follow the answer only if the user has not scrolled up to read something.
    if (m_followTail)
        scrollToEnd();
}

void MessageView::startBlock(QTextCursor &cursor, const QTextBlockFormat &block, const QTextCharFormat &format)
{
    cursor.movePosition(QTextCursor::End);
    if (document()->isEmpty() && document()->blockCount() == 1) {
        cursor.setBlockFormat(block);
        cursor.setBlockCharFormat(format);
        return;
    }
    cursor.insertBlock(block, format);
}

void MessageView::appendMessage(QTextCursor &cursor, const MessageRecord &message)
{
    Rendered rendered;
    cursor.movePosition(QTextCursor::End);
    rendered.start = cursor.position();

    const bool isUser = message.role == u"user"_s;
    if (!m_rendered.isEmpty())
        startBlock(cursor, m_plainBlock, m_spacerFormat);
    startBlock(cursor, isUser ? m_userBlock : m_plainBlock, isUser ? m_userHeaderFormat : m_assistantHeaderFormat);
    cursor.insertText(isUser ? tr("You") : tr("Assistant"), isUser ? m_userHeaderFormat : m_assistantHeaderFormat);

    if (isUser) {
        appendSectionText(cursor, rendered.contentStarted, m_userBlock, m_bodyFormat, message.content, 0);
        rendered.contentChars = message.content.size();
        // A question is complete when it is added; if it ever changes, it is rendered again.
        rendered.closed = true;
        rendered.status = message.status;
        m_rendered.append(rendered);
        return;
    }

    const bool nothingYet = message.content.isEmpty() && message.reasoning.isEmpty();
    if (message.status == MessageStatus::Streaming && nothingYet) {
        startBlock(cursor, m_plainBlock, m_noteFormat);
        cursor.insertText(tr("Waiting for the model…"), m_noteFormat);
        rendered.placeholder = true;
        m_rendered.append(rendered);
        return;
    }
    extendMessage(cursor, rendered, message);
    m_rendered.append(rendered);
}

bool MessageView::extendMessage(QTextCursor &cursor, Rendered &rendered, const MessageRecord &message)
{
    const qsizetype reasoningChars = message.reasoning.size();
    const qsizetype contentChars = message.content.size();
    const bool unchanged = reasoningChars == rendered.reasoningChars && contentChars == rendered.contentChars;
    if (rendered.closed)
        return unchanged && message.status == rendered.status;
    if (rendered.placeholder)
        return unchanged && message.status == MessageStatus::Streaming;
    if (reasoningChars < rendered.reasoningChars || contentChars < rendered.contentChars)
        return false;
    // Reasoning sits above the answer; once the answer has begun, new reasoning cannot be appended.
    if (reasoningChars > rendered.reasoningChars && rendered.contentStarted)
        return false;

    if (reasoningChars > rendered.reasoningChars) {
        appendSectionText(cursor, rendered.reasoningStarted, m_plainBlock, m_reasoningFormat, message.reasoning,
            rendered.reasoningChars);
        rendered.reasoningChars = reasoningChars;
    }
    if (contentChars > rendered.contentChars) {
        appendSectionText(
            cursor, rendered.contentStarted, m_plainBlock, m_bodyFormat, message.content, rendered.contentChars);
        rendered.contentChars = contentChars;
    }
    if (message.status != MessageStatus::Streaming)
        appendStatusNote(cursor, rendered, message);
    return true;
}

void MessageView::appendSectionText(QTextCursor &cursor, bool &started, const QTextBlockFormat &block,
    const QTextCharFormat &format, const QString &text, qsizetype from)
{
    if (!started) {
        startBlock(cursor, block, format);
        started = true;
    }
    cursor.movePosition(QTextCursor::End);
    // Only the new tail is copied and laid out: the frame's cost follows the tokens, not the message.
    cursor.insertText(text.mid(from), format);
}

void MessageView::appendStatusNote(QTextCursor &cursor, Rendered &rendered, const MessageRecord &message)
{
    rendered.closed = true;
    rendered.status = message.status;
    QString note;
    QTextCharFormat format = m_noteFormat;
    switch (message.status) {
    case MessageStatus::Stopped:
        note = tr("Stopped");
        break;
    case MessageStatus::Interrupted:
        note = tr("Interrupted — ragdesk closed before this answer finished");
        break;
    case MessageStatus::Error:
        note = message.errorText.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(message.errorText);
        format = m_errorFormat;
        break;
    case MessageStatus::Done:
        if (!message.content.isEmpty() || !message.reasoning.isEmpty())
            return;
        note = tr("The model returned an empty answer.");
        break;
    case MessageStatus::Streaming:
        return;
    }
    startBlock(cursor, m_plainBlock, format);
    cursor.insertText(note, format);
}

void MessageView::updateFormats()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor base = pal.color(QPalette::Base);

    m_plainBlock = QTextBlockFormat();
    m_userBlock = QTextBlockFormat();
    m_userBlock.setBackground(AppTheme::mix(base, pal.color(QPalette::Highlight), AppTheme::isDark(pal) ? 0.14 : 0.07));

    m_bodyFormat = QTextCharFormat();
    m_bodyFormat.setForeground(text);

    m_spacerFormat = m_bodyFormat;
    m_spacerFormat.setFontPointSize(qMax(4.0, font().pointSizeF() * 0.6));

    m_userHeaderFormat = m_bodyFormat;
    m_userHeaderFormat.setFontWeight(QFont::Bold);
    m_userHeaderFormat.setForeground(AppTheme::accentColor(pal));

    m_assistantHeaderFormat = m_userHeaderFormat;
    m_assistantHeaderFormat.setForeground(AppTheme::assistantColor(pal));

    m_reasoningFormat = m_bodyFormat;
    m_reasoningFormat.setFontItalic(true);
    m_reasoningFormat.setForeground(AppTheme::mix(text, base, 0.45));

    m_noteFormat = m_bodyFormat;
    m_noteFormat.setFontItalic(true);
    m_noteFormat.setFontPointSize(qMax(6.0, font().pointSizeF() * 0.9));
    m_noteFormat.setForeground(AppTheme::mix(text, base, 0.5));

    m_errorFormat = m_noteFormat;
    m_errorFormat.setFontItalic(false);
    m_errorFormat.setForeground(AppTheme::errorColor(pal));
}

} // namespace ragdesk
