#pragma once

#include <QAbstractTextDocumentLayout>
#include <QPoint>
#include <QScrollBar>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

namespace ragdesk::testing {

/// A point in @p view's viewport over the middle of the first text anchored to @p href, scrolled
/// into sight; null when no text carries that anchor.
inline QPoint anchorPointIn(QTextBrowser *view, const QString &href)
{
    QTextDocument *document = view->document();
    for (QTextBlock block = document->firstBlock(); block.isValid(); block = block.next()) {
        for (QTextBlock::iterator part = block.begin(); !part.atEnd(); ++part) {
            if (part.fragment().charFormat().anchorHref() == href) {
                QTextCursor middle(document);
                middle.setPosition(part.fragment().position() + part.fragment().length() / 2);
                view->setTextCursor(middle);
                view->ensureCursorVisible();
                return view->cursorRect(middle).center() + QPoint(1, 0);
            }
        }
    }
    return {};
}

/// Clicks the text anchored to @p href like a user; false when there is none.
inline bool clickAnchorIn(QTextBrowser *view, const QString &href)
{
    const QPoint point = anchorPointIn(view, href);
    if (point.isNull())
        return false;
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, point);
    return true;
}

} // namespace ragdesk::testing
