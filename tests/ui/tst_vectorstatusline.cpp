// The vector status line under a knowledge base's progress: every text it can show, its error
// colour and Retry button, and that it follows EmbeddingBackfill's signals for its knowledge base.

#include "core/retrieval/EmbeddingBackfill.h"
#include "ui/AppTheme.h"
#include "ui/VectorStatusLine.h"

#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
using State = VectorStatusLine::State;

State withModel(std::optional<EmbeddingCoverage> coverage, const QString &error = {}, bool running = false)
{
    return State { .model = u"nomic-embed-text"_s, .coverage = coverage, .error = error, .running = running,
        .available = true };
}

QColor textColour(const VectorStatusLine &line)
{
    return line.findChild<QLabel *>(u"vectorStatusText"_s)->palette().color(QPalette::WindowText);
}
} // namespace

class TestVectorStatusLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describesEveryState_data()
    {
        QTest::addColumn<State>("state");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no model") << State {} << u"Keyword search only — no embedding model"_s;
        QTest::newRow("no model, no backfill") << State { .model = {}, .coverage = {}, .error = {}, .running = false, .available = false }
                                               << u"Keyword search only — no embedding model"_s;
        QTest::newRow("no backfill") << State { .model = u"nomic-embed-text"_s, .coverage = {}, .error = {}, .running = false,
                                         .available = false }
                                     << u"Vectors unavailable — embedding is not set up, so search uses keywords"_s;
        QTest::newRow("before the first pass") << withModel(std::nullopt) << u"Vectors: not embedded yet"_s;
        QTest::newRow("counting") << withModel(std::nullopt, {}, true) << u"Vectors: counting chunks…"_s;
        QTest::newRow("embedding") << withModel(EmbeddingCoverage { 312, 900 }, {}, true)
                                   << u"Vectors: 312 of 900 chunks (embedding…)"_s;
        QTest::newRow("partial, idle") << withModel(EmbeddingCoverage { 312, 900 })
                                       << u"Vectors: 312 of 900 chunks"_s;
        QTest::newRow("complete") << withModel(EmbeddingCoverage { 1200, 1200 }) << u"Vectors: all 1,200 chunks"_s;
        QTest::newRow("empty") << withModel(EmbeddingCoverage { 0, 0 }) << u"Vectors: no chunks yet"_s;
        QTest::newRow("failed") << withModel(EmbeddingCoverage { 256, 900 }, u"Model not found."_s)
                                << u"Vectors failed: Model not found."_s;
    }

    void describesEveryState()
    {
        QFETCH(State, state);
        QFETCH(QString, expected);
        QCOMPARE(VectorStatusLine::describe(state, QLocale(QLocale::English)), expected);
    }

    void errorsAreColouredAndOfferRetry()
    {
        QLocale::setDefault(QLocale(QLocale::English));
        EmbeddingBackfill backfill(EmbeddingBackfill::Parts {});
        VectorStatusLine line(&backfill);
        line.setPalette(AppTheme::lightPalette());
        line.show();
        line.setState(withModel(EmbeddingCoverage { 312, 900 }, {}, true));
        QCOMPARE(line.text(), u"Vectors: 312 of 900 chunks (embedding…)"_s);
        QVERIFY(!line.showsError());
        QVERIFY(line.retryButton()->isHidden());
        QVERIFY(textColour(line) != AppTheme::errorColor(line.palette()));

        line.setState(withModel(EmbeddingCoverage { 312, 900 }, u"Connection refused"_s));
        QCOMPARE(line.text(), u"Vectors failed: Connection refused"_s);
        QVERIFY(line.showsError());
        QVERIFY(line.retryButton()->isVisible());
        QCOMPARE(textColour(line), AppTheme::errorColor(line.palette()));

        // The error colour follows a theme switch.
        line.setPalette(AppTheme::darkPalette());
        QCOMPARE(textColour(line), AppTheme::errorColor(AppTheme::darkPalette()));

        // Retry says so at once (the pass starts after the backfill's debounce).
        line.retryButton()->click();
        QCOMPARE(line.text(), u"Vectors: retrying…"_s);
        QVERIFY(!line.retryButton()->isEnabled());
        QVERIFY(textColour(line) != AppTheme::errorColor(line.palette()));
        backfill.stop(); // these parts have no stores to run a pass on
    }

    void withoutBackfillThereIsNoRetry()
    {
        VectorStatusLine line(nullptr);
        line.show();
        line.setKnowledgeBase(7, u"nomic-embed-text"_s);
        QVERIFY(line.text().startsWith(u"Vectors unavailable"_s));
        line.setKnowledgeBase(7, {});
        QCOMPARE(line.text(), u"Keyword search only — no embedding model"_s);
        QVERIFY(line.retryButton()->isHidden());
    }

    void followsTheBackfillForItsKnowledgeBase()
    {
        QLocale::setDefault(QLocale(QLocale::English));
        EmbeddingBackfill backfill(EmbeddingBackfill::Parts {});
        VectorStatusLine line(&backfill);
        line.show();
        line.setKnowledgeBase(3, u"nomic-embed-text"_s);
        QCOMPARE(line.text(), u"Vectors: not embedded yet"_s);

        Q_EMIT backfill.progressChanged(3, EmbeddingCoverage { 256, 900 });
        QCOMPARE(line.text(), u"Vectors: 256 of 900 chunks (embedding…)"_s);
        // Another knowledge base's progress is not ours.
        Q_EMIT backfill.progressChanged(4, EmbeddingCoverage { 10, 10 });
        QCOMPARE(line.text(), u"Vectors: 256 of 900 chunks (embedding…)"_s);
        Q_EMIT backfill.failed(4, u"Not ours"_s);
        QVERIFY(!line.showsError());

        Q_EMIT backfill.failed(3, u"The embedding server is unreachable."_s);
        QCOMPARE(line.text(), u"Vectors failed: The embedding server is unreachable."_s);
        QVERIFY(line.retryButton()->isVisible());
        Q_EMIT backfill.finished();
        QVERIFY(line.showsError());

        // The next pass clears the error and finishes the job.
        Q_EMIT backfill.progressChanged(3, EmbeddingCoverage { 512, 900 });
        QVERIFY(!line.showsError());
        QVERIFY(line.retryButton()->isHidden());
        Q_EMIT backfill.progressChanged(3, EmbeddingCoverage { 900, 900 });
        Q_EMIT backfill.finished();
        QCOMPARE(line.text(), u"Vectors: all 900 chunks"_s);

        // A new model for the same knowledge base: the old model's figures no longer count.
        line.setKnowledgeBase(3, u"mxbai-embed-large"_s);
        QCOMPARE(line.text(), u"Vectors: not embedded yet"_s);
        Q_EMIT backfill.progressChanged(3, EmbeddingCoverage { 0, 900 });
        QCOMPARE(line.text(), u"Vectors: 0 of 900 chunks (embedding…)"_s);

        // Switching to a model-less knowledge base ignores the backfill's old figures.
        line.setKnowledgeBase(4, {});
        QCOMPARE(line.text(), u"Keyword search only — no embedding model"_s);
    }
};

QTEST_MAIN(TestVectorStatusLine)
#include "tst_vectorstatusline.moc"
