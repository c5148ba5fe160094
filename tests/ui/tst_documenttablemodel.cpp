// DocumentTableModel: rows merged in place by id, status text and colours in both themes.

#include "ui/AppTheme.h"
#include "ui/DocumentTableModel.h"

#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

DocumentRecord record(qint64 id, DocumentStatus status, qint64 size = 1000, const QString &error = {})
{
    DocumentRecord document;
    document.id = id;
    document.knowledgeBaseId = 1;
    document.path = u"/data/notes/file%1.md"_s.arg(id);
    document.size = size;
    document.status = status;
    document.error = error;
    document.chunkCount = status == DocumentStatus::Indexed ? int(id) * 3 : 0;
    document.pageCount = status == DocumentStatus::Indexed ? 2 : 0;
    return document;
}

/// WCAG-style relative luminance contrast between two colours.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestDocumentTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsColumnsOfADocument()
    {
        DocumentTableModel model;
        model.setDocuments({ record(1, DocumentStatus::Indexed, 2048), record(2, DocumentStatus::Failed, 10, u"Not a PDF."_s) });
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(DocumentTableModel::ColumnCount));
        QCOMPARE(model.index(0, DocumentTableModel::Name).data().toString(), u"file1.md"_s);
        QCOMPARE(model.index(0, DocumentTableModel::Status).data().toString(), u"Indexed"_s);
        QCOMPARE(model.index(0, DocumentTableModel::Chunks).data().toInt(), 3);
        QCOMPARE(model.index(0, DocumentTableModel::Pages).data().toInt(), 2);
        QCOMPARE(model.index(0, DocumentTableModel::Folder).data().toString(), u"/data/notes"_s);
        QCOMPARE(model.index(0, DocumentTableModel::Size).data().toString(),
            QLocale().formattedDataSize(2048, 1, QLocale::DataSizeTraditionalFormat));
        // A failed file: its reason is the Status tooltip and the Reason column; no chunk count.
        QCOMPARE(model.index(1, DocumentTableModel::Status).data().toString(), u"Failed"_s);
        QCOMPARE(model.index(1, DocumentTableModel::Status).data(Qt::ToolTipRole).toString(), u"Not a PDF."_s);
        QCOMPARE(model.index(1, DocumentTableModel::Reason).data().toString(), u"Not a PDF."_s);
        QCOMPARE(model.index(1, DocumentTableModel::Chunks).data().toString(), QString());
        QCOMPARE(model.index(1, 0).data(DocumentTableModel::StatusRole).toString(), documentStatusName(DocumentStatus::Failed));
    }

    void upsertTouchesOnlyChangedRows()
    {
        DocumentTableModel model;
        QList<DocumentRecord> documents;
        for (int id = 1; id <= 100; ++id)
            documents.append(record(id, DocumentStatus::Queued));
        model.setDocuments(documents);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        // Same values again: nothing repaints.
        model.upsert({ documents.at(4), documents.at(5) });
        QCOMPARE(changed.count(), 0);

        model.upsert({ record(5, DocumentStatus::Indexed), record(101, DocumentStatus::Queued) });
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 4);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 4);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 101);
        QCOMPARE(model.rowOf(101), 100);
        QCOMPARE(model.index(4, DocumentTableModel::Status).data().toString(), u"Indexed"_s);
        QCOMPARE(reset.count(), 0);

        // A full list with one document gone: the gone row disappears, ids still map to rows.
        documents.removeAt(0);
        documents.append(record(101, DocumentStatus::Queued));
        model.setDocuments(documents);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.rowOf(1), -1);
        QCOMPARE(model.document(model.rowOf(50)).id, 50);
    }

    void setDocumentsWithTheSameIdsKeepsRows()
    {
        DocumentTableModel model;
        model.setDocuments({ record(1, DocumentStatus::Queued), record(2, DocumentStatus::Queued) });
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setDocuments({ record(1, DocumentStatus::Queued), record(2, DocumentStatus::Extracting) });
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.index(1, DocumentTableModel::Status).data().toString(), u"Indexing…"_s);
    }

    void sortsNumbersAsNumbers()
    {
        DocumentTableModel model;
        model.setDocuments({ record(1, DocumentStatus::Indexed, 900), record(2, DocumentStatus::Indexed, 10000),
            record(3, DocumentStatus::Indexed, 95) });
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(DocumentTableModel::SortRole);
        proxy.sort(DocumentTableModel::Size, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data(DocumentTableModel::IdRole).toLongLong(), 3);
        QCOMPARE(proxy.index(2, 0).data(DocumentTableModel::IdRole).toLongLong(), 2);
        proxy.setFilterRole(DocumentTableModel::StatusRole);
        proxy.setFilterKeyColumn(DocumentTableModel::Status);
        proxy.setFilterRegularExpression(u"^failed$"_s);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void statusColoursReadOnLightAndDark()
    {
        for (const QPalette &palette : { AppTheme::lightPalette(), AppTheme::darkPalette() }) {
            const QColor base = palette.color(QPalette::Base);
            QSet<QRgb> seen;
            for (DocumentStatus status : { DocumentStatus::Queued, DocumentStatus::Extracting, DocumentStatus::Indexed,
                     DocumentStatus::Failed, DocumentStatus::Skipped }) {
                const QColor colour = DocumentTableModel::statusColor(status, palette);
                QVERIFY2(contrast(colour, base) >= 3.0,
                    qPrintable(u"%1 on %2: %3"_s.arg(colour.name(), base.name()).arg(contrast(colour, base))));
                seen.insert(colour.rgb());
            }
            // Failed, indexed and skipped must not look alike.
            QVERIFY(seen.size() >= 4);
        }
        DocumentTableModel model;
        model.setDocuments({ record(1, DocumentStatus::Failed) });
        model.setPalette(AppTheme::darkPalette());
        QCOMPARE(model.index(0, DocumentTableModel::Status).data(Qt::ForegroundRole).value<QColor>(),
            AppTheme::errorColor(AppTheme::darkPalette()));
    }
};

QTEST_MAIN(TestDocumentTableModel)
#include "tst_documenttablemodel.moc"
