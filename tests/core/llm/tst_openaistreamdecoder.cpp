#include "core/llm/OpenAiStreamDecoder.h"
#include "tests/support/ByteSplits.h"
#include "tests/support/StreamStepDescription.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::Error;
using ragdesk::OpenAiStreamDecoder;
using ragdesk::SseEvent;
using ragdesk::SseParser;
using ragdesk::StreamChunk;

namespace {

QStringList describe(const OpenAiStreamDecoder::Step &step)
{
    return ragdesk::testing::describeStep(step);
}

OpenAiStreamDecoder::Step decodeData(const QByteArray &data, const QByteArray &eventType = {})
{
    return OpenAiStreamDecoder().decode(SseEvent{eventType, data, {}});
}

const QString protocolLine = u"error Protocol: The server sent something that is not an OpenAI-compatible chat stream. "
                             u"Check that the base URL points to an OpenAI-compatible API (usually ending in /v1)."_s;

QByteArray contentFrame(const QByteArray &escapedText)
{
    return R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")"_ba
        + escapedText + R"("},"finish_reason":null}],"usage":null})"_ba;
}

} // namespace

/// OpenAiStreamDecoder: every frame shape an OpenAI-compatible server sends, and a whole
/// realistic stream through SseParser split at every byte.
class TestOpenAiStreamDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void serverErrorKeepsRawTextInDetail();
    void protocolErrorDetailIsTruncatedRawText();
    void errorMessageFromBody_data();
    void errorMessageFromBody();
    void realisticStreamSplitAnywhere_data();
    void realisticStreamSplitAnywhere();
};

void TestOpenAiStreamDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("eventType");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QStringList>("expected");

    const QByteArray none;
    QTest::newRow("done") << none << "[DONE]"_ba << QStringList{u"DONE"_s};
    QTest::newRow("done with spaces") << none << "  [DONE] "_ba << QStringList{u"DONE"_s};
    QTest::newRow("content") << none << contentFrame("Hel") << QStringList{u"content:Hel"_s};
    QTest::newRow("unicode content") << none << contentFrame("héllo 世界 🙂 \\ud83d\\ude00 \\n\\\"q\\\"")
                                     << QStringList{u"content:héllo 世界 🙂 😀 \n\"q\""_s};
    QTest::newRow("reasoning_content")
        << none << R"({"choices":[{"delta":{"reasoning_content":"Let me think"},"finish_reason":null}]})"_ba
        << QStringList{u"reasoning:Let me think"_s};
    QTest::newRow("reasoning") << none << R"({"choices":[{"delta":{"content":null,"reasoning":"Hmm"}}]})"_ba
                               << QStringList{u"reasoning:Hmm"_s};
    QTest::newRow("content and reasoning")
        << none << R"({"choices":[{"delta":{"content":"A","reasoning_content":"B"}}]})"_ba
        << QStringList{u"content:A | reasoning:B"_s};
    QTest::newRow("finish reason") << none << R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"_ba
                                   << QStringList{u"finish:stop"_s};
    QTest::newRow("content with finish and usage")
        << none
        << R"({"choices":[{"delta":{"content":"end"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":4}})"_ba
        << QStringList{u"content:end | finish:length | usage:3/4"_s};
    QTest::newRow("usage only") << none
                                << R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}})"_ba
                                << QStringList{u"usage:12/34"_s};
    QTest::newRow("partial usage") << none << R"({"choices":[],"usage":{"prompt_tokens":5}})"_ba
                                   << QStringList{u"usage:5/-1"_s};
    // Documented choice: a role-only first delta yields no chunk at all.
    QTest::newRow("role only with empty content")
        << none << R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})"_ba
        << QStringList{};
    QTest::newRow("role only") << none << R"({"choices":[{"delta":{"role":"assistant"}}],"usage":null})"_ba
                               << QStringList{};
    QTest::newRow("empty data") << none << ""_ba << QStringList{};
    QTest::newRow("explicit message event") << "message"_ba << contentFrame("x") << QStringList{u"content:x"_s};

    QTest::newRow("error object")
        << none << R"({"error":{"message":"Rate limit exceeded","type":"rate_limit_error","code":429}})"_ba
        << QStringList{u"error Server: The server reported an error: Rate limit exceeded"_s};
    QTest::newRow("error object without message") << none << R"({"error":{"type":"server_error","code":500}})"_ba
                                                  << QStringList{u"error Server: The server reported an error: server_error"_s};
    QTest::newRow("error string") << none << R"({"error":"model 'x' not found"})"_ba
                                  << QStringList{u"error Server: The server reported an error: model 'x' not found"_s};
    QTest::newRow("vllm top-level error")
        << none << R"({"object":"error","message":"max_tokens too large","type":"BadRequestError","code":400})"_ba
        << QStringList{u"error Server: The server reported an error: max_tokens too large"_s};
    QTest::newRow("empty error object") << none << R"({"error":{}})"_ba
                                        << QStringList{u"error Server: The server reported an error without saying what went wrong."_s};
    QTest::newRow("event error json") << "error"_ba << R"({"error":{"message":"Overloaded"}})"_ba
                                      << QStringList{u"error Server: The server reported an error: Overloaded"_s};
    QTest::newRow("event error text") << "error"_ba << "upstream timed out"_ba
                                      << QStringList{u"error Server: The server reported an error: upstream timed out"_s};
    QTest::newRow("other event with error") << "ping"_ba << R"({"error":{"message":"quota"}})"_ba
                                            << QStringList{u"error Server: The server reported an error: quota"_s};
    QTest::newRow("other event ignored") << "ping"_ba << "{}"_ba << QStringList{};

    QTest::newRow("glued frames") << none << contentFrame("one") + '\n' + contentFrame("two")
                                  << QStringList{u"content:one"_s, u"content:two"_s};
    QTest::newRow("glued frame and done") << none << contentFrame("last") + "\n[DONE]"_ba
                                          << QStringList{u"content:last"_s, u"DONE"_s};
    QTest::newRow("glued usage and done, crlf remnants")
        << none << R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})"_ba + "\r\n\n[DONE]\r"_ba
        << QStringList{u"usage:1/2"_s, u"DONE"_s};
    QTest::newRow("glued frame and error") << none << contentFrame("so far") + "\n{\"error\":\"boom\"}"_ba
                                           << QStringList{u"content:so far"_s, u"error Server: The server reported an error: boom"_s};
    QTest::newRow("glued frame and garbage") << none << contentFrame("ok") + "\nnot json"_ba
                                             << QStringList{u"content:ok"_s, protocolLine};
    QTest::newRow("pretty-printed json over lines") << none << "{\n  \"choices\": [{\"delta\": {\"content\": \"p\"}}]\n}"_ba
                                                    << QStringList{u"content:p"_s};

    QTest::newRow("plain text") << none << "this is not json"_ba << QStringList{protocolLine};
    QTest::newRow("truncated json") << none << R"({"choices":[{"delta":{"content":"He)"_ba << QStringList{protocolLine};
    QTest::newRow("json array") << none << "[1,2]"_ba << QStringList{protocolLine};
    QTest::newRow("html page") << none << "<html><body>Bad Gateway</body></html>"_ba << QStringList{protocolLine};
}

void TestOpenAiStreamDecoder::decode()
{
    QFETCH(QByteArray, eventType);
    QFETCH(QByteArray, data);
    QFETCH(QStringList, expected);

    QCOMPARE(describe(decodeData(data, eventType)), expected);
}

void TestOpenAiStreamDecoder::serverErrorKeepsRawTextInDetail()
{
    const auto step = decodeData(R"({"error":{"message":"Rate limit","type":"rate_limit_error","code":429}})"_ba);
    QVERIFY(step.error);
    QCOMPARE(step.error->kind, Error::Kind::Server);
    QVERIFY2(step.error->detail.contains(u"rate_limit_error"_s), qPrintable(step.error->detail));
    QVERIFY(step.chunks.isEmpty());
    QVERIFY(!step.done);
}

void TestOpenAiStreamDecoder::protocolErrorDetailIsTruncatedRawText()
{
    // 299 ASCII bytes, then 4-byte emoji: the 300-byte cut falls inside the first emoji.
    const QByteArray raw = QByteArray(299, 'x') + "🙂🙂🙂🙂🙂"_ba + QByteArray(700, 'y');
    const auto step = decodeData(raw);
    QVERIFY(step.error);
    QCOMPARE(step.error->kind, Error::Kind::Protocol);
    QVERIFY(step.error->message.contains(u"not an OpenAI-compatible chat stream"_s));
    QCOMPARE(step.error->detail, u"Unparseable stream data: "_s + QString(299, u'x') + u"…"_s);

    const auto shortStep = decodeData("oops"_ba);
    QVERIFY(shortStep.error);
    QCOMPARE(shortStep.error->detail, u"Unparseable stream data: oops"_s);
}

void TestOpenAiStreamDecoder::errorMessageFromBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("openai error object")
        << R"({"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}})"_ba
        << u"Incorrect API key provided."_s;
    QTest::newRow("error string") << R"({"error":"model not loaded"})"_ba << u"model not loaded"_s;
    QTest::newRow("message") << R"({"message":"Not Found","status":404})"_ba << u"Not Found"_s;
    QTest::newRow("detail string") << R"({"detail":"Not authenticated"})"_ba << u"Not authenticated"_s;
    QTest::newRow("detail list")
        << R"({"detail":[{"loc":["body","model"],"msg":"field required"},{"msg":"bad temperature"}]})"_ba
        << u"field required; bad temperature"_s;
    QTest::newRow("unknown json falls back to text") << R"({"foo": 1})"_ba << uR"({"foo": 1})"_s;
    QTest::newRow("whitespace in message collapsed") << "{\"error\":{\"message\":\"  line one\\n  line two \"}}"_ba
                                                     << u"line one line two"_s;
    QTest::newRow("plain text") << "Bad Gateway\n"_ba << u"Bad Gateway"_s;
    QTest::newRow("nginx html")
        << "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
           "<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"_ba
        << u"502 Bad Gateway 502 Bad Gateway nginx/1.25.3"_s;
    QTest::newRow("html with style, script and comment")
        << "<!DOCTYPE html><html><head><STYLE>body { color: red; }</STYLE><script type=\"x\">var a = 1 < 2;</script>"
           "</head><body><!-- cf-ray --><p>Access&nbsp;denied &amp; &lt;logged&gt;</p></body></html>"_ba
        << u"Access denied & <logged>"_s;
    QTest::newRow("utf-8 text") << "Modèle introuvable 🙂"_ba << u"Modèle introuvable 🙂"_s;
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("only whitespace") << " \r\n\t"_ba << QString();
    QTest::newRow("long text truncated") << QByteArray(1000, 'a') << QString(300, u'a') + u"…"_s;
    QTest::newRow("long json message truncated") << "{\"message\":\""_ba + QByteArray(500, 'm') + "\"}"_ba
                                                 << QString(300, u'm') + u"…"_s;
    QTest::newRow("truncation keeps emoji whole") << QByteArray(299, 'a') + "🙂 and more"_ba
                                                  << QString(299, u'a') + u"…"_s;
}

void TestOpenAiStreamDecoder::errorMessageFromBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(OpenAiStreamDecoder::errorMessageFromBody(body), expected);
}

void TestOpenAiStreamDecoder::realisticStreamSplitAnywhere_data()
{
    QTest::addColumn<QByteArray>("lineEnd");
    QTest::addColumn<bool>("glued");

    QTest::newRow("lf") << "\n"_ba << false;
    QTest::newRow("crlf") << "\r\n"_ba << false;
    QTest::newRow("cr") << "\r"_ba << false;
    QTest::newRow("lf, some blank lines missing") << "\n"_ba << true;
    QTest::newRow("crlf, some blank lines missing") << "\r\n"_ba << true;
}

void TestOpenAiStreamDecoder::realisticStreamSplitAnywhere()
{
    QFETCH(QByteArray, lineEnd);
    QFETCH(bool, glued);

    const QList<QByteArray> frames{
        R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null})"_ba,
        R"({"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"Think: "},"finish_reason":null}],"usage":null})"_ba,
        R"({"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"done."},"finish_reason":null}],"usage":null})"_ba,
        contentFrame("Héllo"),
        contentFrame(", 世界 🙂"),
        contentFrame("!\\n\\\"quoted\\\" \\u00e9"),
        R"({"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})"_ba,
        R"({"id":"c1","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":9,"total_tokens":30}})"_ba,
        "[DONE]"_ba,
    };
    // When glued, these frames are followed by only one line end, as a broken server would send.
    const QList<qsizetype> gluedAfter = glued ? QList<qsizetype>{3, 4, 7} : QList<qsizetype>{};

    QByteArray stream = ": OPENROUTER PROCESSING"_ba + lineEnd + lineEnd;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        stream += "data: "_ba + frames.at(i) + lineEnd;
        if (!gluedAfter.contains(i))
            stream += lineEnd;
        if (i == 4)
            stream += ": keep-alive"_ba + lineEnd + lineEnd;
    }

    const QString expected = u"reasoning=Think: done.|content=Héllo, 世界 🙂!\n\"quoted\" é|finish=stop|usage=21/9|done"_s;
    const auto run = [](const QList<QByteArrayView> &pieces) {
        SseParser parser;
        const OpenAiStreamDecoder decoder;
        QString content, reasoning, finish, usage, trailer;
        bool done = false;
        const auto consume = [&](const QList<SseEvent> &events) {
            for (const SseEvent &event : events) {
                const auto step = decoder.decode(event);
                if (done && (!step.chunks.isEmpty() || step.done))
                    trailer += u"|data after done"_s;
                if (step.error)
                    trailer += u"|error: "_s + step.error->message;
                for (const StreamChunk &chunk : step.chunks) {
                    content += chunk.content;
                    reasoning += chunk.reasoning;
                    if (!chunk.finishReason.isEmpty())
                        finish += chunk.finishReason;
                    if (chunk.usage)
                        usage += u"%1/%2"_s.arg(chunk.usage->promptTokens).arg(chunk.usage->completionTokens);
                }
                done = done || step.done;
            }
        };
        for (const QByteArrayView piece : pieces)
            consume(parser.feed(piece));
        consume(parser.finish());
        return u"reasoning=%1|content=%2|finish=%3|usage=%4|%5%6"_s.arg(reasoning, content, finish, usage,
                                                                        done ? u"done"_s : u"not done"_s, trailer);
    };

    QCOMPARE(run({QByteArrayView(stream)}), expected);
    const QString failure = ragdesk::testing::firstFailingSplit(
        stream, false, [&](const QList<QByteArrayView> &pieces) { return run(pieces) == expected; });
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

QTEST_GUILESS_MAIN(TestOpenAiStreamDecoder)
#include "tst_openaistreamdecoder.moc"
