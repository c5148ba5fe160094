#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace ragdesk {

class RetrievalInspectorModel;
class StageTimingChart;

/// How one search found what it found: per-stage timings, the FTS match expression, why vectors
/// or rerank were skipped, and a table of each hit's keyword, vector, fused and rerank scores.
/// Takes a plain RetrievalResult, so a search tab and (later) a chat answer can both show one.
class RetrievalInspector : public QWidget
{
    Q_OBJECT
public:
    explicit RetrievalInspector(QWidget *parent = nullptr);

    void setResult(const RetrievalResult &result);
    void clear();

    [[nodiscard]] QTableView *table() const { return m_table; }
    [[nodiscard]] RetrievalInspectorModel *model() const { return m_model; }
    [[nodiscard]] StageTimingChart *timingChart() const { return m_timings; }
    [[nodiscard]] QString matchExpression() const;
    /// The vector and rerank notices shown, one per line; empty when none applies.
    [[nodiscard]] QString noticeText() const;

private:
    QLabel *m_heading;
    QLabel *m_total;
    StageTimingChart *m_timings;
    QLabel *m_expression;
    QLabel *m_notice;
    QTableView *m_table;
    RetrievalInspectorModel *m_model;
};

} // namespace ragdesk
