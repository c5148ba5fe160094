#include "ui/HeaderTable.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

HeaderTable::HeaderTable(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
{
    m_table->setObjectName(u"headerTable"_s);
    m_table->setHorizontalHeaderLabels({ tr("Header"), tr("Value") });
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(0, 140);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    // Room for about three rows: most providers need none, OpenRouter two.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + 3 * m_table->verticalHeader()->defaultSectionSize() + 4);
    m_table->setMaximumHeight(m_table->minimumHeight());

    auto *add = new QPushButton(tr("Add header"), this);
    add->setObjectName(u"addHeaderButton"_s);
    auto *remove = new QPushButton(tr("Remove header"), this);
    remove->setObjectName(u"removeHeaderButton"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, &HeaderTable::addRow);
    connect(remove, &QPushButton::clicked, this, &HeaderTable::removeCurrentRow);
    connect(m_table, &QTableWidget::itemChanged, this, &HeaderTable::changed);
}

void HeaderTable::setHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    const QSignalBlocker block(m_table); // filling the table is not an edit
    m_table->setRowCount(0);
    for (const auto &[name, value] : headers) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(QString::fromUtf8(name)));
        m_table->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(value)));
    }
}

QList<std::pair<QByteArray, QByteArray>> HeaderTable::headers() const
{
    QList<std::pair<QByteArray, QByteArray>> result;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, 0);
        const QTableWidgetItem *value = m_table->item(row, 1);
        const QString key = name ? name->text().trimmed() : QString();
        if (!key.isEmpty())
            result.append({ key.toUtf8(), value ? value->text().trimmed().toUtf8() : QByteArray() });
    }
    return result;
}

void HeaderTable::addRow()
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem);
    m_table->setItem(row, 1, new QTableWidgetItem);
    m_table->setCurrentCell(row, 0);
    m_table->editItem(m_table->item(row, 0));
    Q_EMIT changed();
}

void HeaderTable::removeCurrentRow()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    m_table->removeRow(row);
    Q_EMIT changed();
}

} // namespace ragdesk
