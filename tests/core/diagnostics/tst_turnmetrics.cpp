// TurnMetrics: the metrics JSON of an answer, unknown figures left out.

#include "core/diagnostics/TurnMetrics.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestTurnMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryFigure()
    {
        TurnMetrics metrics;
        metrics.ttftMs = 120.5;
        metrics.totalMs = 900;
        metrics.tokensPerSecond = 42;
        metrics.completionTokens = 30;
        metrics.promptTokens = 800;
        metrics.refineMs = 80;
        metrics.retrievalMs = 25.25;
        metrics.promptMs = 0.75;
        metrics.overheadMs = 110;
        const QJsonObject json = metrics.toJson();
        QCOMPARE(json.value(u"retrieval_ms"_s).toDouble(), 25.25);
        QCOMPARE(json.value(u"overhead_ms"_s).toDouble(), 110.0);
        const TurnMetrics back = TurnMetrics::fromJson(json);
        QCOMPARE(back.ttftMs, metrics.ttftMs);
        QCOMPARE(back.totalMs, metrics.totalMs);
        QCOMPARE(back.tokensPerSecond, metrics.tokensPerSecond);
        QCOMPARE(back.completionTokens, metrics.completionTokens);
        QCOMPARE(back.promptTokens, metrics.promptTokens);
        QCOMPARE(back.refineMs, metrics.refineMs);
        QCOMPARE(back.retrievalMs, metrics.retrievalMs);
        QCOMPARE(back.promptMs, metrics.promptMs);
        QCOMPARE(back.overheadMs, metrics.overheadMs);
    }

    void leavesOutWhatIsUnknown()
    {
        TurnMetrics metrics;
        metrics.totalMs = 5;
        QCOMPARE(metrics.toJson(), (QJsonObject{{u"total_ms"_s, 5.0}}));
        const TurnMetrics back = TurnMetrics::fromJson({});
        QCOMPARE(back.retrievalMs, -1.0);
        QCOMPARE(back.overheadMs, -1.0);
        QCOMPARE(back.completionTokens, -1);
    }
};

QTEST_GUILESS_MAIN(TestTurnMetrics)
#include "tst_turnmetrics.moc"
