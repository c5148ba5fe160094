#include "ui/DocumentTableModel.h"

#include "ui/AppTheme.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

/// What the table shows of a record; rows whose shown values are equal need no repaint.
bool sameRow(const DocumentRecord &a, const DocumentRecord &b)
{
    return a.status == b.status && a.error == b.error && a.chunkCount == b.chunkCount && a.pageCount == b.pageCount
        && a.size == b.size && a.path == b.path && a.title == b.title;
}

} // namespace

DocumentTableModel::DocumentTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void DocumentTableModel::setDocuments(const QList<DocumentRecord> &documents)
{
    QHash<qint64, int> incoming;
    incoming.reserve(documents.size());
    for (int i = 0; i < documents.size(); ++i)
        incoming.insert(documents.at(i).id, i);
    bool removed = false;
    for (const DocumentRecord &shown : std::as_const(m_documents)) {
        if (!incoming.contains(shown.id)) {
            removed = true;
            break;
        }
    }
    if (removed) {
        // Rows vanished (a removal, another knowledge base): a reset is simpler and as cheap.
        beginResetModel();
        m_documents = documents;
        reindex();
        endResetModel();
        return;
    }
    upsert(documents);
}

void DocumentTableModel::upsert(const QList<DocumentRecord> &documents)
{
    QList<DocumentRecord> added;
    for (const DocumentRecord &document : documents) {
        const int row = m_rows.value(document.id, -1);
        if (row < 0) {
            added.append(document);
            continue;
        }
        if (sameRow(m_documents.at(row), document)) {
            m_documents[row] = document;
            continue;
        }
        m_documents[row] = document;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (added.isEmpty())
        return;
    const int first = int(m_documents.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const DocumentRecord &document : std::as_const(added)) {
        m_rows.insert(document.id, int(m_documents.size()));
        m_documents.append(document);
    }
    endInsertRows();
}

void DocumentTableModel::clear()
{
    beginResetModel();
    m_documents.clear();
    m_rows.clear();
    endResetModel();
}

void DocumentTableModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (!m_documents.isEmpty())
        Q_EMIT dataChanged(index(0, Status), index(rowCount() - 1, Status), { Qt::ForegroundRole });
}

void DocumentTableModel::reindex()
{
    m_rows.clear();
    m_rows.reserve(m_documents.size());
    for (int i = 0; i < m_documents.size(); ++i)
        m_rows.insert(m_documents.at(i).id, i);
}

QString DocumentTableModel::statusText(DocumentStatus status)
{
    switch (status) {
    case DocumentStatus::Queued:
        return tr("Queued");
    case DocumentStatus::Extracting:
        return tr("Indexing…");
    case DocumentStatus::Indexed:
        return tr("Indexed");
    case DocumentStatus::Failed:
        return tr("Failed");
    case DocumentStatus::Skipped:
        return tr("Skipped");
    }
    return {};
}

QColor DocumentTableModel::statusColor(DocumentStatus status, const QPalette &palette)
{
    // Hues blended towards the text colour: saturated enough to scan, never lost on the base.
    const QColor text = palette.color(QPalette::Text);
    const bool dark = AppTheme::isDark(palette);
    switch (status) {
    case DocumentStatus::Queued:
        // Muted but still readable: a third of the way from the text towards the page.
        return AppTheme::mix(text, palette.color(QPalette::Base), 0.35);
    case DocumentStatus::Extracting:
        return AppTheme::accentColor(palette);
    case DocumentStatus::Indexed:
        return AppTheme::mix(text, dark ? QColor(0x5c, 0xd6, 0x7d) : QColor(0x1e, 0x80, 0x3c), 0.85);
    case DocumentStatus::Failed:
        return AppTheme::errorColor(palette);
    case DocumentStatus::Skipped:
        return AppTheme::mix(text, dark ? QColor(0xe0, 0xb0, 0x40) : QColor(0x9a, 0x62, 0x00), 0.85);
    }
    return text;
}

int DocumentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_documents.size());
}

int DocumentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DocumentTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_documents.size())
        return {};
    const DocumentRecord &document = m_documents.at(index.row());
    const bool done = document.status == DocumentStatus::Indexed;
    switch (role) {
    case IdRole:
        return document.id;
    case StatusRole:
        return documentStatusName(document.status);
    case Qt::ForegroundRole:
        if (index.column() == Status)
            return statusColor(document.status, m_palette);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Pages || index.column() == Chunks || index.column() == Size)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Status || index.column() == Reason)
            return document.error.isEmpty() ? statusText(document.status) : document.error;
        if (index.column() == Name || index.column() == Folder)
            return QDir::toNativeSeparators(document.path);
        return {};
    case SortRole:
        switch (index.column()) {
        case Status:
            return int(document.status);
        case Pages:
            return document.pageCount;
        case Chunks:
            return document.chunkCount;
        case Size:
            return document.size;
        default:
            return data(index, Qt::DisplayRole).toString().toLower();
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return QFileInfo(document.path).fileName();
        case Status:
            return statusText(document.status);
        case Pages:
            return done && document.pageCount > 0 ? QVariant(document.pageCount) : QVariant(QString());
        case Chunks:
            return done ? QVariant(document.chunkCount) : QVariant(QString());
        case Size:
            return QLocale().formattedDataSize(document.size, 1, QLocale::DataSizeTraditionalFormat);
        case Folder:
            return QDir::toNativeSeparators(QFileInfo(document.path).path());
        case Reason:
            return document.error;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant DocumentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case Pages:
        return tr("Pages");
    case Chunks:
        return tr("Chunks");
    case Size:
        return tr("Size");
    case Folder:
        return tr("Folder");
    case Reason:
        return tr("Reason");
    default:
        return {};
    }
}

} // namespace ragdesk
