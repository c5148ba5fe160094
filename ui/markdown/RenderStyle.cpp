#include "ui/markdown/RenderStyle.h"

#include "ui/AppTheme.h"

#include <QFontDatabase>
#include <QPalette>

namespace ragdesk {

RenderStyle RenderStyle::from(const QPalette &palette, const QFont &font)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    const bool dark = AppTheme::isDark(palette);
    const double size = font.pointSizeF() > 0 ? font.pointSizeF() : 10.0;
    RenderStyle style;

    style.assistantFrame.setPadding(4);
    style.assistantFrame.setBottomMargin(14);
    style.userFrame = style.assistantFrame;
    style.userFrame.setPadding(8);
    style.userFrame.setBackground(AppTheme::mix(base, palette.color(QPalette::Highlight), dark ? 0.14 : 0.07));

    style.body.setForeground(text);
    style.userHeader = style.body;
    style.userHeader.setFontWeight(QFont::Bold);
    style.userHeader.setForeground(AppTheme::accentColor(palette));
    style.assistantHeader = style.userHeader;
    style.assistantHeader.setForeground(AppTheme::assistantColor(palette));

    style.reasoning = style.body;
    style.reasoning.setFontItalic(true);
    style.reasoning.setForeground(AppTheme::mix(text, base, 0.45));

    style.note = style.body;
    style.note.setFontItalic(true);
    style.note.setFontPointSize(qMax(6.0, size * 0.9));
    style.note.setForeground(AppTheme::mix(text, base, 0.5));
    style.error = style.note;
    style.error.setFontItalic(false);
    style.error.setForeground(AppTheme::errorColor(palette));

    const QColor linkColour = palette.color(dark ? QPalette::LinkVisited : QPalette::Link);
    style.control = style.body;
    style.control.setFontPointSize(qMax(6.0, size * 0.9));
    style.control.setForeground(AppTheme::mix(text, base, 0.35));
    style.control.setAnchor(true);
    style.link = style.body;
    style.link.setForeground(dark ? AppTheme::mix(linkColour, text, 0.35) : linkColour);
    style.link.setFontUnderline(true);
    style.link.setAnchor(true);
    style.linkTarget = style.link;
    style.linkTarget.setFontUnderline(false);
    style.linkTarget.setFontPointSize(qMax(6.0, size * 0.85));
    style.linkTarget.setForeground(AppTheme::mix(text, base, 0.45));

    style.chip.setAnchor(true);
    style.chip.setFontPointSize(qMax(6.0, size * 0.75));
    style.chip.setFontWeight(QFont::DemiBold);
    style.chip.setVerticalAlignment(QTextCharFormat::AlignTop);
    style.chip.setForeground(AppTheme::accentColor(palette));
    style.chip.setBackground(AppTheme::mix(base, AppTheme::accentColor(palette), dark ? 0.28 : 0.16));
    style.inferredChip = style.chip;
    style.inferredChip.setFontItalic(true);
    style.inferredChip.setFontWeight(QFont::Normal);
    style.inferredChip.setUnderlineStyle(QTextCharFormat::DotLine);
    style.inferredChip.setBackground(AppTheme::mix(base, AppTheme::accentColor(palette), dark ? 0.12 : 0.07));
    style.deadChip = style.chip;
    style.deadChip.setAnchor(false);
    style.deadChip.setForeground(AppTheme::mix(text, base, 0.5));
    style.deadChip.setBackground(AppTheme::mix(base, text, 0.08));
    style.deadChip.setFontStrikeOut(true);

    const QColor codeBackground = AppTheme::mix(base, text, dark ? 0.07 : 0.045);
    style.codeBlock.setBackground(codeBackground);
    style.codeBlock.setLeftMargin(6);
    style.codeBlock.setRightMargin(6);
    style.codeBlock.setNonBreakableLines(false);
    style.codeHeaderBlock = style.codeBlock;
    style.codeHeaderBlock.setTopMargin(6);
    style.codeHeaderBlock.setBackground(AppTheme::mix(base, text, dark ? 0.12 : 0.08));
    style.code.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    style.code.setFontPointSize(qMax(6.0, size * 0.92));
    style.code.setForeground(text);
    style.codeLanguage = style.note;
    style.codeLanguage.setFontItalic(false);
    return style;
}

} // namespace ragdesk
