#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QAbstractTableModel>

namespace ragdesk {

/// Each hit of a search with how it was found and scored: which stage found it, its keyword rank,
/// BM25 and scaled similarity, its vector rank and similarity, the fused and the rerank score.
class RetrievalInspectorModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Rank, Title, FoundBy, Keyword, Vector, Fused, Rerank, ColumnCount };

    explicit RetrievalInspectorModel(QObject *parent = nullptr);

    void setHits(QList<RetrievalHit> hits);

    /// "Keyword", "Vector" or "Both".
    [[nodiscard]] static QString foundByText(RetrievalStages stages);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    [[nodiscard]] QString cellText(const RetrievalHit &hit, int row, int column) const;
    [[nodiscard]] QString cellToolTip(const RetrievalHit &hit, int column) const;

    QList<RetrievalHit> m_hits;
};

} // namespace ragdesk
