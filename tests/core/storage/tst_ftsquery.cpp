#include "core/storage/FtsQuery.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestFtsQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromUserText_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("match");
        QTest::newRow("empty") << u""_s << u""_s;
        QTest::newRow("spaces") << u"  \t\n "_s << u""_s;
        QTest::newRow("one word, still typing") << u"pum"_s << u"\"pum\"*"_s;
        QTest::newRow("word finished") << u"pump "_s << u"\"pump\""_s;
        QTest::newRow("two words") << u"pump  seal"_s << u"\"pump\" \"seal\"*"_s;
        QTest::newRow("operators are words") << u"NOT pump OR"_s << u"\"NOT\" \"pump\" \"OR\"*"_s;
        QTest::newRow("quotes doubled") << u"say \"hi\""_s << u"\"say\" \"\"\"hi\"\"\"*"_s;
        QTest::newRow("syntax characters kept inside quotes") << u"(pump* title:x"_s
                                                               << u"\"(pump*\" \"title:x\"*"_s;
        QTest::newRow("punctuation only dropped") << u"pump - ... \"\""_s << u"\"pump\""_s;
        QTest::newRow("only punctuation") << u"*** \" ^"_s << u""_s;
        QTest::newRow("newline separates") << u"pump\nseal"_s << u"\"pump\" \"seal\"*"_s;
        QTest::newRow("unicode") << u"Überdruck 日本"_s << u"\"Überdruck\" \"日本\"*"_s;
    }

    void fromUserText()
    {
        QFETCH(QString, typed);
        QFETCH(QString, match);
        QCOMPARE(FtsQuery::fromUserText(typed), match);
    }

    void fromMarked()
    {
        const QString open = FtsQuery::openMarker();
        const QString close = FtsQuery::closeMarker();
        const MatchedText text =
            FtsQuery::fromMarked(u"The "_s + open + u"pump"_s + close + u" and the "_s + open + u"pumps"_s + close);
        QCOMPARE(text.text, u"The pump and the pumps"_s);
        QCOMPARE(text.spans, (QList<std::pair<qsizetype, qsizetype>>{{4, 4}, {17, 5}}));

        // Unbalanced or empty markers never make a span outside the text.
        const MatchedText odd = FtsQuery::fromMarked(close + u"a"_s + open + close + u"b"_s + open + u"c"_s);
        QCOMPARE(odd.text, u"abc"_s);
        QVERIFY(odd.spans.isEmpty());
        QCOMPARE(FtsQuery::fromMarked(u"plain"_s).text, u"plain"_s);
    }
};

QTEST_GUILESS_MAIN(TestFtsQuery)
#include "tst_ftsquery.moc"
