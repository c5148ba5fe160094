#pragma once

#include "core/chat/ChatSession.h"
#include "core/storage/ConversationTypes.h"
#include "ui/MessageAction.h"
#include "ui/markdown/MarkdownBlocks.h"
#include "ui/markdown/MarkdownRenderer.h"
#include "ui/markdown/RenderStyle.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QPointer>
#include <QTextBrowser>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Theme>

namespace KSyntaxHighlighting {
class Repository;
}

namespace ragdesk {

class CodeBlockWriter;
class InertTextDocument;
class LinkGuard;

/// Shows one session's messages as rendered markdown: code highlighted by its fence language,
/// citation chips that open the passage, a sources footer, collapsed reasoning and an action row.
///
/// One QTextDocument for the whole transcript, with internal anchors (ViewAnchor) for every
/// control, rather than a widget per message: a document scrolls, selects and lays out long
/// histories cheaply, and an edit at its end relayouts only the tail.
///
/// Rendering is incremental so that many streaming tabs stay cheap: a hidden view does no work,
/// a visible one renders at most ~30 frames a second, and a frame re-renders only the open tail
/// block of the growing message (MarkdownBlocks); stable blocks are rendered once, and an open
/// code block rewrites only its last line. Nothing rendered is ever loaded (InertTextDocument).
class MessageView : public QTextBrowser
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kFrameInterval { 33 };
    /// A frame stops starting new work after this long. Rendering a whole stored conversation
    /// (a reload, a theme change) then takes several frames, with input and paints between them,
    /// instead of one that freezes the window for seconds on a megabyte answer. The layout and
    /// paint that follow a frame's edit cost about as much again, hence well under 16 ms.
    static constexpr std::chrono::milliseconds kFrameBudget { 6 };
    /// Lines longer than this are hard to read; wider windows centre a column of this width.
    static constexpr int kMaxColumnWidth = 860;

    /// @p repository is the app's one syntax Repository; null shows code unhighlighted.
    explicit MessageView(const KSyntaxHighlighting::Repository *repository, QWidget *parent = nullptr);
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    /// Follows @p session's signals. The view never owns the session.
    void setSession(ChatSession *session);
    /// Test and benchmark seam: shows @p messages (owned by the caller, kept alive while shown)
    /// instead of a session's; messageChanged() stands in for the session's signals.
    void setMessages(const QList<MessageRecord> *messages, std::function<MessageVersions(int)> versions = {});
    /// Message @p index was added, grew or finished.
    void messageChanged(int index);
    /// Renders everything again, e.g. after the session loaded a whole conversation.
    void resync();
    /// The header of the model's messages ("Assistant"); the AI-search summary names itself.
    void setAssistantLabel(const QString &label);

    /// Frames that changed the document. Tests use it to prove that hidden views stay idle
    /// and visible ones stay within the frame budget.
    [[nodiscard]] int renderPassCount() const { return m_renderPasses; }
    /// True while text arrived that is not on screen yet.
    [[nodiscard]] bool hasPendingText() const { return m_dirty; }

    /// What the last frame rendered: markdown blocks re-rendered and code lines written.
    struct FrameWork {
        int markdownBlocks = 0;
        int codeLines = 0;
        qint64 microseconds = 0; ///< the document edit, without the layout and paint that follow
    };
    [[nodiscard]] FrameWork lastFrameWork() const { return m_lastWork; }
    /// Resource loads anything rendered asked for; always answered with nothing.
    [[nodiscard]] int resourceRequests() const;
    [[nodiscard]] LinkGuard *linkGuard() const { return m_linkGuard; }

Q_SIGNALS:
    void messageActionRequested(int index, ragdesk::MessageAction action);
    void versionRequested(int index, int version);
    void openDocumentRequested(const ragdesk::CitationSnapshot &snapshot);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    QVariant loadResource(int type, const QUrl &name) override;

private:
    /// What of one message is in the document. Offsets are relative to `start`, so a re-render
    /// of an earlier message only shifts the starts after it.
    struct Rendered {
        int start = 0; ///< position of the paragraph separator that opens the message
        MarkdownBlocks blocks;
        qsizetype blocksDone = 0; ///< stable blocks rendered for good
        int tailFrom = 0; ///< where the open tail's rendering starts
        std::unique_ptr<CodeBlockWriter> code; ///< the open fence being written, if any
        qsizetype codeBlock = -1;
        qsizetype contentChars = 0;
        qsizetype reasoningChars = 0;
        bool contentStarted = false;
        bool final = false;
        /// Final blocks remain to be written: the frame ran out of time (kFrameBudget). The
        /// footer is written once they are.
        bool contentPending = false;
        MessageStatus status = MessageStatus::Streaming;
        int footerFrom = -1;
        int reasoningFrom = 0; ///< the reasoning toggle (and text, when open) sit in [from, to)
        int reasoningTo = 0;
    };
    /// What the user toggled on a message; survives re-renders, keyed by message id.
    struct Toggles {
        bool reasoningOpen = false;
        bool allSources = false;
    };

    [[nodiscard]] const QList<MessageRecord> &messages() const;
    [[nodiscard]] MessageVersions versionsOf(int index) const;
    [[nodiscard]] int endOf(qsizetype index) const;
    [[nodiscard]] Toggles &togglesOf(qsizetype index);
    void markDirty(int index);
    void scheduleFrame();
    void renderFrame();
    /// Writes message @p index from scratch at its start (replacing what was there).
    void renderMessage(qsizetype index);
    /// Brings a rendered message up to date; false when only a full re-render can.
    bool extendMessage(qsizetype index);
    void extendContent(qsizetype index, bool final);
    /// Writes the open fence of finished message @p index up to where the frame runs out of
    /// time; true once all of @p code is written.
    bool writeCodeInSteps(qsizetype index, QTextCursor &cursor, QStringView code);
    /// The footer, and the background of a user's message, once all its content is written.
    void finishMessage(qsizetype index);
    void writeFooter(qsizetype index);
    void toggleReasoning(qsizetype index);
    /// After edits inside message @p index: moves the starts of the messages after it.
    void syncStarts(qsizetype index);
    QString blockMarkdown(const MessageRecord &message, const MarkdownBlock &block, bool final) const;
    void onAnchorClicked(const QUrl &url);
    void showCitation(int index, int number);
    void copyCode(int index, int block);
    KSyntaxHighlighting::Definition definitionFor(const QString &language);
    void performAction(int index, MessageAction action);
    QString toolTipAt(const QPoint &viewportPos) const;
    void updateStyle();
    void updateColumnMargins();
    void scrollToEnd();

    const KSyntaxHighlighting::Repository *m_repository = nullptr;
    QString m_assistantLabel = tr("Assistant");
    InertTextDocument *m_document;
    LinkGuard *m_linkGuard;
    MarkdownRenderer m_renderer;
    RenderStyle m_style;
    /// The syntax theme for the palette; looked up once per palette, not per code block.
    KSyntaxHighlighting::Theme m_theme;
    /// Definitions by fence tag: a lookup by file name scans the whole repository.
    QHash<QString, KSyntaxHighlighting::Definition> m_definitions;
    QPointer<ChatSession> m_session;
    const QList<MessageRecord> *m_messages = nullptr;
    std::function<MessageVersions(int)> m_versions;
    std::vector<Rendered> m_rendered;
    /// The document's length when every Rendered::start was last right. Edits touch one message
    /// at a time, so the messages after it are off by exactly the difference (see endOf()).
    int m_syncedLength = 0;
    QHash<qint64, Toggles> m_toggles;
    QTimer m_frameTimer;
    QDeadlineTimer m_frameDeadline;
    bool m_dirty = false;
    bool m_rebuild = false;
    /// Lowest message index changed since the last frame; an earlier one than the last rendered
    /// message means history changed (retry, reload) and the document is rebuilt.
    qsizetype m_firstChanged = 0;
    int m_renderPasses = 0;
    FrameWork m_work;
    FrameWork m_lastWork;
    int m_viewResourceRequests = 0;
    /// Whether the view sticks to the newest text: true until the user scrolls away from the end.
    bool m_followTail = true;
    /// A rebuild is being written over several frames; the view follows the end after it.
    bool m_catchingUp = false;
    bool m_pinning = false;
};

} // namespace ragdesk
