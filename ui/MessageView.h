#pragma once

#include "core/storage/ConversationTypes.h"

#include <QList>
#include <QPlainTextEdit>
#include <QPointer>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QTimer>

#include <chrono>

namespace ragdesk {

class ChatSession;

/// Shows one session's messages as plain text under "You" / "Assistant" headers.
/// Rendering is incremental so that many streaming tabs stay cheap: a hidden view does no work
/// at all, a visible one renders at most ~30 frames a second, and each frame appends only the
/// text that arrived since the previous frame, so its cost does not grow with the message.
/// ChatTab only uses setSession()/resync(), so a richer (markdown) view can replace this one.
class MessageView : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kFrameInterval { 33 };
    /// Lines longer than this are hard to read; wider windows centre a column of this width.
    static constexpr int kMaxColumnWidth = 860;

    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    /// Follows @p session's signals. The view never owns the session.
    void setSession(ChatSession *session);
    /// Renders everything again, e.g. after the session loaded a whole conversation.
    void resync();

    /// Frames that changed the document. Tests use it to prove that hidden views stay idle
    /// and visible ones stay within the frame budget.
    [[nodiscard]] int renderPassCount() const { return m_renderPasses; }
    /// True while text arrived that is not on screen yet.
    [[nodiscard]] bool hasPendingText() const { return m_dirty; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    /// What of one message is already in the document.
    struct Rendered {
        int start = 0; ///< document position where the message's first block begins
        qsizetype reasoningChars = 0;
        qsizetype contentChars = 0;
        bool reasoningStarted = false;
        bool contentStarted = false;
        bool placeholder = false; ///< "waiting" note shown; replaced when text arrives
        bool closed = false; ///< final status rendered; any later change re-renders it
        MessageStatus status = MessageStatus::Streaming;
    };

    void markDirty(int index);
    void scheduleFrame();
    void renderFrame();
    void appendMessage(QTextCursor &cursor, const MessageRecord &message);
    /// Appends what is new in the last message; false when it cannot be appended (re-render).
    bool extendMessage(QTextCursor &cursor, Rendered &rendered, const MessageRecord &message);
    void appendSectionText(QTextCursor &cursor, bool &started, const QTextBlockFormat &block,
        const QTextCharFormat &format, const QString &text, qsizetype from);
    void appendStatusNote(QTextCursor &cursor, Rendered &rendered, const MessageRecord &message);
    void startBlock(QTextCursor &cursor, const QTextBlockFormat &block, const QTextCharFormat &format);
    void updateFormats();
    void updateColumnMargins();
    void scrollToEnd();

    QPointer<ChatSession> m_session;
    QList<Rendered> m_rendered;
    QTimer m_frameTimer;
    bool m_dirty = false;
    bool m_rebuild = false;
    /// Lowest message index changed since the last frame; an earlier one than the last rendered
    /// message means history changed (retry, reload) and the document is rebuilt.
    qsizetype m_firstChanged = 0;
    int m_renderPasses = 0;
    /// Whether the view sticks to the newest text: true until the user scrolls away from the end.
    bool m_followTail = true;
    bool m_pinning = false;

    QTextBlockFormat m_plainBlock;
    QTextBlockFormat m_userBlock;
    QTextCharFormat m_spacerFormat;
    QTextCharFormat m_userHeaderFormat;
    QTextCharFormat m_assistantHeaderFormat;
    QTextCharFormat m_bodyFormat;
    QTextCharFormat m_reasoningFormat;
    QTextCharFormat m_noteFormat;
    QTextCharFormat m_errorFormat;
};

} // namespace ragdesk
