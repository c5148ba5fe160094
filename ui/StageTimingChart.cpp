#include "ui/StageTimingChart.h"

#include "ui/AppTheme.h"

#include <QPainter>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kGap = 8;
constexpr int kBarHeight = 6;
} // namespace

StageTimingChart::StageTimingChart(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"stageTimingChart"_s);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setTimings({});
}

QString StageTimingChart::formatMs(double ms)
{
    if (ms >= 100)
        return tr("%1 ms").arg(QString::number(ms, 'f', 0));
    return tr("%1 ms").arg(QString::number(ms, 'f', 1));
}

void StageTimingChart::setTimings(const StageTimings &timings)
{
    m_rows = {
        { tr("Analysis"), timings.analysisMs },
        { tr("FTS"), timings.keywordMs },
        { tr("Embed query"), timings.embedQueryMs },
        { tr("Vector"), timings.vectorMs },
        { tr("Fusion"), timings.fusionMs },
        { tr("Rerank"), timings.rerankMs },
        { tr("Fetch"), timings.fetchMs },
    };
    setToolTip(summary());
    setAccessibleDescription(summary());
    updateGeometry();
    update();
}

QString StageTimingChart::summary() const
{
    QStringList parts;
    double total = 0;
    for (const Row &row : m_rows) {
        parts.append(u"%1 %2"_s.arg(row.label, formatMs(row.ms)));
        total += row.ms;
    }
    parts.append(tr("total %1").arg(formatMs(total)));
    return parts.join(u" · "_s);
}

int StageTimingChart::rowHeight() const
{
    return fontMetrics().height() + 2;
}

QSize StageTimingChart::sizeHint() const
{
    return { 260, int(m_rows.size()) * rowHeight() };
}

QSize StageTimingChart::minimumSizeHint() const
{
    return { 160, int(m_rows.size()) * rowHeight() };
}

void StageTimingChart::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QColor base = pal.color(QPalette::Window);
    const QColor text = pal.color(QPalette::WindowText);
    const QFontMetrics metrics = fontMetrics();

    int labelWidth = 0;
    double longest = 0;
    for (const Row &row : m_rows) {
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(row.label));
        longest = std::max(longest, row.ms);
    }
    const int valueWidth = metrics.horizontalAdvance(formatMs(9999.9));
    const int barLeft = labelWidth + kGap;
    const int barSpace = std::max(10, width() - barLeft - kGap - valueWidth);
    const QColor track = AppTheme::mix(base, text, 0.08);
    const QColor bar = AppTheme::accentColor(pal);
    const QColor muted = AppTheme::mix(base, text, 0.65);

    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        const int top = i * rowHeight();
        const QRect line(0, top, width(), rowHeight());
        painter.setPen(row.ms > 0 ? text : muted);
        painter.drawText(QRect(0, top, labelWidth, line.height()), Qt::AlignLeft | Qt::AlignVCenter, row.label);
        const QRectF trackRect(barLeft, top + (line.height() - kBarHeight) / 2.0, barSpace, kBarHeight);
        painter.setPen(Qt::NoPen);
        painter.setBrush(track);
        painter.drawRoundedRect(trackRect, 3, 3);
        if (row.ms > 0 && longest > 0) {
            // At least a sliver, so a stage that ran is told apart from one that did not.
            const double share = std::max(row.ms / longest, 0.02);
            painter.setBrush(bar);
            painter.drawRoundedRect(QRectF(trackRect.topLeft(), QSizeF(trackRect.width() * share, kBarHeight)), 3, 3);
        }
        painter.setPen(row.ms > 0 ? text : muted);
        painter.drawText(QRect(width() - valueWidth, top, valueWidth, line.height()), Qt::AlignRight | Qt::AlignVCenter,
            row.ms > 0 ? formatMs(row.ms) : u"—"_s);
    }
}

} // namespace ragdesk
