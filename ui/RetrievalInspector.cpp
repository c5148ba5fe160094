#include "ui/RetrievalInspector.h"

#include "ui/RetrievalInspectorModel.h"
#include "ui/StageTimingChart.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}
} // namespace

RetrievalInspector::RetrievalInspector(QWidget *parent)
    : QWidget(parent)
    , m_heading(sectionLabel(tr("Retrieval inspector"), this))
    , m_total(new QLabel(this))
    , m_timings(new StageTimingChart(this))
    , m_expression(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new RetrievalInspectorModel(this))
{
    setObjectName(u"retrievalInspector"_s);
    m_total->setObjectName(u"inspectorTotal"_s);
    m_total->setForegroundRole(QPalette::PlaceholderText);
    m_expression->setObjectName(u"inspectorMatchExpression"_s);
    m_expression->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_expression->setWordWrap(true);
    m_expression->setTextFormat(Qt::PlainText);
    m_expression->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_expression->setToolTip(tr("The full-text (FTS5) query the analysis built from your words"));
    m_notice->setObjectName(u"inspectorNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->hide();

    m_table->setObjectName(u"inspectorTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RetrievalInspectorModel::Title, QHeaderView::Stretch);
    header->setMinimumSectionSize(28);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_heading);
    top->addStretch(1);
    top->addWidget(m_total);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(6);
    layout->addLayout(top);
    layout->addWidget(m_timings);
    layout->addWidget(m_expression);
    layout->addWidget(m_notice);
    layout->addWidget(m_table, 1);
    clear();
}

void RetrievalInspector::setResult(const RetrievalResult &result)
{
    const QString total = StageTimingChart::formatMs(result.timings.totalMs());
    m_total->setText(result.hits.size() == 1 ? tr("1 hit · %1").arg(total)
                                             : tr("%1 hits · %2").arg(result.hits.size()).arg(total));
    m_timings->setTimings(result.timings);
    m_expression->setText(result.matchExpression.isEmpty() ? tr("Match: (no keyword query)")
                                                           : tr("Match: %1").arg(result.matchExpression));
    QStringList notices;
    if (!result.vectorNotice.isEmpty())
        notices.append(result.vectorNotice);
    if (!result.rerankNotice.isEmpty())
        notices.append(result.rerankNotice);
    m_notice->setText(notices.join(u'\n'));
    m_notice->setVisible(!notices.isEmpty());
    m_model->setHits(result.hits);
}

void RetrievalInspector::clear()
{
    m_total->setText(tr("No search yet"));
    m_timings->setTimings({});
    m_expression->clear();
    m_notice->clear();
    m_notice->hide();
    m_model->setHits({});
}

QString RetrievalInspector::matchExpression() const
{
    return m_expression->text();
}

QString RetrievalInspector::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

} // namespace ragdesk
