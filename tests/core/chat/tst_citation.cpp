// CitationSnapshot JSON: what a message stores of its citations must read back unchanged.

#include "core/storage/Citation.h"

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
};

QTEST_GUILESS_MAIN(TestCitation)
#include "tst_citation.moc"
