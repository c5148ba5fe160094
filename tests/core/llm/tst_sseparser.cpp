#include "core/llm/SseParser.h"
#include "tests/support/ByteSplits.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::SseEvent;
using ragdesk::SseParser;

Q_DECLARE_METATYPE(ragdesk::SseEvent)

namespace ragdesk {
// Found by QTest through ADL, so a failing QCOMPARE shows the events instead of "<unknown>".
char *toString(const SseEvent &event)
{
    const QByteArray text = "{event=" + event.event.toPercentEncoding() + " data=" + event.data.toPercentEncoding()
        + " id=" + event.id.toPercentEncoding() + '}';
    return qstrdup(text.constData());
}
} // namespace ragdesk

namespace {

SseEvent ev(QByteArray data, QByteArray event = {}, QByteArray id = {})
{
    return SseEvent{std::move(event), std::move(data), std::move(id)};
}

/// Feeds @p pieces in order, then finishes, and returns every event in arrival order.
QList<SseEvent> parsePieces(const QList<QByteArrayView> &pieces)
{
    SseParser parser;
    QList<SseEvent> events;
    for (const QByteArrayView piece : pieces) {
        events += parser.feed(piece);
        events += parser.feed({}); // an empty read must not disturb a pending CR
    }
    events += parser.finish();
    return events;
}

} // namespace

/// SseParser: every framing case, fed whole, split at every offset (in two and three pieces)
/// and byte by byte, must produce exactly the same events.
class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitAnywhere_data();
    void splitAnywhere();
    void eventsArriveWithoutWaitingForFinish();
    void crAtFeedEndThenLfIsOneLineEnd();
    void finishResetsState();
    void manyEventsInOddPieces();
};

void TestSseParser::splitAnywhere_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<SseEvent>>("expected");

    QTest::newRow("lf") << "data: hello\n\ndata: world\n\n"_ba << QList{ev("hello"), ev("world")};
    QTest::newRow("crlf") << "data: hello\r\n\r\ndata: world\r\n\r\n"_ba << QList{ev("hello"), ev("world")};
    QTest::newRow("lone cr") << "data: hello\r\rdata: world\r\r"_ba << QList{ev("hello"), ev("world")};
    QTest::newRow("mixed endings") << "data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\n\n"_ba
                                   << QList{ev("a\nb\nc"), ev("d")};
    QTest::newRow("comments") << ": keep-alive\n\n:\ndata: x\n: between fields\ndata: y\n\n: trailing\n"_ba
                              << QList{ev("x\ny")};
    QTest::newRow("no space after colon") << "data:x\n\ndata:  two spaces\n\n"_ba << QList{ev("x"), ev(" two spaces")};
    QTest::newRow("colons in value") << "data: {\"a\":\"b: c\"}\n\n"_ba << QList{ev("{\"a\":\"b: c\"}")};
    QTest::newRow("multi-line data") << "data: first\ndata: second\ndata: third\n\n"_ba
                                     << QList{ev("first\nsecond\nthird")};
    QTest::newRow("utf-8 multibyte") << "data: héllo 世界 🙂\n\ndata:🙂\r\n\r\n"_ba
                                     << QList{ev("héllo 世界 🙂"_ba), ev("🙂"_ba)};
    QTest::newRow("event and id") << "event: update\nid: 42\ndata: {}\n\ndata: next\n\n"_ba
                                  << QList{ev("{}", "update", "42"), ev("next", {}, "42")};
    QTest::newRow("id reset by empty id") << "id: 7\ndata: a\n\nid\ndata: b\n\n"_ba
                                          << QList{ev("a", {}, "7"), ev("b")};
    QTest::newRow("id with NUL ignored") << "id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n"_ba
                                         << QList{ev("a", {}, "1"), ev("b", {}, "1")};
    QTest::newRow("no data, not dispatched") << "event: ping\n\nid: 9\n\nevent: x\n\ndata: after\n\n"_ba
                                             << QList{ev("after", {}, "9")};
    QTest::newRow("unknown fields ignored") << "retry: 1000\nfoo: bar\nDATA: upper\ndata: x\n\n"_ba << QList{ev("x")};
    QTest::newRow("repeated blank lines") << "\n\r\n\r\rdata: x\n\n\n\r\n\n"_ba << QList{ev("x")};
    QTest::newRow("trailing event without blank line") << "data: a\n\ndata: tail\n"_ba << QList{ev("a"), ev("tail")};
    QTest::newRow("trailing event after cr") << "event: e\ndata: tail\r"_ba << QList{ev("tail", "e")};
    QTest::newRow("trailing unterminated line") << "data: a\n\ndata: b\ndata: tail"_ba
                                                << QList{ev("a"), ev("b\ntail")};
    QTest::newRow("empty data lines") << "data:\n\ndata\n\ndata: a\ndata:\ndata: b\n\ndata: \n\n"_ba
                                      << QList{ev(""), ev(""), ev("a\n\nb"), ev("")};
    QTest::newRow("byte order mark") << "\xEF\xBB\xBF"
                                        "data: x\n\n"_ba
                                     << QList{ev("x")};
    QTest::newRow("nothing") << QByteArray() << QList<SseEvent>{};
    QTest::newRow("only comments") << ": a\r\n: b\r: c\n"_ba << QList<SseEvent>{};
    QTest::newRow("openai-like stream")
        << ": OPENROUTER PROCESSING\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hé\"}}]}\n\n"
           "data: {\"choices\":[{\"delta\":{\"content\":\"世界\"}}]}\n\ndata: [DONE]\n\n"_ba
        << QList{ev("{\"choices\":[{\"delta\":{\"content\":\"Hé\"}}]}"_ba),
                 ev("{\"choices\":[{\"delta\":{\"content\":\"世界\"}}]}"_ba), ev("[DONE]")};
}

void TestSseParser::splitAnywhere()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<SseEvent>, expected);
    QCOMPARE(parsePieces({QByteArrayView(input)}), expected);
    const QString failure = ragdesk::testing::firstFailingSplit(
        input, true, [&](const QList<QByteArrayView> &pieces) { return parsePieces(pieces) == expected; });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestSseParser::eventsArriveWithoutWaitingForFinish()
{
    SseParser parser;
    QCOMPARE(parser.feed("data: a\n"), QList<SseEvent>{});
    QCOMPARE(parser.feed("\n"), QList{ev("a")});
    // A lone CR ends the blank line at once; the parser does not wait to see whether LF follows.
    QCOMPARE(parser.feed("data: b\r\r"), QList{ev("b")});
    QCOMPARE(parser.feed("\ndata: c\n\n"), QList{ev("c")});
    QCOMPARE(parser.finish(), QList<SseEvent>{});
}

void TestSseParser::crAtFeedEndThenLfIsOneLineEnd()
{
    // Were CR and LF two line ends, the blank line between them would dispatch "a" alone.
    SseParser parser;
    QCOMPARE(parser.feed("data: a\r"), QList<SseEvent>{});
    QCOMPARE(parser.feed("\ndata: b\r"), QList<SseEvent>{});
    QCOMPARE(parser.feed("\n\r"), QList{ev("a\nb")});
    QCOMPARE(parser.feed("\n"), QList<SseEvent>{});
    QCOMPARE(parser.finish(), QList<SseEvent>{});
}

void TestSseParser::finishResetsState()
{
    SseParser parser;
    QCOMPARE(parser.feed("id: 5\nevent: e\ndata: x\n\nevent: half\ndata: partial"), QList{ev("x", "e", "5")});
    QCOMPARE(parser.finish(), QList{ev("partial", "half", "5")});
    QCOMPARE(parser.finish(), QList<SseEvent>{});
    QCOMPARE(parser.feed("data: fresh\n\n"), QList{ev("fresh")});
}

void TestSseParser::manyEventsInOddPieces()
{
    QByteArray stream;
    QList<SseEvent> expected;
    for (int i = 0; i < 2000; ++i) {
        const QByteArray text = "chunk " + QByteArray::number(i) + " ünïcødé 🙂";
        stream += (i % 3 == 0 ? "data: "_ba : "data:"_ba) + text + (i % 2 == 0 ? "\r\n\r\n"_ba : "\n\n"_ba);
        expected.append(ev(text));
    }
    SseParser parser;
    QList<SseEvent> events;
    for (qsizetype pos = 0; pos < stream.size(); pos += 7)
        events += parser.feed(QByteArrayView(stream).sliced(pos, qMin<qsizetype>(7, stream.size() - pos)));
    events += parser.finish();
    QCOMPARE(events, expected);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
