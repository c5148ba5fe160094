#include "core/llm/NdjsonParser.h"
#include "core/llm/OllamaStreamDecoder.h"
#include "tests/support/ByteSplits.h"
#include "tests/support/StreamStepDescription.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::Error;
using ragdesk::NdjsonParser;
using ragdesk::OllamaStreamDecoder;
using ragdesk::StreamChunk;

namespace {

QStringList describe(const OllamaStreamDecoder::Step &step)
{
    return ragdesk::testing::describeStep(step);
}

const QString protocolLine = u"error Protocol: The server sent something that is not an Ollama chat stream. "
                             u"Check that the base URL points to an Ollama server (usually http://localhost:11434)."_s;

/// A stream in the shape `ollama serve` 0.9 sends for /api/chat with "think": true.
const QByteArray realisticStream =
    R"({"model":"qwen3:4b","created_at":"2025-06-01T10:00:00.000000001Z","message":{"role":"assistant","content":"","thinking":"The user"},"done":false})"
    "\n"
    R"({"model":"qwen3:4b","created_at":"2025-06-01T10:00:00.100000001Z","message":{"role":"assistant","content":"","thinking":" greets me."},"done":false})"
    "\n"
    R"({"model":"qwen3:4b","created_at":"2025-06-01T10:00:00.200000001Z","message":{"role":"assistant","content":"Grüß"},"done":false})"
    "\n"
    R"({"model":"qwen3:4b","created_at":"2025-06-01T10:00:00.300000001Z","message":{"role":"assistant","content":" dich 🙂"},"done":false})"
    "\n"
    R"({"model":"qwen3:4b","created_at":"2025-06-01T10:00:00.400000001Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":412345678,"load_duration":12345678,"prompt_eval_count":26,"prompt_eval_duration":45678901,"eval_count":7,"eval_duration":345678901})"
    "\n"_ba;

const QStringList realisticExpected{u"reasoning:The user"_s, u"reasoning: greets me."_s, u"content:Grüß"_s,
                                    u"content: dich 🙂"_s, u"finish:stop | usage:26/7"_s, u"DONE"_s};

/// Runs @p pieces through NdjsonParser and the decoder, as the provider will.
QStringList decodeStream(const QList<QByteArrayView> &pieces)
{
    NdjsonParser parser;
    const OllamaStreamDecoder decoder;
    QStringList out;
    const auto decodeLines = [&](const QList<QByteArray> &lines) {
        for (const QByteArray &line : lines)
            out += describe(decoder.decode(line));
    };
    for (const QByteArrayView piece : pieces)
        decodeLines(parser.feed(piece));
    decodeLines(parser.finish());
    return out;
}

} // namespace

/// OllamaStreamDecoder: every line shape of Ollama's native /api/chat stream, and a whole
/// realistic stream through NdjsonParser split at every byte.
class TestOllamaStreamDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void errorDetailKeepsRawLine();
    void realisticStreamSplitAnywhere_data();
    void realisticStreamSplitAnywhere();
};

void TestOllamaStreamDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("content") << R"({"model":"m","message":{"role":"assistant","content":"Hello"},"done":false})"_ba
                             << QStringList{u"content:Hello"_s};
    QTest::newRow("thinking") << R"({"message":{"role":"assistant","content":"","thinking":"hmm"},"done":false})"_ba
                              << QStringList{u"reasoning:hmm"_s};
    QTest::newRow("content and thinking") << R"({"message":{"content":"a","thinking":"b"},"done":false})"_ba
                                          << QStringList{u"content:a | reasoning:b"_s};
    QTest::newRow("empty delta adds nothing") << R"({"message":{"role":"assistant","content":""},"done":false})"_ba
                                              << QStringList{};
    QTest::newRow("escaped text") << R"({"message":{"content":"line\nnext \"q\" \u00e9"},"done":false})"_ba
                                  << QStringList{u"content:line\nnext \"q\" é"_s};
    QTest::newRow("final with counts")
        << R"({"message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":12,"eval_count":34})"_ba
        << QStringList{u"finish:stop | usage:12/34"_s, u"DONE"_s};
    QTest::newRow("final with length")
        << R"({"message":{"content":"."},"done_reason":"length","done":true,"prompt_eval_count":5,"eval_count":128})"_ba
        << QStringList{u"content:. | finish:length | usage:5/128"_s, u"DONE"_s};
    QTest::newRow("cached prompt: no prompt count") << R"({"done_reason":"stop","done":true,"eval_count":9})"_ba
                                                    << QStringList{u"finish:stop | usage:-1/9"_s, u"DONE"_s};
    QTest::newRow("old server: done without reason or counts") << R"({"done":true})"_ba << QStringList{u"DONE"_s};
    QTest::newRow("counts on a non-final line are ignored")
        << R"({"message":{"content":"x"},"done":false,"eval_count":3})"_ba << QStringList{u"content:x"_s};
    QTest::newRow("unknown fields ignored")
        << R"({"model":"m","created_at":"t","message":{"role":"assistant","content":"x","images":null,"tool_calls":[]},"done":false,"extra":{"a":1}})"_ba
        << QStringList{u"content:x"_s};
    QTest::newRow("object without message") << R"({"status":"loading model"})"_ba << QStringList{};
    QTest::newRow("surrounding whitespace") << "  {\"message\":{\"content\":\"x\"}}\r"_ba << QStringList{u"content:x"_s};
    QTest::newRow("blank line") << "  "_ba << QStringList{};
    QTest::newRow("error string") << R"({"error":"model \"llama9\" not found, try pulling it first"})"_ba
                                  << QStringList{u"error Server: Ollama reported an error: model \"llama9\" not found, try pulling it first"_s};
    QTest::newRow("error object") << R"({"error":{"message":"out of memory"}})"_ba
                                  << QStringList{u"error Server: Ollama reported an error: out of memory"_s};
    QTest::newRow("empty error") << R"({"error":""})"_ba
                                 << QStringList{u"error Server: Ollama reported an error without saying what went wrong."_s};
    QTest::newRow("null error is no error") << R"({"error":null,"message":{"content":"x"}})"_ba
                                            << QStringList{u"content:x"_s};
    QTest::newRow("not json") << "<html>502</html>"_ba << QStringList{protocolLine};
    QTest::newRow("cut json") << R"({"message":{"content":"x")"_ba << QStringList{protocolLine};
    QTest::newRow("json array") << "[1,2]"_ba << QStringList{protocolLine};
    QTest::newRow("sse instead of ndjson") << "data: {\"choices\":[]}"_ba << QStringList{protocolLine};
}

void TestOllamaStreamDecoder::decode()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expected);
    QCOMPARE(describe(OllamaStreamDecoder().decode(line)), expected);
}

void TestOllamaStreamDecoder::errorDetailKeepsRawLine()
{
    const QByteArray line = R"({"error":"boom"})"_ba;
    const OllamaStreamDecoder::Step step = OllamaStreamDecoder().decode(line);
    QVERIFY(step.error);
    QCOMPARE(step.error->detail, QString::fromUtf8(line));

    // A runaway line is cut for the log, at a character boundary.
    const QByteArray longLine = "x" + QByteArray(600, 'a').replace(298, 2, "\xC3\xA9");
    const OllamaStreamDecoder::Step bad = OllamaStreamDecoder().decode(longLine);
    QVERIFY(bad.error);
    QCOMPARE(bad.error->kind, Error::Kind::Protocol);
    QVERIFY(bad.error->detail.size() < 330);
    QVERIFY(bad.error->detail.endsWith(u"…"_s));
    QVERIFY(!bad.error->detail.contains(QChar::ReplacementCharacter));
}

void TestOllamaStreamDecoder::realisticStreamSplitAnywhere_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("lf") << realisticStream << realisticExpected;
    QByteArray crlf = realisticStream;
    crlf.replace("\n", "\r\n");
    QTest::newRow("crlf") << crlf << realisticExpected;
    QByteArray unterminated = realisticStream;
    unterminated.chop(1);
    QTest::newRow("last line unterminated") << unterminated << realisticExpected;

    QTest::newRow("error after partial answer")
        << R"({"message":{"role":"assistant","content":"Part"},"done":false})"
           "\n"
           R"({"error":"an error was encountered while running the model: unexpected EOF"})"
           "\n"_ba
        << QStringList{u"content:Part"_s,
                       u"error Server: Ollama reported an error: an error was encountered while running the model: unexpected EOF"_s};
}

void TestOllamaStreamDecoder::realisticStreamSplitAnywhere()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QCOMPARE(decodeStream({QByteArrayView(stream)}), expected);
    const QString failure = ragdesk::testing::firstFailingSplit(
        stream, false, [&](const QList<QByteArrayView> &pieces) { return decodeStream(pieces) == expected; });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

QTEST_GUILESS_MAIN(TestOllamaStreamDecoder)
#include "tst_ollamastreamdecoder.moc"
