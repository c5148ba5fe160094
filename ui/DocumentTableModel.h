#pragma once

#include "core/storage/KnowledgeBaseTypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPalette>

namespace ragdesk {

/// The documents of one knowledge base as table rows. Updates merge by document id and touch
/// only the rows that changed, so a 10k-file knowledge base refreshing every 250 ms stays cheap.
class DocumentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Status, Pages, Chunks, Size, Folder, Reason, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< raw value for sorting (numbers as numbers)
        StatusRole,                  ///< documentStatusName(), for the status filter
        IdRole,
    };

    explicit DocumentTableModel(QObject *parent = nullptr);

    /// Replaces the rows with @p documents, keeping rows (and selection) of unchanged ids.
    void setDocuments(const QList<DocumentRecord> &documents);
    /// Updates these documents in place, appending the ones not shown yet.
    void upsert(const QList<DocumentRecord> &documents);
    void clear();

    [[nodiscard]] int rowOf(qint64 documentId) const { return m_rows.value(documentId, -1); }
    [[nodiscard]] const DocumentRecord &document(int row) const { return m_documents.at(row); }
    [[nodiscard]] const QList<DocumentRecord> &documents() const { return m_documents; }
    /// Colours the status text from @p palette, readable on light and dark bases.
    void setPalette(const QPalette &palette);

    [[nodiscard]] static QString statusText(DocumentStatus status);
    [[nodiscard]] static QColor statusColor(DocumentStatus status, const QPalette &palette);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void reindex();

    QList<DocumentRecord> m_documents;
    QHash<qint64, int> m_rows;
    QPalette m_palette;
};

} // namespace ragdesk
