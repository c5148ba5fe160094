#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QWidget>

namespace ragdesk {

/// A compact horizontal bar chart of one search's stage timings (analysis, FTS, embedding,
/// vector, fusion, rerank, fetch), each bar labelled with its milliseconds.
class StageTimingChart : public QWidget
{
    Q_OBJECT
public:
    struct Row {
        QString label;
        double ms = 0;
    };

    explicit StageTimingChart(QWidget *parent = nullptr);

    void setTimings(const StageTimings &timings);
    [[nodiscard]] const QList<Row> &rows() const { return m_rows; }
    /// "Analysis 0.4 ms · FTS 3.1 ms · …", also the tooltip and accessible description.
    [[nodiscard]] QString summary() const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

    [[nodiscard]] static QString formatMs(double ms);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    [[nodiscard]] int rowHeight() const;

    QList<Row> m_rows;
};

} // namespace ragdesk
