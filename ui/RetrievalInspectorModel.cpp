#include "ui/RetrievalInspectorModel.h"

#include "ui/SearchResultModel.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
const QString kAbsent = u"—"_s;

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}
} // namespace

RetrievalInspectorModel::RetrievalInspectorModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void RetrievalInspectorModel::setHits(QList<RetrievalHit> hits)
{
    beginResetModel();
    m_hits = std::move(hits);
    endResetModel();
}

QString RetrievalInspectorModel::foundByText(RetrievalStages stages)
{
    const bool keyword = stages.testFlag(RetrievalStage::Keyword);
    const bool vector = stages.testFlag(RetrievalStage::Vector);
    if (keyword && vector)
        return tr("Both");
    if (keyword)
        return tr("Keyword");
    if (vector)
        return tr("Vector");
    return kAbsent;
}

int RetrievalInspectorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

int RetrievalInspectorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RetrievalInspectorModel::cellText(const RetrievalHit &hit, int row, int column) const
{
    switch (column) {
    case Rank:
        return QString::number(row + 1);
    case Title:
        return SearchResultModel::titleText(hit);
    case FoundBy:
        return foundByText(hit.foundBy);
    case Keyword: {
        if (hit.keywordRank < 0 && !hit.keywordScore)
            return kAbsent;
        // "#rank  BM25 → scaled": the raw score and what fusion saw of it.
        QStringList parts;
        if (hit.keywordRank >= 0)
            parts.append(u"#%1"_s.arg(hit.keywordRank + 1));
        if (hit.keywordScore)
            parts.append(number(*hit.keywordScore, 1));
        QString text = parts.join(u" "_s);
        if (hit.keywordSimilarity)
            text += u"→"_s + number(*hit.keywordSimilarity, 2);
        return text;
    }
    case Vector: {
        if (hit.vectorRank < 0 && !hit.vectorSimilarity)
            return kAbsent;
        QStringList parts;
        if (hit.vectorRank >= 0)
            parts.append(u"#%1"_s.arg(hit.vectorRank + 1));
        if (hit.vectorSimilarity)
            parts.append(number(*hit.vectorSimilarity, 3));
        return parts.join(u" "_s);
    }
    case Fused:
        return number(hit.fusedScore, 4);
    case Rerank:
        return hit.rerankScore ? number(*hit.rerankScore, 3) : kAbsent;
    default:
        return {};
    }
}

QString RetrievalInspectorModel::cellToolTip(const RetrievalHit &hit, int column) const
{
    switch (column) {
    case Title:
        return hit.documentPath;
    case Keyword:
        return tr("Rank in the keyword (FTS) stage, BM25 score (higher is better) and BM25 scaled into "
                  "[0, 1] against the best keyword hit");
    case Vector:
        return tr("Rank in the vector stage and cosine similarity to the query");
    case Fused:
        return tr("The score the final order is by, before rerank (weighted similarity %1)")
            .arg(number(hit.weightedSimilarity, 3));
    case Rerank:
        return hit.rerankScore ? tr("Score from the rerank endpoint") : tr("Not reranked");
    default:
        return {};
    }
}

QVariant RetrievalInspectorModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_hits.size())
        return {};
    const RetrievalHit &hit = m_hits.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(hit, index.row(), index.column());
    case Qt::ToolTipRole:
        return cellToolTip(hit, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Title || index.column() == FoundBy)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant RetrievalInspectorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Rank:
        return u"#"_s;
    case Title:
        return tr("Document");
    case FoundBy:
        return tr("Found by");
    case Keyword:
        return tr("Keyword");
    case Vector:
        return tr("Vector");
    case Fused:
        return tr("Fused");
    case Rerank:
        return tr("Rerank");
    default:
        return {};
    }
}

} // namespace ragdesk
