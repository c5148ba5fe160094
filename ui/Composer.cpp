#include "ui/Composer.h"

#include <QKeyEvent>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(u"composer"_s);
    setPlaceholderText(tr("Ask a question…   (Enter sends, Shift+Enter adds a line, Esc stops)"));
    setTabChangesFocus(true);
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    document()->setDocumentMargin(6);
    QFont bigger = font();
    bigger.setPointSizeF(bigger.pointSizeF() + 1);
    setFont(bigger);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &Composer::adjustHeight);
    connect(document(), &QTextDocument::contentsChanged, this, &Composer::adjustHeight);
    adjustHeight();
}

QSize Composer::sizeHint() const
{
    return { QPlainTextEdit::sizeHint().width(), height() };
}

QSize Composer::minimumSizeHint() const
{
    return { QPlainTextEdit::minimumSizeHint().width(), heightForLines(kMinLines) };
}

int Composer::heightForLines(int lines) const
{
    const int margins = int(2 * document()->documentMargin()) + contentsMargins().top() + contentsMargins().bottom();
    return lines * fontMetrics().lineSpacing() + margins + 2;
}

void Composer::adjustHeight()
{
    // Wrapped lines count too; the composer is small, so walking its blocks is cheap.
    int lines = 0;
    for (QTextBlock block = document()->begin(); block.isValid() && lines <= kMaxLines; block = block.next())
        lines += qMax(1, block.layout() ? block.layout()->lineCount() : 1);
    const int wanted = heightForLines(qBound(kMinLines, lines, kMaxLines));
    if (height() != wanted) {
        setFixedHeight(wanted);
        updateGeometry();
    }
}

void Composer::focusInEvent(QFocusEvent *event)
{
    QPlainTextEdit::focusInEvent(event);
    // The frame around the composer draws a focus ring; it must repaint.
    if (parentWidget())
        parentWidget()->update();
}

void Composer::focusOutEvent(QFocusEvent *event)
{
    QPlainTextEdit::focusOutEvent(event);
    if (parentWidget())
        parentWidget()->update();
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool isEnter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (isEnter && (event->modifiers() & Qt::ShiftModifier)) {
        // A plain newline, not the line separator QPlainTextEdit would insert for Shift+Enter.
        insertPlainText(u"\n"_s);
        return;
    }
    if (isEnter && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
        Q_EMIT submitRequested();
        return;
    }
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        Q_EMIT stopRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace ragdesk
