#include "core/llm/AnthropicStreamDecoder.h"
#include "tests/support/ByteSplits.h"
#include "tests/support/StreamStepDescription.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::AnthropicStreamDecoder;
using ragdesk::Error;
using ragdesk::SseEvent;
using ragdesk::SseParser;
using ragdesk::StreamChunk;

namespace {

QStringList describe(const AnthropicStreamDecoder::Step &step)
{
    return ragdesk::testing::describeStep(step);
}

const QString protocolLine = u"error Protocol: The server sent something that is not an Anthropic Messages stream. "
                             u"Check that the base URL points to the Anthropic API (https://api.anthropic.com)."_s;

/// A stream in the shape api.anthropic.com sends for /v1/messages with extended thinking.
const QByteArray realisticStream = R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_01XyZ","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user asks"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" about ünïcødé."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" 世界 🙂"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}

)"_ba;

const QStringList realisticExpected{u"usage:472/-1"_s,        u"reasoning:The user asks"_s, u"reasoning: about ünïcødé."_s,
                                    u"content:Hello"_s,       u"content: 世界 🙂"_s,        u"finish:stop | usage:472/89"_s,
                                    u"DONE"_s};

QStringList decodeStream(const QList<QByteArrayView> &pieces)
{
    SseParser parser;
    AnthropicStreamDecoder decoder;
    QStringList out;
    const auto decodeEvents = [&](const QList<SseEvent> &events) {
        for (const SseEvent &event : events)
            out += describe(decoder.decode(event));
    };
    for (const QByteArrayView piece : pieces)
        decodeEvents(parser.feed(piece));
    decodeEvents(parser.finish());
    return out;
}

} // namespace

/// AnthropicStreamDecoder: every event of the Messages stream, usage carried from
/// message_start to message_delta, and whole realistic streams through SseParser split at every byte.
class TestAnthropicStreamDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void usageCombinesStartAndDelta();
    void finishReasonMapping_data();
    void finishReasonMapping();
    void realisticStreamSplitAnywhere_data();
    void realisticStreamSplitAnywhere();
};

void TestAnthropicStreamDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("eventName");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("text delta") << "content_block_delta"_ba
                                << R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})"_ba
                                << QStringList{u"content:Hi"_s};
    QTest::newRow("thinking delta")
        << "content_block_delta"_ba
        << R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}})"_ba
        << QStringList{u"reasoning:hm"_s};
    QTest::newRow("signature delta ignored")
        << "content_block_delta"_ba
        << R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})"_ba
        << QStringList{};
    QTest::newRow("input json delta ignored")
        << "content_block_delta"_ba
        << R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}})"_ba
        << QStringList{};
    QTest::newRow("unknown delta kind ignored")
        << "content_block_delta"_ba
        << R"({"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}})"_ba
        << QStringList{};
    QTest::newRow("block start with text") << "content_block_start"_ba
                                           << R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Pre"}})"_ba
                                           << QStringList{u"content:Pre"_s};
    QTest::newRow("block start empty text") << "content_block_start"_ba
                                            << R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"_ba
                                            << QStringList{};
    QTest::newRow("tool use block ignored")
        << "content_block_start"_ba
        << R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}})"_ba
        << QStringList{};
    QTest::newRow("redacted thinking ignored")
        << "content_block_start"_ba
        << R"({"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy"}})"_ba
        << QStringList{};
    QTest::newRow("block stop") << "content_block_stop"_ba << R"({"type":"content_block_stop","index":0})"_ba
                                << QStringList{};
    QTest::newRow("message start")
        << "message_start"_ba
        << R"({"type":"message_start","message":{"id":"m","usage":{"input_tokens":10,"output_tokens":1}}})"_ba
        << QStringList{u"usage:10/-1"_s};
    QTest::newRow("message start with cache counts")
        << "message_start"_ba
        << R"({"type":"message_start","message":{"usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":1}}})"_ba
        << QStringList{u"usage:3210/-1"_s};
    QTest::newRow("message start without usage") << "message_start"_ba
                                                 << R"({"type":"message_start","message":{"id":"m"}})"_ba
                                                 << QStringList{};
    QTest::newRow("message delta alone")
        << "message_delta"_ba
        << R"({"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":1024}})"_ba
        << QStringList{u"finish:length | usage:-1/1024"_s};
    QTest::newRow("message delta with input tokens")
        << "message_delta"_ba
        << R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":7,"output_tokens":3}})"_ba
        << QStringList{u"finish:stop | usage:7/3"_s};
    QTest::newRow("message stop") << "message_stop"_ba << R"({"type":"message_stop"})"_ba << QStringList{u"DONE"_s};
    QTest::newRow("ping") << "ping"_ba << R"({"type": "ping"})"_ba << QStringList{};
    QTest::newRow("bare ping without data") << "ping"_ba << QByteArray() << QStringList{};
    QTest::newRow("unknown event ignored") << "future_event"_ba << R"({"type":"future_event","x":1})"_ba
                                           << QStringList{};
    QTest::newRow("type only in event name") << "message_stop"_ba << R"({})"_ba << QStringList{u"DONE"_s};
    QTest::newRow("json type wins over event name")
        << "ping"_ba << R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}})"_ba
        << QStringList{u"content:x"_s};
    QTest::newRow("overloaded error")
        << "error"_ba << R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"_ba
        << QStringList{u"error Server: Anthropic reported an error (overloaded_error): Overloaded "
                       u"The service is busy; try again in a moment."_s};
    QTest::newRow("api error")
        << "error"_ba << R"({"type":"error","error":{"type":"api_error","message":"Internal server error"}})"_ba
        << QStringList{u"error Server: Anthropic reported an error (api_error): Internal server error"_s};
    QTest::newRow("error without message") << "error"_ba << R"({"type":"error","error":{"type":"api_error"}})"_ba
                                           << QStringList{u"error Server: Anthropic reported an error (api_error)."_s};
    QTest::newRow("error without anything") << "error"_ba << R"({"type":"error"})"_ba
                                            << QStringList{u"error Server: Anthropic reported an error without saying what went wrong."_s};
    QTest::newRow("error as string") << "error"_ba << R"({"type":"error","error":"bad   things"})"_ba
                                     << QStringList{u"error Server: Anthropic reported an error: bad things"_s};
    QTest::newRow("not json") << "content_block_delta"_ba << "<html>oops</html>"_ba << QStringList{protocolLine};
    QTest::newRow("cut json") << "message_start"_ba << R"({"type":"message_start","mess)"_ba << QStringList{protocolLine};
    QTest::newRow("json array") << "message_stop"_ba << "[]"_ba << QStringList{protocolLine};
}

void TestAnthropicStreamDecoder::decode()
{
    QFETCH(QByteArray, eventName);
    QFETCH(QByteArray, data);
    QFETCH(QStringList, expected);
    AnthropicStreamDecoder decoder;
    QCOMPARE(describe(decoder.decode(SseEvent{eventName, data, {}})), expected);
}

void TestAnthropicStreamDecoder::usageCombinesStartAndDelta()
{
    AnthropicStreamDecoder decoder;
    QCOMPARE(describe(decoder.decode(SseEvent{
                 "message_start",
                 R"({"type":"message_start","message":{"usage":{"input_tokens":25,"cache_read_input_tokens":100,"output_tokens":1}}})"_ba,
                 {}})),
             QStringList{u"usage:125/-1"_s});
    QCOMPARE(describe(decoder.decode(SseEvent{
                 "message_delta", R"({"type":"message_delta","delta":{"stop_reason":"stop_sequence"},"usage":{"output_tokens":15}})"_ba, {}})),
             QStringList{u"finish:stop | usage:125/15"_s});

    // A fresh decoder knows nothing of another stream's prompt.
    AnthropicStreamDecoder other;
    QCOMPARE(describe(other.decode(SseEvent{
                 "message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})"_ba, {}})),
             QStringList{u"finish:stop | usage:-1/2"_s});
}

void TestAnthropicStreamDecoder::finishReasonMapping_data()
{
    QTest::addColumn<QString>("stopReason");
    QTest::addColumn<QString>("expected");
    QTest::newRow("end_turn") << u"end_turn"_s << u"stop"_s;
    QTest::newRow("stop_sequence") << u"stop_sequence"_s << u"stop"_s;
    QTest::newRow("max_tokens") << u"max_tokens"_s << u"length"_s;
    QTest::newRow("tool_use") << u"tool_use"_s << u"tool_calls"_s;
    QTest::newRow("refusal") << u"refusal"_s << u"content_filter"_s;
    QTest::newRow("unknown kept") << u"pause_turn"_s << u"pause_turn"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestAnthropicStreamDecoder::finishReasonMapping()
{
    QFETCH(QString, stopReason);
    QFETCH(QString, expected);
    QCOMPARE(AnthropicStreamDecoder::finishReasonFromStopReason(stopReason), expected);
}

void TestAnthropicStreamDecoder::realisticStreamSplitAnywhere_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("lf") << realisticStream << realisticExpected;
    QByteArray crlf = realisticStream;
    crlf.replace("\n", "\r\n");
    QTest::newRow("crlf") << crlf << realisticExpected;

    QTest::newRow("overloaded mid-stream") << R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":9,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Part"}}

event: error
data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

)"_ba << QStringList{u"usage:9/-1"_s, u"content:Part"_s,
                                                  u"error Server: Anthropic reported an error (overloaded_error): Overloaded "
                                                  u"The service is busy; try again in a moment."_s};
}

void TestAnthropicStreamDecoder::realisticStreamSplitAnywhere()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QCOMPARE(decodeStream({QByteArrayView(stream)}), expected);
    const QString failure = ragdesk::testing::firstFailingSplit(
        stream, false, [&](const QList<QByteArrayView> &pieces) { return decodeStream(pieces) == expected; });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

QTEST_GUILESS_MAIN(TestAnthropicStreamDecoder)
#include "tst_anthropicstreamdecoder.moc"
