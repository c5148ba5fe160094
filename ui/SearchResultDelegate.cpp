#include "ui/SearchResultDelegate.h"

#include "ui/AppTheme.h"
#include "ui/SearchResultModel.h"

#include <QApplication>
#include <QPainter>
#include <QTextLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kPaddingX = 14;
constexpr int kPaddingY = 10;
constexpr int kLineGap = 3;
constexpr int kAccentWidth = 3;

QFont titleFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    return font;
}

QFont locationFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.92);
    return font;
}

using Spans = QList<std::pair<qsizetype, qsizetype>>;

/// Lays out up to kSnippetLines lines of @p text in @p width; an ellipsis marks cut text.
/// Returns whether the text was cut.
bool layoutSnippet(QTextLayout &layout, int width, int lineHeight)
{
    const QFontMetrics metrics(layout.font());
    const int ellipsisWidth = metrics.horizontalAdvance(u"…"_s);
    const auto textSize = layout.text().size();
    layout.beginLayout();
    bool cut = false;
    for (int i = 0; i < SearchResultDelegate::kSnippetLines; ++i) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, i * lineHeight));
        if (i == SearchResultDelegate::kSnippetLines - 1 && line.textStart() + line.textLength() < textSize) {
            line.setLineWidth(std::max(0, width - ellipsisWidth));
            cut = true;
        }
    }
    layout.endLayout();
    return cut;
}

} // namespace

SearchResultDelegate::SearchResultDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    const QFontMetrics title(titleFont(option.font));
    const QFontMetrics location(locationFont(option.font));
    const QFontMetrics snippet(option.font);
    // Uniform rows: the list scrolls evenly and never re-measures while results stream in.
    const int height = 2 * kPaddingY + title.height() + kLineGap + location.height() + 2 * kLineGap
        + kSnippetLines * snippet.lineSpacing();
    return { 200, height };
}

void SearchResultDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    const QPalette &palette = option.palette;
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const QColor highlight = palette.color(QPalette::Highlight);
    const bool dark = AppTheme::isDark(palette);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;

    // A tinted card with an accent bar instead of the style's solid selection: the snippet's
    // marks and muted lines keep their colours and stay readable when selected.
    QColor background = base;
    if (selected)
        background = AppTheme::mix(base, highlight, dark ? 0.24 : 0.12);
    else if (hovered)
        background = AppTheme::mix(base, text, 0.04);
    painter->fillRect(option.rect, background);
    if (selected)
        painter->fillRect(QRect(option.rect.topLeft(), QSize(kAccentWidth, option.rect.height())), highlight);
    painter->fillRect(QRect(option.rect.left(), option.rect.bottom(), option.rect.width(), 1),
        AppTheme::mix(base, text, 0.10));

    const QRect content = option.rect.adjusted(kPaddingX, kPaddingY, -kPaddingX, -kPaddingY);
    int y = content.top();

    const QFont titleF = titleFont(option.font);
    const QFontMetrics titleMetrics(titleF);
    painter->setFont(titleF);
    painter->setPen(text);
    const QString title = index.data(SearchResultModel::TitleRole).toString();
    painter->drawText(QRect(content.left(), y, content.width(), titleMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        titleMetrics.elidedText(title, Qt::ElideRight, content.width()));
    y += titleMetrics.height() + kLineGap;

    const QFont locationF = locationFont(option.font);
    const QFontMetrics locationMetrics(locationF);
    painter->setFont(locationF);
    painter->setPen(AppTheme::mix(base, text, 0.62));
    const QString location = index.data(SearchResultModel::LocationRole).toString();
    painter->drawText(QRect(content.left(), y, content.width(), locationMetrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter, locationMetrics.elidedText(location, Qt::ElideMiddle, content.width()));
    y += locationMetrics.height() + 2 * kLineGap;

    // Line breaks become spaces one for one, so the spans' offsets still point at the same text.
    QString snippet = index.data(SearchResultModel::SnippetRole).toString();
    for (QChar &c : snippet) {
        if (c == u'\n' || c == u'\r' || c == u'\t' || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    const auto spans = index.data(SearchResultModel::HighlightSpansRole).value<Spans>();
    QTextCharFormat mark;
    mark.setBackground(AppTheme::markColor(palette));
    mark.setFontWeight(QFont::DemiBold);
    QList<QTextLayout::FormatRange> formats;
    for (const auto &[start, length] : spans)
        formats.append({ int(start), int(length), mark });
    QTextLayout layout(snippet, option.font);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(textOption);
    layout.setFormats(formats);
    const QFontMetrics snippetMetrics(option.font);
    const bool cut = layoutSnippet(layout, content.width(), snippetMetrics.lineSpacing());
    painter->setFont(option.font);
    painter->setPen(AppTheme::mix(base, text, 0.88));
    const QPointF origin(content.left(), y);
    layout.draw(painter, origin);
    if (cut && layout.lineCount() > 0) {
        const QTextLine last = layout.lineAt(layout.lineCount() - 1);
        painter->drawText(origin + QPointF(last.naturalTextWidth(), last.y() + last.ascent()), u"…"_s);
    }
    painter->restore();
}

} // namespace ragdesk
