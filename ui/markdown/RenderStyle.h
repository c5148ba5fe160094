#pragma once

#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QTextFrameFormat>

class QFont;
class QPalette;

namespace ragdesk {

/// Every format the message view writes, derived from one palette and font. Colours are baked
/// into the document, so a palette change means new formats and a re-render.
struct RenderStyle {
    QTextFrameFormat userFrame;
    QTextFrameFormat assistantFrame;
    QTextBlockFormat plainBlock;
    QTextCharFormat body;
    QTextCharFormat userHeader;
    QTextCharFormat assistantHeader;
    QTextCharFormat reasoning;
    QTextCharFormat note;
    QTextCharFormat error;
    QTextCharFormat control;     ///< clickable chrome: toggles, actions, copy
    QTextCharFormat link;        ///< a link's own text
    QTextCharFormat linkTarget;  ///< the target shown after it
    QTextCharFormat chip;        ///< a linked citation
    QTextCharFormat inferredChip;
    QTextCharFormat deadChip;    ///< a cited number with no such source
    QTextBlockFormat codeHeaderBlock;
    QTextBlockFormat codeBlock;
    QTextCharFormat code;
    QTextCharFormat codeLanguage;

    static RenderStyle from(const QPalette &palette, const QFont &font);
};

} // namespace ragdesk
