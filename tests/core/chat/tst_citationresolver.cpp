// CitationResolver: snapshots of the prompt's sources, parsed markers, and the aligner fallback.

#include "core/chat/CitationResolver.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

RetrievalHit hit(qint64 chunkId, const QString &text, int page = 0)
{
    RetrievalHit h;
    h.chunkId = chunkId;
    h.documentId = chunkId * 10;
    h.documentTitle = u"Doc %1"_s.arg(chunkId);
    h.documentPath = u"/docs/%1.pdf"_s.arg(chunkId);
    h.headingPath = u"Chapter > Section"_s;
    h.page = page;
    h.startOffset = chunkId * 100;
    h.endOffset = chunkId * 100 + text.size();
    h.text = text;
    return h;
}

QList<PromptSource> numbered(const QList<RetrievalHit> &hits)
{
    QList<PromptSource> sources = PromptSource::fromHits(hits);
    for (qsizetype i = 0; i < sources.size(); ++i)
        sources[i].number = int(i) + 1;
    return sources;
}

const QList<RetrievalHit> kHits{
    hit(7, u"Glaciers move slowly downhill under their own enormous weight, carving valleys."_s, 2),
    hit(9, u"Volcanoes erupt when magma pressure inside the chamber exceeds the strength of the rock."_s),
};

} // namespace

class TestCitationResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotsCopyEverySourceField()
    {
        const QList<CitationSnapshot> snapshots = CitationResolver::snapshots(numbered(kHits), kHits);
        QCOMPARE(snapshots.size(), 2);
        const CitationSnapshot &first = snapshots.at(0);
        QCOMPARE(first.number, 1);
        QCOMPARE(first.chunkId, 7);
        QCOMPARE(first.documentId, 70);
        QCOMPARE(first.documentTitle, u"Doc 7"_s);
        QCOMPARE(first.documentPath, u"/docs/7.pdf"_s);
        QCOMPARE(first.page, 2);
        QCOMPARE(first.headingPath, u"Chapter > Section"_s);
        QCOMPARE(first.chunkText, kHits.at(0).text);
        QCOMPARE(first.startOffset, 700);
        QCOMPARE(first.endOffset, 700 + kHits.at(0).text.size());
        QCOMPARE(snapshots.at(1).number, 2);
        QCOMPARE(snapshots.at(1).page, 0); // no pages: 0, not PromptSource's -1
    }

    void snapshotsKeepTheWholeChunkOfATruncatedSource()
    {
        QList<PromptSource> included = numbered(kHits).mid(0, 1);
        included[0].text.truncate(10);
        const QList<CitationSnapshot> snapshots = CitationResolver::snapshots(included, kHits);
        QCOMPARE(snapshots.size(), 1);
        QCOMPARE(snapshots.at(0).chunkText, kHits.at(0).text);
    }

    void markersAreParsedOrInferred_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("source");
        QTest::addColumn<bool>("inferred");
        // The model's own marker wins even where the text matches another source.
        QTest::newRow("cited") << u"Glaciers move slowly downhill under their own enormous weight [2]."_s << 2 << false;
        QTest::newRow("uncited") << u"Magma pressure inside the chamber makes volcanoes erupt."_s << 2 << true;
    }
    void markersAreParsedOrInferred()
    {
        QFETCH(QString, answer);
        QFETCH(int, source);
        QFETCH(bool, inferred);
        const auto snapshots = CitationResolver::snapshots(numbered(kHits), kHits);
        const QList<CitationMarker> markers = CitationResolver::markers(answer, snapshots, true);
        QCOMPARE(markers.size(), 1);
        QCOMPARE(markers.at(0).sources, QList<int>{source});
        QCOMPARE(markers.at(0).inferred, inferred);
    }

    void nothingIsGuessedWithCitationsOff()
    {
        const auto snapshots = CitationResolver::snapshots(numbered(kHits), kHits);
        const QString answer = u"Magma pressure inside the chamber makes volcanoes erupt."_s;
        // Citations off: the model was not asked to cite, so nothing is guessed.
        QVERIFY(CitationResolver::markers(answer, snapshots, false).isEmpty());
        QVERIFY(CitationResolver::markers(answer, {}, true).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCitationResolver)
#include "tst_citationresolver.moc"
