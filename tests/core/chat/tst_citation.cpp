// CitationSnapshot and CitationMarker JSON: what a message stores of its citations must read back unchanged.

#include "core/storage/Citation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestCitation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        CitationSnapshot snapshot;
        snapshot.number = 3;
        snapshot.chunkId = 9'007'199'254'740'993LL; // above 2^53: must not pass through a double
        snapshot.documentId = 42;
        snapshot.documentTitle = u"Ünïcödé — 日本語の文書 🦀"_s;
        snapshot.documentPath = u"/home/ana/Dokumente/Bericht \"final\".pdf"_s;
        snapshot.page = 12;
        snapshot.headingPath = u"Kapitel 2 > Abschnitt 2.1"_s;
        snapshot.chunkText = u"Line one\nLine two with a tab\tand a NUL-free emoji 🎉."_s;
        snapshot.startOffset = 1200;
        snapshot.endOffset = 1850;

        // Through text, as profile.db stores it.
        const QByteArray stored = QJsonDocument(snapshot.toJson()).toJson(QJsonDocument::Compact);
        const auto read = CitationSnapshot::fromJson(QJsonDocument::fromJson(stored).object());
        QVERIFY(read.has_value());
        QCOMPARE(*read, snapshot);
    }

    void missingOptionalFields()
    {
        const auto read = CitationSnapshot::fromJson(QJsonObject{{u"number"_s, 2}, {u"text"_s, u"Only text."_s}});
        QVERIFY(read.has_value());
        QCOMPARE(read->number, 2);
        QCOMPARE(read->chunkText, u"Only text."_s);
        QCOMPARE(read->chunkId, 0);
        QCOMPARE(read->page, 0);
        QVERIFY(read->documentTitle.isEmpty());
        QVERIFY(read->headingPath.isEmpty());
        QCOMPARE(read->endOffset, 0);
    }

    void emptyFieldsAreNotWritten()
    {
        CitationSnapshot snapshot;
        snapshot.number = 1;
        snapshot.chunkText = u"x"_s;
        const QJsonObject json = snapshot.toJson();
        QCOMPARE(json.keys(), (QStringList{u"number"_s, u"text"_s}));
        QCOMPARE(*CitationSnapshot::fromJson(json), snapshot);
    }

    void invalidNumber_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::newRow("missing") << QJsonObject{{u"text"_s, u"x"_s}};
        QTest::newRow("zero") << QJsonObject{{u"number"_s, 0}};
        QTest::newRow("negative") << QJsonObject{{u"number"_s, -1}};
        QTest::newRow("string") << QJsonObject{{u"number"_s, u"1"_s}};
        QTest::newRow("too large") << QJsonObject{{u"number"_s, qint64(1) << 40}};
    }

    void invalidNumber()
    {
        QFETCH(QJsonObject, json);
        const auto read = CitationSnapshot::fromJson(json);
        QVERIFY(!read.has_value());
        QCOMPARE(read.error().kind, Error::Kind::Protocol);
    }

    void markerRoundTrip()
    {
        CitationMarker marker;
        marker.start = 17;
        marker.length = 6;
        marker.sources = {1, 3};
        marker.outOfRange = {9};
        marker.inferred = true;
        const QByteArray stored = QJsonDocument(marker.toJson()).toJson(QJsonDocument::Compact);
        const auto read = CitationMarker::fromJson(QJsonDocument::fromJson(stored).object());
        QVERIFY(read.has_value());
        QCOMPARE(*read, marker);
    }

    void markerOmitsDefaults()
    {
        CitationMarker marker;
        marker.start = 0;
        marker.length = 3;
        const QJsonObject json = marker.toJson();
        QCOMPARE(json.keys(), (QStringList{u"length"_s, u"start"_s}));
        QCOMPARE(*CitationMarker::fromJson(json), marker);
    }

    void markerDropsInvalidNumbers()
    {
        const QJsonObject json{{u"start"_s, 2},
                               {u"length"_s, 3},
                               {u"sources"_s, QJsonArray{2, 0, -4, 1.5, u"3"_s, 1e12, QJsonArray{}, 5}},
                               {u"outOfRange"_s, u"not a list"_s}};
        const auto read = CitationMarker::fromJson(json);
        QVERIFY(read.has_value());
        QCOMPARE(read->sources, (QList<int>{2, 5}));
        QVERIFY(read->outOfRange.isEmpty());
    }

    void markerInvalidPosition_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::newRow("empty") << QJsonObject{};
        QTest::newRow("no length") << QJsonObject{{u"start"_s, 1}};
        QTest::newRow("negative start") << QJsonObject{{u"start"_s, -1}, {u"length"_s, 1}};
        QTest::newRow("fraction") << QJsonObject{{u"start"_s, 1.5}, {u"length"_s, 1}};
        QTest::newRow("string") << QJsonObject{{u"start"_s, u"1"_s}, {u"length"_s, 1}};
        QTest::newRow("huge") << QJsonObject{{u"start"_s, 1}, {u"length"_s, 1e300}};
    }

    void markerInvalidPosition()
    {
        QFETCH(QJsonObject, json);
        const auto read = CitationMarker::fromJson(json);
        QVERIFY(!read.has_value());
        QCOMPARE(read.error().kind, Error::Kind::Protocol);
    }

    void listsRoundTripAndStopAtTheFirstBadEntry()
    {
        CitationSnapshot first;
        first.number = 1;
        first.documentTitle = u"A"_s;
        CitationSnapshot second;
        second.number = 2;
        second.page = 4;
        const QList<CitationSnapshot> snapshots{first, second};
        QCOMPARE(*citationSnapshotsFromJson(citationSnapshotsToJson(snapshots)), snapshots);

        const QList<CitationMarker> markers{CitationMarker{0, 3, {1}, {}, false}, CitationMarker{5, 3, {2}, {7}, true}};
        QCOMPARE(*citationMarkersFromJson(citationMarkersToJson(markers)), markers);
        QVERIFY(citationMarkersFromJson({}).value().isEmpty());

        QJsonArray damaged = citationSnapshotsToJson(snapshots);
        damaged.insert(1, u"not an object"_s);
        QVERIFY(!citationSnapshotsFromJson(damaged).has_value());
    }
};

QTEST_GUILESS_MAIN(TestCitation)
#include "tst_citation.moc"
