#include "ui/ProviderListDelegate.h"

#include <QApplication>
#include <QPainter>

namespace ragdesk {

namespace {
constexpr int kPadding = 6;

QFont kindFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.88);
    return font;
}
} // namespace

void ProviderListDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString name = opt.text;
    opt.text.clear(); // the style draws background, selection and focus; the text is ours
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette &pal = opt.palette;
    const QRect area = opt.rect.adjusted(kPadding, kPadding / 2, -kPadding, -kPadding / 2);
    const QFontMetrics nameMetrics(opt.font);
    painter->save();
    painter->setPen(pal.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(opt.font);
    painter->drawText(QRect(area.left(), area.top(), area.width(), nameMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
        nameMetrics.elidedText(name, Qt::ElideRight, area.width()));
    const QFont small = kindFont(opt.font);
    painter->setFont(small);
    QColor dim = pal.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
    if (selected)
        dim.setAlphaF(0.8f);
    painter->setPen(dim);
    painter->drawText(QRect(area.left(), area.top() + nameMetrics.height(), area.width(), QFontMetrics(small).height()),
        Qt::AlignLeft | Qt::AlignVCenter, index.data(KindRole).toString());
    painter->restore();
}

QSize ProviderListDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    const int height = QFontMetrics(option.font).height() + QFontMetrics(kindFont(option.font)).height() + kPadding;
    return { base.width(), std::max(base.height(), height) };
}

} // namespace ragdesk
