#pragma once

#include <QStyledItemDelegate>

namespace ragdesk {

/// Draws a provider list entry as its name over its kind, the kind smaller and dimmer, so the
/// two lines read as one entry rather than two.
class ProviderListDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    /// The item data role holding the kind's label.
    static constexpr int KindRole = Qt::UserRole + 1;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace ragdesk
