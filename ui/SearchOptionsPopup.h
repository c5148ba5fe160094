#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace ragdesk {

/// The search tab's advanced settings, kept out of the default view: how many results, and how
/// keyword and vector hits are fused (reciprocal rank, or a weighted sum with a keyword weight).
class SearchOptionsPopup : public QWidget
{
    Q_OBJECT
public:
    explicit SearchOptionsPopup(QWidget *parent = nullptr);

    /// Writes top N, fusion method and keyword weight into @p options.
    void applyTo(RetrievalOptions &options) const;

    [[nodiscard]] QSpinBox *topN() const { return m_topN; }
    [[nodiscard]] QComboBox *fusion() const { return m_fusion; }
    [[nodiscard]] QSlider *keywordWeight() const { return m_keywordWeight; }

Q_SIGNALS:
    void changed();

private:
    void updateWeight();

    QSpinBox *m_topN;
    QComboBox *m_fusion;
    QSlider *m_keywordWeight;
    QLabel *m_keywordWeightLabel;
};

} // namespace ragdesk
