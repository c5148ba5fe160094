// Pages per second of DocumentExtractor on a generated 200-page PDF, against pdftotext on the
// same file in the same run. Prints its figures; timings are never asserted (shared machines).
#include "core/ingest/extractors/DocumentExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class BenchPdfExtraction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void comparedWithPdftotext()
    {
        constexpr int Pages = 200;
        constexpr int Rounds = 3;
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bench.pdf"_s);
        QVERIFY(ragdesk::testdocs::writePdf(path, ragdesk::testdocs::samplePdfPages(Pages)));
        const QString pdftotext = QStandardPaths::findExecutable(u"pdftotext"_s);
        if (pdftotext.isEmpty())
            QSKIP("pdftotext is not installed");

        qint64 oursBest = std::numeric_limits<qint64>::max();
        qint64 theirsBest = std::numeric_limits<qint64>::max();
        for (int round = 0; round < Rounds; ++round) {
            QElapsedTimer timer;
            timer.start();
            const auto document = ragdesk::DocumentExtractor::extract(path, {});
            oursBest = qMin(oursBest, timer.nsecsElapsed());
            QVERIFY(document);
            QCOMPARE(document->pageCount, Pages);

            QProcess process;
            timer.restart();
            process.start(pdftotext, {path, dir.filePath(u"out.txt"_s)});
            QVERIFY(process.waitForFinished(120000));
            theirsBest = qMin(theirsBest, timer.nsecsElapsed());
            QCOMPARE(process.exitCode(), 0);
        }
        const double ours = Pages / (double(oursBest) / 1e9);
        const double theirs = Pages / (double(theirsBest) / 1e9);
        qInfo().noquote() << u"PDF %1 pages, best of %2: DocumentExtractor %3 pages/s (%4 ms), pdftotext %5 pages/s "
                             "(%6 ms), ratio %7"_s.arg(Pages)
                                 .arg(Rounds)
                                 .arg(ours, 0, 'f', 0)
                                 .arg(oursBest / 1000000)
                                 .arg(theirs, 0, 'f', 0)
                                 .arg(theirsBest / 1000000)
                                 .arg(ours / theirs, 0, 'f', 2);
    }
};

QTEST_MAIN(BenchPdfExtraction)
#include "bench_pdfextraction.moc"
