#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QAbstractListModel>

namespace ragdesk {

/// The hits of one search as a list: title, "heading path · p. N", and the snippet with the
/// spans that matched. SearchResultDelegate paints it; tests read the same roles.
class SearchResultModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        TitleRole = Qt::UserRole + 1,
        LocationRole, ///< "Chapter > Section · p. 12"; empty when the hit has neither
        SnippetRole,
        /// QList<std::pair<qsizetype, qsizetype>>: (start, length) into SnippetRole, clamped to it
        HighlightSpansRole,
        PathRole,
    };

    explicit SearchResultModel(QObject *parent = nullptr);

    void setHits(QList<RetrievalHit> hits);
    void clear();
    [[nodiscard]] const RetrievalHit &hit(int row) const { return m_hits.at(row); }
    [[nodiscard]] const QList<RetrievalHit> &hits() const { return m_hits; }

    /// "Chapter > Section · p. 12", the line under a hit's title.
    [[nodiscard]] static QString locationText(const RetrievalHit &hit);
    /// A hit's title, falling back to the file name.
    [[nodiscard]] static QString titleText(const RetrievalHit &hit);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;

private:
    QList<RetrievalHit> m_hits;
};

} // namespace ragdesk
