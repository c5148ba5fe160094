// CitationParser: every marker variant, what must not count, and streaming prefixes.

#include "core/chat/CitationParser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
QString joined(const QList<int> &numbers)
{
    QStringList parts;
    for (int n : numbers)
        parts.append(QString::number(n));
    return parts.join(u',');
}

/// "marker text=linked!out-of-range" per marker, space-separated: one readable string to compare.
QString describe(QStringView answer, const CitationParse &parse)
{
    QStringList parts;
    for (const CitationMarker &m : parse.markers) {
        QString part = answer.sliced(m.start, m.length).toString() + u'=' + joined(m.sources);
        if (!m.outOfRange.isEmpty())
            part += u'!' + joined(m.outOfRange);
        parts.append(part);
    }
    return parts.join(u' ');
}

// A realistic streamed answer: prose, a code fence, inline code, a link, and several marker styles.
const QString kAnswer = u"Retrieval keeps each chunk's page [1]. Hybrid search fuses keyword and vector hits [2, 3]"
                        u" and reranks them [1][3].\n\n"
                        u"```cpp\nauto first = hits[0]; // not [1]\n```\n\n"
                        u"Call `hits[2]` to read one; see [the docs](https://example.org/[4]) for more [ID:4].\n"
                        u"- [x] done [^2]\n"
                        u"The 2024 release [2024] changed scoring【1】 [Source 5] [1-3]."_s;
} // namespace

class TestCitationParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void variants_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("sources");
        QTest::addColumn<QString>("expected");

        QTest::newRow("single") << u"Text [1]."_s << 3 << u"[1]=1"_s;
        QTest::newRow("list with space") << u"Text [1, 2]."_s << 3 << u"[1, 2]=1,2"_s;
        QTest::newRow("list without space") << u"Text [1,2,3]."_s << 3 << u"[1,2,3]=1,2,3"_s;
        QTest::newRow("semicolons") << u"Text [1; 3]."_s << 3 << u"[1; 3]=1,3"_s;
        QTest::newRow("adjacent markers") << u"Text [1][2]."_s << 3 << u"[1]=1 [2]=2"_s;
        QTest::newRow("range") << u"Text [1-3]."_s << 5 << u"[1-3]=1,2,3"_s;
        QTest::newRow("en dash range") << u"Text [2\u20133]."_s << 5 << u"[2\u20133]=2,3"_s;
        QTest::newRow("range capped") << u"Text [2-5]."_s << 3 << u"[2-5]=2,3!4,5"_s;
        QTest::newRow("reversed range") << u"Text [3-1]."_s << 3 << u"[3-1]=1,2,3"_s;
        QTest::newRow("repeat in marker") << u"Text [2, 2]."_s << 3 << u"[2, 2]=2"_s;
        QTest::newRow("ID") << u"Text [ID:1]."_s << 3 << u"[ID:1]=1"_s;
        QTest::newRow("id with space") << u"Text [id: 2]."_s << 3 << u"[id: 2]=2"_s;
        QTest::newRow("full-width") << u"文本【1】。"_s << 3 << u"【1】=1"_s;
        QTest::newRow("full-width digits") << u"文本【２】。"_s << 3 << u"【２】=2"_s;
        QTest::newRow("footnote") << u"Text[^1]."_s << 3 << u"[^1]=1"_s;
        QTest::newRow("Source") << u"Text [Source 2]."_s << 3 << u"[Source 2]=2"_s;
        QTest::newRow("source colon") << u"Text [source: 2]."_s << 3 << u"[source: 2]=2"_s;
        QTest::newRow("prefix per item") << u"Text [Source 1, Source 3]."_s << 3 << u"[Source 1, Source 3]=1,3"_s;
        QTest::newRow("at the very end") << u"Text [2]"_s << 3 << u"[2]=2"_s;

        QTest::newRow("year out of range") << u"In [2024] it changed."_s << 5 << u"[2024]=!2024"_s;
        QTest::newRow("zero") << u"Text [0]."_s << 3 << u"[0]=!0"_s;
        QTest::newRow("mixed range") << u"Text [3, 9]."_s << 3 << u"[3, 9]=3!9"_s;
        QTest::newRow("no sources") << u"Text [1]."_s << 0 << u"[1]=!1"_s;

        QTest::newRow("markdown link") << u"See [1](https://x.org) and [docs](y)."_s << 3 << QString();
        QTest::newRow("brackets in a link target") << u"See [docs](https://x.org/a[2]) [3]"_s << 3 << u"[3]=3"_s;
        QTest::newRow("checkbox") << u"- [x] done\n- [ ] open"_s << 3 << QString();
        QTest::newRow("inline code") << u"Use `a[1]` and ``b[`2`]``."_s << 3 << QString();
        QTest::newRow("fence") << u"Intro\n```\nx = a[1]\n```\nafter [2]"_s << 3 << u"[2]=2"_s;
        QTest::newRow("tilde fence") << u"~~~~\n[1]\n~~~\n[2]\n~~~~\n[3]"_s << 3 << u"[3]=3"_s;
        QTest::newRow("indented fence") << u"  ```\n[1]\n  ```\n[2]"_s << 3 << u"[2]=2"_s;
        QTest::newRow("unclosed fence") << u"```\n[1]\n"_s << 3 << QString();
        QTest::newRow("stray backtick") << u"It's a ` tick.\n\nThen [1]."_s << 3 << u"[1]=1"_s;
        QTest::newRow("escaped") << u"Literal \\[1] here"_s << 3 << QString();
        QTest::newRow("words") << u"[a1] [1a] [1,] [ID] [1 2] []"_s << 3 << QString();
        QTest::newRow("huge number") << u"Text [1234567]."_s << 3 << QString();
        QTest::newRow("wide range") << u"Values [1-1000]."_s << 3 << QString();
        QTest::newRow("cut at end") << u"Text [1"_s << 3 << QString();
    }

    void variants()
    {
        QFETCH(QString, answer);
        QFETCH(int, sources);
        QFETCH(QString, expected);
        QCOMPARE(describe(answer, CitationParser::parse(answer, sources)), expected);
    }

    void realAnswer()
    {
        const CitationParse parse = CitationParser::parse(kAnswer, 4);
        QCOMPARE(describe(kAnswer, parse),
                 u"[1]=1 [2, 3]=2,3 [1]=1 [3]=3 [ID:4]=4 [^2]=2 [2024]=!2024 【1】=1 [Source 5]=!5 [1-3]=1,2,3"_s);
        QCOMPARE(parse.cited, (QList<int>{1, 2, 3, 4}));
        QCOMPARE(parse.outOfRange, (QList<int>{2024, 5}));
        QVERIFY(!parse.markers.first().inferred);
    }

    // Every prefix of a streamed answer: complete markers never change or vanish, new ones only
    // append, and the last prefix agrees with the finished answer.
    void streamingPrefixes()
    {
        const CitationParse final = CitationParser::parse(kAnswer, 4);
        QList<CitationMarker> previous;
        for (qsizetype size = 0; size <= kAnswer.size(); ++size) {
            const CitationParse parse = CitationParser::parse(QStringView(kAnswer).left(size), 4, AnswerState::Partial);
            QVERIFY2(parse.markers.size() >= previous.size(), qPrintable(u"prefix %1"_s.arg(size)));
            QVERIFY2(parse.markers.sliced(0, previous.size()) == previous, qPrintable(u"prefix %1"_s.arg(size)));
            QVERIFY(parse.markers.size() <= final.markers.size());
            QVERIFY(final.markers.sliced(0, parse.markers.size()) == parse.markers);
            previous = parse.markers;
        }
        QCOMPARE(previous, final.markers);
        QCOMPARE(CitationParser::parse(QString(kAnswer + u" more"_s), 4, AnswerState::Partial).markers, final.markers);
    }

    // A partial answer ending in "]" holds the marker back: the next character may make it a link.
    void partialHoldsBackPossibleLink()
    {
        QVERIFY(CitationParser::parse(u"See [1]", 3, AnswerState::Partial).markers.isEmpty());
        QCOMPARE(CitationParser::parse(u"See [1]", 3, AnswerState::Final).markers.size(), 1);
        QVERIFY(CitationParser::parse(u"See [1](u", 3, AnswerState::Partial).markers.isEmpty());
        QCOMPARE(CitationParser::parse(u"See【1】", 3, AnswerState::Partial).markers.size(), 1);
        // An open code span may still close, so nothing after it counts yet.
        QVERIFY(CitationParser::parse(u"Use `a [1] b", 3, AnswerState::Partial).markers.isEmpty());
    }

    void emptyAnswer()
    {
        const CitationParse parse = CitationParser::parse(u"", 3);
        QVERIFY(parse.markers.isEmpty());
        QVERIFY(parse.cited.isEmpty());
        QVERIFY(parse.outOfRange.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCitationParser)
#include "tst_citationparser.moc"
