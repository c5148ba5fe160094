#include "ui/SearchResultModel.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ragdesk {

SearchResultModel::SearchResultModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void SearchResultModel::setHits(QList<RetrievalHit> hits)
{
    beginResetModel();
    m_hits = std::move(hits);
    endResetModel();
}

void SearchResultModel::clear()
{
    setHits({});
}

QString SearchResultModel::titleText(const RetrievalHit &hit)
{
    if (!hit.documentTitle.trimmed().isEmpty())
        return hit.documentTitle.trimmed();
    const QString name = QFileInfo(hit.documentPath).fileName();
    return name.isEmpty() ? tr("Untitled document") : name;
}

QString SearchResultModel::locationText(const RetrievalHit &hit)
{
    QStringList parts;
    if (!hit.headingPath.trimmed().isEmpty())
        parts.append(hit.headingPath.trimmed());
    if (hit.page > 0)
        parts.append(tr("p. %1").arg(hit.page));
    return parts.join(u" · "_s);
}

int SearchResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_hits.size())
        return {};
    const RetrievalHit &hit = m_hits.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return titleText(hit);
    case LocationRole:
        return locationText(hit);
    case SnippetRole:
        return hit.snippet.text.isEmpty() ? hit.text.simplified() : hit.snippet.text;
    case HighlightSpansRole: {
        // Spans come from another component; one that points past the text must not crash the paint.
        QList<std::pair<qsizetype, qsizetype>> spans;
        const qsizetype size = hit.snippet.text.size();
        for (const auto &[start, length] : hit.snippet.spans) {
            if (start < 0 || length <= 0 || start >= size)
                continue;
            spans.append({ start, std::min(length, size - start) });
        }
        return QVariant::fromValue(spans);
    }
    case PathRole:
        return hit.documentPath;
    case Qt::ToolTipRole:
        return hit.documentPath;
    case Qt::AccessibleTextRole:
        return u"%1. %2. %3"_s.arg(titleText(hit), locationText(hit), hit.snippet.text);
    default:
        return {};
    }
}

} // namespace ragdesk
