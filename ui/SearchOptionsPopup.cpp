#include "ui/SearchOptionsPopup.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace ragdesk {

SearchOptionsPopup::SearchOptionsPopup(QWidget *parent)
    : QWidget(parent)
    , m_topN(new QSpinBox(this))
    , m_fusion(new QComboBox(this))
    , m_keywordWeight(new QSlider(Qt::Horizontal, this))
    , m_keywordWeightLabel(new QLabel(this))
{
    setObjectName(u"searchOptionsPopup"_s);
    const RetrievalOptions defaults;
    m_topN->setObjectName(u"searchTopN"_s);
    m_topN->setRange(1, 100);
    m_topN->setValue(defaults.topN);
    m_fusion->setObjectName(u"searchFusion"_s);
    m_fusion->addItem(tr("Reciprocal rank"), int(FusionMethod::ReciprocalRank));
    m_fusion->addItem(tr("Weighted sum"), int(FusionMethod::WeightedSum));
    m_fusion->setCurrentIndex(m_fusion->findData(int(defaults.fusion)));
    m_fusion->setToolTip(tr("Reciprocal rank merges by position and needs no tuning; weighted sum mixes the "
                            "keyword and vector similarities by the weight below"));
    m_keywordWeight->setObjectName(u"searchKeywordWeight"_s);
    m_keywordWeight->setRange(0, 100);
    m_keywordWeight->setValue(int(defaults.keywordWeight * 100));
    m_keywordWeightLabel->setMinimumWidth(m_keywordWeightLabel->fontMetrics().horizontalAdvance(u"100%"_s));

    auto *weightRow = new QHBoxLayout;
    weightRow->addWidget(m_keywordWeight, 1);
    weightRow->addWidget(m_keywordWeightLabel);
    auto *form = new QFormLayout(this);
    form->setContentsMargins(12, 10, 12, 10);
    form->addRow(tr("Results:"), m_topN);
    form->addRow(tr("Fusion:"), m_fusion);
    form->addRow(tr("Keyword weight:"), weightRow);
    updateWeight();

    connect(m_fusion, &QComboBox::currentIndexChanged, this, [this] {
        updateWeight();
        Q_EMIT changed();
    });
    connect(m_keywordWeight, &QSlider::valueChanged, this, [this] {
        updateWeight();
        Q_EMIT changed();
    });
    connect(m_topN, &QSpinBox::valueChanged, this, &SearchOptionsPopup::changed);
}

void SearchOptionsPopup::applyTo(RetrievalOptions &options) const
{
    options.topN = m_topN->value();
    options.fusion = FusionMethod(m_fusion->currentData().toInt());
    options.keywordWeight = m_keywordWeight->value() / 100.0;
}

void SearchOptionsPopup::updateWeight()
{
    // The weight means nothing to reciprocal-rank fusion; greyed out rather than hidden, so it is found.
    const bool weighted = m_fusion->currentData().toInt() == int(FusionMethod::WeightedSum);
    m_keywordWeight->setEnabled(weighted);
    m_keywordWeightLabel->setEnabled(weighted);
    m_keywordWeightLabel->setText(u"%1%"_s.arg(m_keywordWeight->value()));
}

} // namespace ragdesk
