// CitationAligner: sentences matched to the source they came from, or to nothing.

#include "core/chat/CitationAligner.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
const QList<QString> kSources{
    u"SQLite stores the full-text index in FTS5 tables with external content keyed by rowid."_s,
    u"The chunker splits documents at headings and keeps each passage's page number, so a citation "
    "can send the reader to the right page of the original PDF."_s,
    u"Vector search compares embeddings by cosine similarity using an exact SIMD scan."_s,
};

QStringList matchedText(QStringView answer, const QList<CitationMarker> &markers)
{
    QStringList parts;
    for (const CitationMarker &m : markers)
        parts.append(answer.sliced(m.start, m.length).toString() + u" => "_s + QString::number(m.sources.value(0)));
    return parts;
}
} // namespace

class TestCitationAligner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sentences()
    {
        const QString answer = u"Documents are split at headings, and each passage keeps its page number. "
                               "The weather today is sunny and warm.\n"
                               "Embeddings are compared with cosine similarity in a SIMD scan! Yes, it does."_s;
        const QList<CitationMarker> markers = CitationAligner::align(answer, kSources);
        QCOMPARE(matchedText(answer, markers),
                 (QStringList{u"Documents are split at headings, and each passage keeps its page number. => 2"_s,
                              u"Embeddings are compared with cosine similarity in a SIMD scan! => 3"_s}));
        for (const CitationMarker &m : markers) {
            QVERIFY(m.inferred);
            QCOMPARE(m.sources.size(), 1);
            QVERIFY(m.outOfRange.isEmpty());
        }
    }

    void copiedSentenceMapsToItsSource()
    {
        const QString answer = kSources[1];
        const QList<CitationMarker> markers = CitationAligner::align(answer, kSources);
        QCOMPARE(markers.size(), 1);
        QCOMPARE(markers[0].sources, QList<int>{2});
        QCOMPARE(markers[0].start, 0);
        QCOMPARE(markers[0].length, answer.size());
    }

    void caseAndPluralsFold()
    {
        const QString answer = u"VECTOR SEARCHES COMPARE EMBEDDING with COSINE."_s;
        QCOMPARE(CitationAligner::align(answer, kSources).value(0).sources, QList<int>{3});
    }

    void unrelatedSentenceMapsToNothing()
    {
        QVERIFY(CitationAligner::align(u"The weather today is sunny and warm in Lisbon.", kSources).isEmpty());
    }

    // Two of four content words is exactly the 0.5 share but below three words; three of eight
    // is three words but below half (of eight).
    void thresholds()
    {
        QVERIFY(CitationAligner::align(u"Cosine embeddings please everyone.", kSources).isEmpty());
        QVERIFY(CitationAligner::align(u"Cosine similarity embeddings delight careful gardeners tomorrow morning.",
                                       kSources)
                    .isEmpty());
        QCOMPARE(CitationAligner::align(u"Cosine similarity embeddings delight gardeners.", kSources).size(), 1);
    }

    void tieGoesToHigherRankedSource()
    {
        const QList<QString> twins{u"Unrelated text about gardening."_s, u"Alpha beta gamma delta."_s,
                                   u"Delta gamma beta alpha."_s};
        const QList<CitationMarker> markers = CitationAligner::align(u"Alpha beta gamma delta.", twins);
        QCOMPARE(markers.size(), 1);
        QCOMPARE(markers[0].sources, QList<int>{2});
    }

    void emptyInputs()
    {
        QVERIFY(CitationAligner::align(u"", kSources).isEmpty());
        QVERIFY(CitationAligner::align(kSources[0], {}).isEmpty());
        QVERIFY(CitationAligner::align(u"   \n\n  ", kSources).isEmpty());
        QVERIFY(CitationAligner::align(kSources[0], {QString(), QString()}).isEmpty());
    }

    // Not an assertion on time (machines vary); the figure is printed for people. Measured: about
    // 0.3 ms at -O2, about 7 ms in the unoptimised dev build.
    void speed()
    {
        QList<QString> sources;
        for (int i = 0; i < 10; ++i)
            sources.append(kSources[i % kSources.size()].repeated(6) + u" chunk %1"_s.arg(i));
        QString answer;
        while (answer.size() < 2000 * 6) // about 2,000 words
            answer += kSources[1] + u" Something else entirely happened yesterday. "_s;
        QElapsedTimer timer;
        timer.start();
        constexpr int rounds = 50;
        qsizetype found = 0;
        for (int i = 0; i < rounds; ++i)
            found += CitationAligner::align(answer, sources).size();
        qInfo("align: %.3f ms for ~2,000 words against 10 sources",
              static_cast<double>(timer.nsecsElapsed()) / 1e6 / rounds);
        QVERIFY(found > 0);
    }
};

QTEST_GUILESS_MAIN(TestCitationAligner)
#include "tst_citationaligner.moc"
