#include "core/llm/NdjsonParser.h"
#include "tests/support/ByteSplits.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::NdjsonParser;

namespace {

QList<QByteArray> parsePieces(const QList<QByteArrayView> &pieces)
{
    NdjsonParser parser;
    QList<QByteArray> lines;
    for (const QByteArrayView piece : pieces)
        lines += parser.feed(piece);
    lines += parser.finish();
    return lines;
}

} // namespace

/// NdjsonParser: line splitting with every line-end shape, fed whole, byte by byte, and split
/// into two and three pieces at every offset.
class TestNdjsonParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitAnywhere_data();
    void splitAnywhere();
    void linesArriveWithoutWaitingForFinish();
    void finishResetsState();
    void manyLinesInOddPieces();
};

void TestNdjsonParser::splitAnywhere_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QByteArray>>("expected");

    QTest::newRow("lf") << "{\"a\":1}\n{\"b\":2}\n"_ba << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"};
    QTest::newRow("crlf") << "{\"a\":1}\r\n{\"b\":2}\r\n"_ba << QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"};
    QTest::newRow("mixed line ends") << "1\r\n2\n3\r\n"_ba << QList<QByteArray>{"1", "2", "3"};
    QTest::newRow("blank lines skipped") << "\n\r\n1\n\n\n2\r\n\r\n"_ba << QList<QByteArray>{"1", "2"};
    QTest::newRow("whitespace-only lines skipped") << " \t\n1\n   \r\n"_ba << QList<QByteArray>{"1"};
    QTest::newRow("surrounding whitespace trimmed") << "  {\"a\":1} \t\r\n"_ba << QList<QByteArray>{"{\"a\":1}"};
    QTest::newRow("unterminated last line") << "1\n{\"done\":true}"_ba << QList<QByteArray>{"1", "{\"done\":true}"};
    QTest::newRow("unterminated last line with cr") << "1\n2\r"_ba << QList<QByteArray>{"1", "2"};
    QTest::newRow("cr inside a line is not a line end") << "a\rb\n"_ba << QList<QByteArray>{"a\rb"};
    QTest::newRow("multibyte utf-8 kept whole")
        << "{\"c\":\"Hé 世界 🙂\"}\n{\"c\":\"ü\"}\n"_ba
        << QList<QByteArray>{"{\"c\":\"Hé 世界 🙂\"}"_ba, "{\"c\":\"ü\"}"_ba};
    QTest::newRow("nothing") << QByteArray() << QList<QByteArray>{};
    QTest::newRow("only line ends") << "\n\r\n\n"_ba << QList<QByteArray>{};
    QTest::newRow("ollama-like stream")
        << "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"
           "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"eval_count\":3}\n"_ba
        << QList<QByteArray>{"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}",
                             "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"eval_count\":3}"};
}

void TestNdjsonParser::splitAnywhere()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, expected);
    QCOMPARE(parsePieces({QByteArrayView(input)}), expected);
    const QString failure = ragdesk::testing::firstFailingSplit(
        input, true, [&](const QList<QByteArrayView> &pieces) { return parsePieces(pieces) == expected; });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestNdjsonParser::linesArriveWithoutWaitingForFinish()
{
    NdjsonParser parser;
    QCOMPARE(parser.feed("{\"a\""), QList<QByteArray>{});
    QCOMPARE(parser.pendingBytes(), 4);
    QCOMPARE(parser.feed(":1}\r"), QList<QByteArray>{});
    QCOMPARE(parser.feed("\n{\"b\":2}\n{"), (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
    QCOMPARE(parser.pendingBytes(), 1);
    // Half of "é" (0xC3 0xA9) arrives: nothing is emitted or decoded until the line ends.
    QCOMPARE(parser.feed("\"c\":\"\xC3"), QList<QByteArray>{});
    QCOMPARE(parser.feed("\xA9\"}\n"), QList<QByteArray>{"{\"c\":\"\xC3\xA9\"}"});
    QCOMPARE(parser.pendingBytes(), 0);
}

void TestNdjsonParser::finishResetsState()
{
    NdjsonParser parser;
    QCOMPARE(parser.feed("1\npartial"), QList<QByteArray>{"1"});
    QCOMPARE(parser.finish(), QList<QByteArray>{"partial"});
    QCOMPARE(parser.finish(), QList<QByteArray>{});
    QCOMPARE(parser.feed("fresh\n"), QList<QByteArray>{"fresh"});
}

void TestNdjsonParser::manyLinesInOddPieces()
{
    QByteArray stream;
    QList<QByteArray> expected;
    for (int i = 0; i < 2000; ++i) {
        const QByteArray line = "{\"n\":" + QByteArray::number(i) + ",\"t\":\"ünïcødé 🙂\"}";
        stream += line + (i % 2 == 0 ? "\r\n"_ba : "\n"_ba) + (i % 7 == 0 ? "\n"_ba : QByteArray());
        expected.append(line);
    }
    NdjsonParser parser;
    QList<QByteArray> lines;
    for (qsizetype pos = 0; pos < stream.size(); pos += 7)
        lines += parser.feed(QByteArrayView(stream).sliced(pos, qMin<qsizetype>(7, stream.size() - pos)));
    lines += parser.finish();
    QCOMPARE(lines, expected);
}

QTEST_GUILESS_MAIN(TestNdjsonParser)
#include "tst_ndjsonparser.moc"
