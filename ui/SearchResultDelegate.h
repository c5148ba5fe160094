#pragma once

#include <QStyledItemDelegate>

namespace ragdesk {

/// Paints one search hit as a three-part card: the title in bold, "heading path · p. N" muted,
/// and up to three lines of snippet with the matched spans marked (AppTheme::markColor).
/// Reads SearchResultModel's roles only, so any model with them can use it.
class SearchResultDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int kSnippetLines = 3;

    explicit SearchResultDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace ragdesk
