#include "ui/MessageView.h"

#include "core/chat/ChatSession.h"
#include "ui/CitationPopup.h"
#include "ui/MessageChrome.h"
#include "ui/markdown/CodeBlockWriter.h"
#include "ui/markdown/CodeHighlighter.h"
#include "ui/markdown/InertTextDocument.h"
#include "ui/markdown/LinkGuard.h"
#include "ui/markdown/ViewAnchor.h"

#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

#include <QAbstractTextDocumentLayout>
#include <QClipboard>
#include <QCoreApplication>
#include <QCursor>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QHelpEvent>
#include <QResizeEvent>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QToolTip>

#include <limits>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr qsizetype kNothingChanged = std::numeric_limits<qsizetype>::max();
/// A tooltip shows the start of a passage; the popup shows all of it.
constexpr qsizetype kToolTipChars = 400;
/// An open tail block longer than this streams as plain text (see extendContent).
constexpr qsizetype kMaxLiveTailChars = 16 * 1024;

const QList<MessageRecord> &noMessages()
{
    static const QList<MessageRecord> empty;
    return empty;
}
} // namespace

MessageView::MessageView(QWidget *parent)
    : MessageView(nullptr, parent)
{
}

MessageView::MessageView(const KSyntaxHighlighting::Repository *repository, QWidget *parent)
    : QTextBrowser(parent)
    , m_repository(repository)
    , m_document(new InertTextDocument(this))
    , m_linkGuard(new LinkGuard(this))
{
    setObjectName(u"messageView"_s);
    setDocument(m_document);
    // Anchors are ours to interpret: nothing navigates, nothing opens by itself.
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setUndoRedoEnabled(false); // undo history would keep every streamed token a second time
    setFrameShape(QFrame::NoFrame);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    setLineWrapMode(QTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setPlaceholderText(tr("Ask anything about your documents. Enter sends, Shift+Enter adds a line."));
    // The margins around the centred column must look like the page, not like a frame.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    m_document->setDocumentMargin(18);

    QFont bodyFont = font();
    bodyFont.setPointSizeF(bodyFont.pointSizeF() + 1);
    setFont(bodyFont);

    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(kFrameInterval);
    m_frameTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_frameTimer, &QTimer::timeout, this, &MessageView::renderFrame);
    connect(this, &QTextBrowser::anchorClicked, this, &MessageView::onAnchorClicked);

    m_firstChanged = kNothingChanged;
    updateStyle();

    // The intent to follow the answer is tracked, not recomputed per frame: the layout refines
    // the scroll range lazily, so "at the end" can be briefly false.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this](int value) {
        if (!m_pinning)
            m_followTail = value >= verticalScrollBar()->maximum();
    });
    connect(bar, &QScrollBar::rangeChanged, this, [this] {
        if (m_followTail && !m_catchingUp)
            scrollToEnd();
    });
}

MessageView::~MessageView() = default;

void MessageView::setAssistantLabel(const QString &label)
{
    if (label == m_assistantLabel)
        return;
    m_assistantLabel = label;
    resync();
}

void MessageView::setSession(ChatSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_messages = nullptr;
    m_followTail = true;
    if (session) {
        connect(session, &ChatSession::messageAdded, this, &MessageView::markDirty);
        connect(session, &ChatSession::messageTextAppended, this, &MessageView::markDirty);
        connect(session, &ChatSession::messageFinished, this, &MessageView::markDirty);
    }
    resync();
}

void MessageView::setMessages(const QList<MessageRecord> *messages, std::function<MessageVersions(int)> versions)
{
    setSession(nullptr);
    m_messages = messages;
    m_versions = std::move(versions);
    resync();
}

void MessageView::messageChanged(int index)
{
    markDirty(index);
}

const QList<MessageRecord> &MessageView::messages() const
{
    if (m_session)
        return m_session->messages();
    return m_messages ? *m_messages : noMessages();
}

MessageVersions MessageView::versionsOf(int index) const
{
    if (m_session)
        return m_session->versionsOf(index);
    return m_versions ? m_versions(index) : MessageVersions {};
}

int MessageView::resourceRequests() const
{
    return m_document->resourceRequests() + m_renderer.resourceRequests() + m_viewResourceRequests;
}

QVariant MessageView::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type);
    Q_UNUSED(name);
    ++m_viewResourceRequests; // never QTextBrowser's: it would read files or follow the URL
    return {};
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
        m_frameTimer.start(kFrameInterval);
}

void MessageView::showEvent(QShowEvent *event)
{
    QTextBrowser::showEvent(event);
    // Catch up before the first paint so a tab never flashes stale text.
    if (m_dirty)
        renderFrame();
}

void MessageView::hideEvent(QHideEvent *event)
{
    m_frameTimer.stop();
    QTextBrowser::hideEvent(event);
}

void MessageView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        // Colours (and the code theme) are baked into the document: a new theme, a new document.
        updateStyle();
        resync();
    }
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    updateColumnMargins();
}

void MessageView::updateColumnMargins()
{
    const int side = qMax(0, (width() - kMaxColumnWidth) / 2);
    if (viewportMargins().left() == side)
        return;
    setViewportMargins(side, 0, side, 0);
    // While the view is still hidden (a new tab), the viewport's own resize event never reaches
    // the text edit, which would keep wrapping at the old, wider width. Tell it directly.
    QResizeEvent resized(viewport()->size(), QSize());
    QCoreApplication::sendEvent(viewport(), &resized);
}

void MessageView::updateStyle()
{
    m_style = RenderStyle::from(palette(), font());
    m_renderer.setStyle(m_style);
    if (m_repository)
        m_theme = m_repository->themeForPalette(palette());
}

int MessageView::endOf(qsizetype index) const
{
    if (index + 1 < qsizetype(m_rendered.size()))
        return m_rendered.at(index + 1).start + (m_document->characterCount() - m_syncedLength);
    return m_document->characterCount() - 1;
}

void MessageView::syncStarts(qsizetype index)
{
    const int delta = m_document->characterCount() - m_syncedLength;
    if (delta != 0) {
        for (auto it = m_rendered.begin() + index + 1; it < m_rendered.end(); ++it)
            it->start += delta;
    }
    m_syncedLength = m_document->characterCount();
}

MessageView::Toggles &MessageView::togglesOf(qsizetype index)
{
    // Stored messages by id, so a toggle survives a reload; unsaved ones by position.
    const qint64 id = messages().at(index).id;
    return m_toggles[id != 0 ? id : -1 - index];
}

void MessageView::renderFrame()
{
    m_frameTimer.stop();
    if (!isVisible())
        return;
    const QList<MessageRecord> &list = messages();
    m_work = {};
    QElapsedTimer clock;
    clock.start();

    if (list.size() < qsizetype(m_rendered.size()) || m_firstChanged < qsizetype(m_rendered.size()) - 1)
        m_rebuild = true;
    if (m_rebuild) {
        m_document->clear();
        m_rendered.clear();
        m_syncedLength = m_document->characterCount();
        m_rebuild = false;
    }
    const qsizetype lastRendered = qsizetype(m_rendered.size()) - 1;
    m_frameDeadline = QDeadlineTimer(kFrameBudget);
    bool outOfTime = false;
    QTextCursor cursor(m_document);
    // One edit block per frame: the layout hears about the frame's changes once.
    cursor.beginEditBlock();
    // Only the last rendered message can still be growing; everything before it is final.
    for (qsizetype i = qMax<qsizetype>(0, lastRendered); i < list.size(); ++i) {
        if (i >= qsizetype(m_rendered.size())) {
            Rendered rendered;
            rendered.start = m_document->characterCount() - 1;
            m_rendered.push_back(std::move(rendered));
            renderMessage(i);
        } else if (!extendMessage(i)) {
            renderMessage(i);
        }
        syncStarts(i);
        // The rest waits for the next frame; a message left half written stays the last one
        // rendered, so the next frame goes on with it.
        outOfTime = m_rendered[size_t(i)].contentPending || (i + 1 < list.size() && m_frameDeadline.hasExpired());
        if (outOfTime)
            break;
    }
    cursor.endEditBlock();

    ++m_renderPasses;
    m_work.microseconds = clock.nsecsElapsed() / 1000;
    m_lastWork = m_work;
    m_dirty = outOfTime;
    m_firstChanged = kNothingChanged;
    // While a long history is written over several frames the view stays where it is: showing
    // the end would make every frame lay out all the text before it (measured: most frames of a
    // megabyte over 16 ms instead of a few). It follows the end again once the text is there.
    m_catchingUp = outOfTime;
    if (outOfTime)
        m_frameTimer.start(0); // as soon as the events waiting (input, paint) are handled
    // Follow the answer only if the user has not scrolled up to read something.
    else if (m_followTail)
        scrollToEnd();
}

void MessageView::renderMessage(qsizetype index)
{
    const MessageRecord &message = messages().at(index);
    Rendered &rendered = m_rendered[index];
    const int oldEnd = endOf(index);
    QTextCursor cursor(m_document);
    cursor.setPosition(rendered.start);
    cursor.setPosition(oldEnd, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();

    const int start = rendered.start;
    rendered = Rendered();
    rendered.start = start;
    rendered.status = message.status;
    rendered.final = message.status != MessageStatus::Streaming;
    rendered.reasoningChars = message.reasoning.size();

    cursor.setPosition(start);
    if (index > 0 || start > 0) {
        cursor.insertBlock(m_style.plainBlock, m_style.body);
        QTextCharFormat spacer = m_style.body;
        spacer.setFontPointSize(qMax(4.0, font().pointSizeF() * 0.6));
        cursor.setBlockCharFormat(spacer);
    }
    MessageChrome::writeHeader(cursor, m_style, message, m_assistantLabel);
    rendered.reasoningFrom = cursor.position() - start;
    MessageChrome::writeReasoning(cursor, m_style, message, int(index), togglesOf(index).reasoningOpen);
    rendered.reasoningTo = rendered.tailFrom = cursor.position() - start;

    const bool isUser = message.role == u"user"_s;
    if (message.content.isEmpty() && !rendered.final) {
        if (message.reasoning.isEmpty()) {
            cursor.insertBlock(m_style.plainBlock, m_style.note);
            cursor.insertText(tr("Waiting for the model…"), m_style.note);
        }
    } else {
        rendered.contentStarted = !message.content.isEmpty();
        extendContent(index, rendered.final || isUser);
    }
    if (isUser)
        rendered.final = true;
    if (rendered.final && !rendered.contentPending)
        finishMessage(index);
    syncStarts(index);
}

void MessageView::finishMessage(qsizetype index)
{
    writeFooter(index);
    if (messages().at(index).role != u"user"_s)
        return;
    QTextCursor user(m_document);
    user.setPosition(m_rendered[size_t(index)].start + 1);
    user.setPosition(endOf(index), QTextCursor::KeepAnchor);
    QTextBlockFormat background;
    background.setBackground(m_style.userFrame.background());
    user.mergeBlockFormat(background);
}

void MessageView::toggleReasoning(qsizetype index)
{
    Toggles &toggles = togglesOf(index);
    toggles.reasoningOpen = !toggles.reasoningOpen;
    Rendered &rendered = m_rendered[index];
    if (!rendered.final || rendered.code) {
        renderMessage(index); // still streaming: small, or about to be rewritten anyway
        return;
    }
    // A finished answer keeps its text: only the reasoning section is written again, so the
    // toggle costs the same for a line as for a megabyte.
    const int lengthBefore = m_document->characterCount();
    QTextCursor cursor(m_document);
    cursor.setPosition(rendered.start + rendered.reasoningFrom);
    cursor.setPosition(rendered.start + rendered.reasoningTo, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    MessageChrome::writeReasoning(cursor, m_style, messages().at(index), int(index), toggles.reasoningOpen);
    const int delta = m_document->characterCount() - lengthBefore;
    rendered.reasoningTo += delta;
    rendered.tailFrom += delta;
    if (rendered.footerFrom >= 0)
        rendered.footerFrom += delta;
    syncStarts(index);
}

bool MessageView::extendMessage(qsizetype index)
{
    const MessageRecord &message = messages().at(index);
    Rendered &rendered = m_rendered[index];
    const bool unchanged
        = message.content.size() == rendered.contentChars && message.reasoning.size() == rendered.reasoningChars;
    if (rendered.final && rendered.contentPending) {
        if (!unchanged || message.status != rendered.status)
            return false;
        extendContent(index, true);
        if (!rendered.contentPending)
            finishMessage(index);
        return true;
    }
    if (rendered.final)
        return unchanged && message.status == rendered.status;
    if (message.content.size() < rendered.contentChars || message.reasoning.size() != rendered.reasoningChars)
        return false; // replaced text, or reasoning above the answer grew: write the message again
    if (!rendered.contentStarted)
        return unchanged && message.status == MessageStatus::Streaming;
    const bool final = message.status != MessageStatus::Streaming;
    const bool inferred = std::ranges::any_of(message.citations, &CitationMarker::inferred);
    if (final && inferred)
        return false; // inferred chips sit in blocks rendered before the aligner ran
    extendContent(index, final);
    if (final) {
        rendered.final = true;
        rendered.status = message.status;
        if (!rendered.contentPending)
            finishMessage(index);
    }
    return true;
}

QString MessageView::blockMarkdown(const MessageRecord &message, const MarkdownBlock &block, bool final) const
{
    QString text = message.content.sliced(block.start, block.length);
    if (!final)
        return text;
    // Inferred citations go after their sentence, as markers the renderer turns into chips.
    for (auto it = message.citations.crbegin(); it != message.citations.crend(); ++it) {
        const qsizetype at = it->start + it->length - block.start;
        if (!it->inferred || at < 0 || at > text.size())
            continue;
        QStringList numbers;
        for (int n : it->sources)
            numbers.append(QString::number(n));
        text.insert(at, MarkdownRenderer::kInferredOpen + numbers.join(u',') + MarkdownRenderer::kInferredClose);
    }
    return text;
}

void MessageView::extendContent(qsizetype index, bool final)
{
    const MessageRecord &message = messages().at(index);
    Rendered &rendered = m_rendered[index];
    // Resuming a half-written final message: its blocks are split already, and splitting a
    // megabyte again on every frame would cost more than the frame.
    if (!rendered.contentPending) {
        if (final)
            rendered.blocks.finish(message.content);
        else
            rendered.blocks.update(message.content);
    }
    rendered.contentPending = false;
    rendered.contentChars = message.content.size();
    const QList<MarkdownBlock> &blocks = rendered.blocks.blocks();
    const int sourceCount = int(message.sources.size());
    QTextCursor cursor(m_document);

    const qsizetype firstBlock = rendered.blocksDone;
    for (qsizetype k = firstBlock; k < blocks.size(); ++k) {
        // A finished message is written in as many frames as it takes, at least a block each.
        if (final && k > firstBlock && m_frameDeadline.hasExpired()) {
            rendered.contentPending = true;
            return;
        }
        const MarkdownBlock &block = blocks.at(k);
        const bool stable = final || k < rendered.blocks.stableCount();
        const int start = rendered.start;
        const bool continuesCode = block.kind == MarkdownBlock::Kind::Fence && rendered.codeBlock == k;
        if (!continuesCode) {
            // The open tail from the last frame goes; it is written again below.
            cursor.setPosition(start + rendered.tailFrom);
            cursor.setPosition(endOf(index), QTextCursor::KeepAnchor);
            cursor.removeSelectedText();
            rendered.code.reset();
            rendered.codeBlock = -1;
        }
        if (block.kind == MarkdownBlock::Kind::Fence) {
            if (!continuesCode) {
                rendered.code = std::make_unique<CodeBlockWriter>(definitionFor(block.language), m_theme, m_style, block.language, ViewAnchor::href(ViewAnchor::Kind::Copy, int(index), int(k)));
                rendered.codeBlock = k;
                cursor.setPosition(endOf(index));
                rendered.code->begin(cursor, start);
            }
            const QStringView code = QStringView(message.content).sliced(block.codeStart, block.codeLength);
            if (!final) {
                rendered.code->update(cursor, code, start, endOf(index), stable);
                m_work.codeLines += rendered.code->linesWritten();
            } else if (!writeCodeInSteps(index, cursor, code)) {
                rendered.contentPending = true; // the rest of this block in the next frame
                return;
            }
        } else {
            cursor.setPosition(endOf(index));
            cursor.insertBlock(m_style.plainBlock, m_style.body);
            if (!stable && block.length > kMaxLiveTailChars) {
                // A huge open block (a long table, a list without blank lines) would cost more
                // than a frame to import each time: plain text until it is stable.
                cursor.insertText(message.content.sliced(block.start, block.length), m_style.body);
            } else {
                m_renderer.insert(cursor, blockMarkdown(message, block, final), int(index), sourceCount, !stable);
            }
            ++m_work.markdownBlocks;
        }
        if (!stable)
            break;
        rendered.blocksDone = k + 1;
        rendered.tailFrom = endOf(index) - start;
        rendered.code.reset();
        rendered.codeBlock = -1;
    }
}

bool MessageView::writeCodeInSteps(qsizetype index, QTextCursor &cursor, QStringView code)
{
    // A finished block of hundreds of lines would be one long frame; it is fed to the writer a
    // few lines at a time, as if it were streaming, until the frame is out of time.
    constexpr int linesPerStep = 32;
    Rendered &rendered = m_rendered[size_t(index)];
    for (;;) {
        qsizetype cut = rendered.code->writtenChars();
        for (int line = 0; line < linesPerStep && cut < code.size(); ++line) {
            const qsizetype newline = code.indexOf(u'\n', cut);
            cut = newline < 0 ? code.size() : newline + 1;
        }
        const bool last = cut >= code.size();
        rendered.code->update(cursor, last ? code : code.first(cut), rendered.start, endOf(index), last);
        m_work.codeLines += rendered.code->linesWritten();
        if (last)
            return true;
        if (m_frameDeadline.hasExpired())
            return false;
    }
}

KSyntaxHighlighting::Definition MessageView::definitionFor(const QString &language)
{
    if (!m_repository || language.isEmpty())
        return {};
    auto known = m_definitions.find(language);
    if (known == m_definitions.end())
        known = m_definitions.insert(language, CodeHighlighter::definitionFor(*m_repository, language));
    return *known;
}

void MessageView::writeFooter(qsizetype index)
{
    const MessageRecord &message = messages().at(index);
    Rendered &rendered = m_rendered[index];
    QTextCursor cursor(m_document);
    if (rendered.footerFrom >= 0) {
        cursor.setPosition(rendered.start + rendered.footerFrom);
        cursor.setPosition(endOf(index), QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
    }
    rendered.footerFrom = endOf(index) - rendered.start;
    cursor.setPosition(endOf(index));
    MessageChrome::writeFooter(
        cursor, m_style, message, int(index), versionsOf(int(index)), togglesOf(index).allSources);
    syncStarts(index);
}

void MessageView::onAnchorClicked(const QUrl &url)
{
    const ViewAnchor anchor = ViewAnchor::parse(url.toString());
    const QList<MessageRecord> &list = messages();
    if (anchor.kind == ViewAnchor::Kind::Link) {
        m_linkGuard->activate(anchor.link);
        return;
    }
    if (anchor.kind == ViewAnchor::Kind::None || anchor.message < 0 || anchor.message >= list.size()
        || anchor.message >= qsizetype(m_rendered.size()))
        return;
    switch (anchor.kind) {
    case ViewAnchor::Kind::Cite:
    case ViewAnchor::Kind::Source:
        showCitation(anchor.message, anchor.arg);
        break;
    case ViewAnchor::Kind::Copy:
        copyCode(anchor.message, anchor.arg);
        break;
    case ViewAnchor::Kind::Action:
        performAction(anchor.message, MessageAction(anchor.arg));
        break;
    case ViewAnchor::Kind::Version:
        Q_EMIT versionRequested(anchor.message, anchor.arg);
        break;
    case ViewAnchor::Kind::Reasoning:
        toggleReasoning(anchor.message);
        break;
    case ViewAnchor::Kind::SourcesToggle:
        togglesOf(anchor.message).allSources = !togglesOf(anchor.message).allSources;
        writeFooter(anchor.message);
        break;
    case ViewAnchor::Kind::None:
    case ViewAnchor::Kind::Link:
        break;
    }
}

void MessageView::showCitation(int index, int number)
{
    const CitationSnapshot *snapshot = MessageChrome::source(messages().at(index), number);
    if (!snapshot)
        return;
    auto *popup = new CitationPopup(this);
    popup->setSnapshot(*snapshot);
    connect(popup, &CitationPopup::openDocumentRequested, this, &MessageView::openDocumentRequested);
    popup->popup(QCursor::pos());
}

void MessageView::copyCode(int index, int block)
{
    const MessageRecord &message = messages().at(index);
    const QList<MarkdownBlock> blocks
        = MarkdownBlocks::split(message.content, message.status != MessageStatus::Streaming);
    if (block < 0 || block >= blocks.size() || blocks.at(block).kind != MarkdownBlock::Kind::Fence)
        return;
    QGuiApplication::clipboard()->setText(message.content.sliced(blocks.at(block).codeStart, blocks.at(block).codeLength));
}

void MessageView::performAction(int index, MessageAction action)
{
    const MessageRecord &message = messages().at(index);
    if (action == MessageAction::CopyMarkdown) {
        QGuiApplication::clipboard()->setText(message.content);
    } else if (action == MessageAction::CopyText) {
        QTextDocument plain;
        plain.setMarkdown(message.content, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownNoHTML)
                | QTextDocument::MarkdownDialectGitHub);
        QGuiApplication::clipboard()->setText(plain.toPlainText());
    }
    // Copies are done here; the rest (and a copy's notice, if any) is ChatTab's to act on.
    Q_EMIT messageActionRequested(index, action);
}

QString MessageView::toolTipAt(const QPoint &viewportPos) const
{
    const QPoint documentPos = viewportPos + QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const int position = m_document->documentLayout()->hitTest(documentPos, Qt::ExactHit);
    if (position < 0)
        return {};
    QTextCursor cursor(m_document);
    cursor.setPosition(position + 1);
    const QTextCharFormat format = cursor.charFormat();
    const ViewAnchor anchor = ViewAnchor::parse(format.anchorHref());
    if (anchor.kind == ViewAnchor::Kind::Link)
        return LinkGuard::shownTarget(anchor.link);
    if (anchor.kind != ViewAnchor::Kind::Cite && anchor.kind != ViewAnchor::Kind::Source)
        return format.toolTip();
    if (anchor.message < 0 || anchor.message >= messages().size())
        return {};
    const CitationSnapshot *snapshot = MessageChrome::source(messages().at(anchor.message), anchor.arg);
    if (!snapshot)
        return {};
    QString passage = snapshot->chunkText.simplified();
    if (passage.size() > kToolTipChars)
        passage = passage.left(kToolTipChars) + u'…';
    const QString title = snapshot->documentTitle.isEmpty() ? snapshot->documentPath : snapshot->documentTitle;
    QString tip = u"[%1] %2\n%3"_s.arg(snapshot->number).arg(title, passage);
    if (format.fontItalic() && format.underlineStyle() == QTextCharFormat::DotLine)
        tip = tr("Inferred: the model cited nothing here; ragdesk matched this sentence to the source.") + u"\n\n"_s
            + tip;
    return tip;
}

bool MessageView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, viewport());
        return true;
    }
    return QTextBrowser::viewportEvent(event);
}

} // namespace ragdesk
