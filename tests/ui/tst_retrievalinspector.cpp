// RetrievalInspector on a fixed RetrievalResult: each hit's stage and scores, the stage timings,
// the match expression and the notices.

#include "tests/ui/FakeSearch.h"
#include "ui/RetrievalInspector.h"
#include "ui/RetrievalInspectorModel.h"
#include "ui/StageTimingChart.h"

#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

class TestRetrievalInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsScoresOfEachHit()
    {
        RetrievalInspector inspector;
        inspector.setResult(sampleResult(u"covering index"_s, 3));
        const RetrievalInspectorModel *model = inspector.model();
        QCOMPARE(model->rowCount(), 3);
        const auto cell = [model](int row, int column) { return model->index(row, column).data().toString(); };
        // Hit 0: both stages, reranked.
        QCOMPARE(cell(0, RetrievalInspectorModel::Rank), u"1"_s);
        QCOMPARE(cell(0, RetrievalInspectorModel::Title), u"SQLite Query Planner"_s);
        QCOMPARE(cell(0, RetrievalInspectorModel::FoundBy), u"Both"_s);
        QCOMPARE(cell(0, RetrievalInspectorModel::Keyword), u"#1 12.5→1.00"_s);
        QCOMPARE(cell(0, RetrievalInspectorModel::Vector), u"#3 0.840"_s);
        QCOMPARE(cell(0, RetrievalInspectorModel::Fused), u"0.0325"_s);
        QCOMPARE(cell(0, RetrievalInspectorModel::Rerank), u"0.912"_s);
        // Hit 1: keyword only, not reranked.
        QCOMPARE(cell(1, RetrievalInspectorModel::FoundBy), u"Keyword"_s);
        QCOMPARE(cell(1, RetrievalInspectorModel::Keyword), u"#2 10.8→0.87"_s);
        QCOMPARE(cell(1, RetrievalInspectorModel::Vector), u"—"_s);
        QCOMPARE(cell(1, RetrievalInspectorModel::Rerank), u"—"_s);
        // Hit 2: vector only.
        QCOMPARE(cell(2, RetrievalInspectorModel::FoundBy), u"Vector"_s);
        QCOMPARE(cell(2, RetrievalInspectorModel::Keyword), u"—"_s);
        QCOMPARE(cell(2, RetrievalInspectorModel::Vector), u"#1 0.760"_s);
        QCOMPARE(cell(2, RetrievalInspectorModel::Fused), u"0.0285"_s);
    }

    void showsTimingsExpressionAndNotices()
    {
        RetrievalInspector inspector;
        RetrievalResult result = sampleResult(u"covering index"_s, 2);
        result.rerankNotice = u"Rerank skipped: no rerank endpoint configured"_s;
        inspector.setResult(result);
        const StageTimingChart *chart = inspector.timingChart();
        QCOMPARE(chart->rows().size(), 7);
        QCOMPARE(chart->rows().at(1).label, u"FTS"_s);
        QCOMPARE(chart->rows().at(1).ms, 3.1);
        QCOMPARE(chart->rows().at(3).label, u"Vector"_s);
        QCOMPARE(chart->rows().at(3).ms, 2.2);
        QCOMPARE(chart->summary(),
            u"Analysis 0.4 ms · FTS 3.1 ms · Embed query 11.8 ms · Vector 2.2 ms · Fusion 0.1 ms · Rerank 0.0 ms · "
            "Fetch 1.6 ms · total 19.2 ms"_s);
        QCOMPARE(inspector.matchExpression(), u"Match: \"covering\"* OR \"index\""_s);
        QCOMPARE(inspector.noticeText(),
            u"Vectors partly ready (312 of 900 chunks embedded)\nRerank skipped: no rerank endpoint configured"_s);

        // Paints without trouble at a narrow width, and clear() empties everything.
        inspector.resize(380, 400);
        QVERIFY(!inspector.grab().isNull());
        inspector.clear();
        QCOMPARE(inspector.model()->rowCount(), 0);
        QVERIFY(inspector.noticeText().isEmpty());
    }
};

QTEST_MAIN(TestRetrievalInspector)
#include "tst_retrievalinspector.moc"
