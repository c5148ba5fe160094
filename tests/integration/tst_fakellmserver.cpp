// The fake LLM server is what every network test leans on, so it is held to what it promises:
// routes, pacing, each failure mode, each wire quirk, keep-alive, concurrency and abort counting.

#include "tests/support/FakeLlmServer.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHttp1Configuration>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk::testing;

namespace {

/// What a client would make of an event stream. Every "data:" line is one payload, which also
/// covers glued frames (two data lines in one event).
struct DecodedStream {
    QString content;
    QString reasoning;
    int contentChunks = 0;
    bool done = false;
    bool reasoningAfterContent = false;
    QString lastFinishReason;
    QJsonObject usage;
    bool usageWithEmptyChoices = false;
    QStringList errors;
};

DecodedStream decodeStream(QByteArray raw)
{
    DecodedStream out;
    raw.replace("\r\n", "\n");
    for (const QByteArray &line : raw.split('\n')) {
        if (!line.startsWith("data:"))
            continue;
        QByteArray payload = line.mid(5);
        if (payload.startsWith(' '))
            payload.remove(0, 1);
        if (payload == "[DONE]") {
            out.done = true;
            continue;
        }
        const QJsonObject object = QJsonDocument::fromJson(payload).object();
        if (object.contains(u"error"_s))
            out.errors.append(object.value(u"error"_s).toObject().value(u"message"_s).toString());
        if (object.contains(u"usage"_s)) {
            out.usage = object.value(u"usage"_s).toObject();
            out.usageWithEmptyChoices = object.value(u"choices"_s).toArray().isEmpty();
        }
        for (const QJsonValue &choice : object.value(u"choices"_s).toArray()) {
            const QJsonObject delta = choice.toObject().value(u"delta"_s).toObject();
            if (delta.contains(u"reasoning_content"_s)) {
                out.reasoning += delta.value(u"reasoning_content"_s).toString();
                out.reasoningAfterContent = out.reasoningAfterContent || out.contentChunks > 0;
            }
            if (delta.contains(u"content"_s)) {
                out.content += delta.value(u"content"_s).toString();
                ++out.contentChunks;
            }
            if (const QJsonValue reason = choice.toObject().value(u"finish_reason"_s); reason.isString())
                out.lastFinishReason = reason.toString();
        }
    }
    return out;
}

QUrl endpoint(const FakeLlmServer &server, QStringView route)
{
    QUrl url = server.baseUrl();
    url.setPath(url.path() + route);
    return url;
}

QByteArray chatBody(bool stream, const QString &model = u"fake-model"_s)
{
    const QJsonArray messages{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hello there"_s}}};
    return QJsonDocument(QJsonObject{{u"model"_s, model}, {u"stream"_s, stream}, {u"messages"_s, messages}})
        .toJson(QJsonDocument::Compact);
}

QByteArray rawChatRequest(const QByteArray &connection)
{
    const QByteArray body = chatBody(true);
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: "
        + connection + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

/// Payloads of a chunked body, in order; stops at the terminating chunk.
QList<QByteArray> chunkPayloads(QByteArrayView body, bool *terminated)
{
    QList<QByteArray> payloads;
    *terminated = false;
    for (qsizetype pos = 0; pos < body.size();) {
        const qsizetype lineEnd = body.indexOf("\r\n", pos);
        bool ok = false;
        const qsizetype size = body.sliced(pos, lineEnd - pos).toByteArray().toLongLong(&ok, 16);
        if (lineEnd < 0 || !ok)
            break;
        if (size == 0) {
            *terminated = true;
            break;
        }
        payloads.append(body.sliced(lineEnd + 2, size).toByteArray());
        pos = lineEnd + 2 + size + 2;
    }
    return payloads;
}

bool waitFinished(QNetworkReply *reply)
{
    return reply->isFinished() || QSignalSpy(reply, &QNetworkReply::finished).wait(10000);
}

int statusOf(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QUrl rootEndpoint(const FakeLlmServer &server, const QString &path)
{
    QUrl url = server.url();
    url.setPath(path);
    return url;
}

/// A chat request the way a client of @p family ("openai", "ollama", "anthropic") sends it.
QNetworkRequest familyRequest(const FakeLlmServer &server, const QString &family, const QString &path = {})
{
    QString route = path;
    if (route.isEmpty())
        route = family == u"ollama" ? u"/api/chat"_s : family == u"anthropic" ? u"/v1/messages"_s : u"/v1/chat/completions"_s;
    QNetworkRequest request(rootEndpoint(server, route));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    if (family == u"anthropic") {
        request.setRawHeader("x-api-key", "sk-test");
        request.setRawHeader("anthropic-version", "2023-06-01");
    } else {
        request.setRawHeader("Authorization", "Bearer sk-test");
    }
    return request;
}

/// The error text of a failed answer in @p family's error shape; for Anthropic "type: message".
QString familyError(const QString &family, const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (!object.contains(u"error"_s))
        return {};
    if (family == u"ollama")
        return object.value(u"error"_s).toString();
    const QJsonObject error = object.value(u"error"_s).toObject();
    if (family == u"anthropic") {
        if (object.value(u"type"_s).toString() != u"error")
            return {};
        return error.value(u"type"_s).toString() + u": "_s + error.value(u"message"_s).toString();
    }
    return error.value(u"code"_s).toString() + u": "_s + error.value(u"message"_s).toString();
}

/// Every object of an NDJSON body, one per line; an unparsable line becomes an empty object.
QList<QJsonObject> ndjsonLines(const QByteArray &raw)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : raw.split('\n')) {
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

/// The (event name, data) pairs of a named-event stream such as Anthropic's.
QList<std::pair<QString, QJsonObject>> namedEvents(QByteArray raw)
{
    QList<std::pair<QString, QJsonObject>> out;
    raw.replace("\r\n", "\n");
    QString name;
    for (const QByteArray &line : raw.split('\n')) {
        if (line.startsWith("event:"))
            name = QString::fromUtf8(line.mid(6).trimmed());
        else if (line.startsWith("data:"))
            out.append({name, QJsonDocument::fromJson(line.mid(5).trimmed()).object()});
    }
    return out;
}

} // namespace

class TestFakeLlmServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QNetworkReply> post(const FakeLlmServer &server, const QByteArray &body)
    {
        QNetworkRequest request(endpoint(server, u"/chat/completions"));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer sk-test");
        // Qt's default of 6 connections per host would queue the rest and hide real concurrency.
        QHttp1Configuration http1;
        http1.setNumberOfConnectionsPerHost(64);
        request.setHttp1Configuration(http1);
        return std::unique_ptr<QNetworkReply>(m_nam->post(request, body));
    }

    std::unique_ptr<QNetworkAccessManager> m_nam;

private Q_SLOTS:
    void init()
    {
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_nam->setProxy(QNetworkProxy::NoProxy);
    }
    void cleanup() { m_nam.reset(); }

    void modelsRoute()
    {
        FakeLlmServer::Options options;
        options.extraModels = {u"other-model"_s};
        FakeLlmServer server(options);
        QVERIFY(server.isListening());
        QCOMPARE(server.baseUrl().toString(), u"http://127.0.0.1:%1/v1"_s.arg(server.port()));

        std::unique_ptr<QNetworkReply> reply(m_nam->get(QNetworkRequest(endpoint(server, u"/models"))));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QJsonObject list = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(list.value(u"object"_s).toString(), u"list"_s);
        const QJsonArray data = list.value(u"data"_s).toArray();
        QCOMPARE(data.size(), 2);
        QCOMPARE(data[0].toObject().value(u"id"_s).toString(), u"fake-model"_s);
        QCOMPARE(data[1].toObject().value(u"id"_s).toString(), u"other-model"_s);
        QCOMPARE(server.lastRequestLine(), "GET /v1/models"_ba);
    }

    void fullStream_data()
    {
        QTest::addColumn<bool>("usage");
        QTest::newRow("plain") << false;
        QTest::newRow("usage chunk") << true;
    }

    void fullStream()
    {
        QFETCH(bool, usage);
        FakeLlmServer::Options options;
        options.tokens = 30;
        options.tokensPerSecond = 1000;
        options.usageChunk = usage;
        FakeLlmServer server(options);
        QSignalSpy received(&server, &FakeLlmServer::requestReceived);

        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true, u"chosen-model"_s));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(u"text/event-stream"_s));
        const QByteArray raw = reply->readAll();
        const DecodedStream stream = decodeStream(raw);
        QCOMPARE(stream.contentChunks, 30);
        QCOMPARE(stream.content, options.replyText());
        QVERIFY(stream.content.contains(u"café"_s) && stream.content.contains(u"日本"_s));
        QCOMPARE(stream.lastFinishReason, u"stop"_s);
        QVERIFY(stream.done);
        QVERIFY(raw.contains("\"model\":\"chosen-model\""));
        QCOMPARE(stream.usageWithEmptyChoices, usage);
        if (usage)
            QCOMPARE(stream.usage.value(u"completion_tokens"_s).toInt(), 30);

        QCOMPARE(received.size(), 1);
        QCOMPARE(received[0][1].toByteArray(), "/v1/chat/completions"_ba);
        QCOMPARE(server.lastRequestHeader("AUTHORIZATION"), "Bearer sk-test"_ba);
        QCOMPARE(server.lastRequestBody().value(u"stream"_s).toBool(), true);
        QCOMPARE(server.finishedStreams(), 1);
        QCOMPARE(server.activeStreams(), 0);
    }

    void quirks_data()
    {
        QTest::addColumn<QString>("quirk");
        for (const char *name : {"crlf", "no-space", "comments", "glued", "reasoning", "split-writes", "unpaced"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void quirks()
    {
        QFETCH(QString, quirk);
        FakeLlmServer::Options options;
        options.tokens = 11; // odd, so glued frames end with a lone token
        options.tokensPerSecond = 1000;
        options.crlf = quirk == u"crlf" || quirk == u"split-writes"; // split writes then cut CRLF too
        options.noSpaceAfterData = quirk == u"no-space";
        options.comments = quirk == u"comments";
        options.gluedFrames = quirk == u"glued";
        options.reasoning = quirk == u"reasoning";
        options.splitWrites = quirk == u"split-writes";
        if (quirk == u"unpaced")
            options.tokensPerSecond = 0;
        FakeLlmServer server(options);

        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QByteArray raw = reply->readAll();
        const DecodedStream stream = decodeStream(raw);
        QCOMPARE(stream.content, options.replyText());
        QVERIFY(stream.done);

        if (options.crlf)
            QCOMPARE(raw.count('\n'), raw.count("\r\n"));
        else
            QVERIFY(!raw.contains('\r'));
        QCOMPARE(raw.contains("data: "), !options.noSpaceAfterData);
        QCOMPARE(raw.count(": ping\n\n"), options.comments ? 11 : 0); // one after the headers, then between
        QCOMPARE(raw.count("}\ndata: {"), options.gluedFrames ? 5 : 0);
        QCOMPARE(stream.reasoning, options.reasoningTexts().join(QString()));
        QVERIFY(!stream.reasoningAfterContent);
    }

    void splitWritesCutInsideCharacters()
    {
        FakeLlmServer::Options options;
        options.reply = u"日本語 café 😀 done"_s;
        options.splitWrites = true;
        options.crlf = true;
        FakeLlmServer server(options);

        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());
        socket.write(rawChatRequest("close"));
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        QVERIFY(disconnected.wait(5000));
        const QByteArray response = socket.readAll();
        const qsizetype bodyStart = response.indexOf("\r\n\r\n") + 4;
        bool terminated = false;
        const QList<QByteArray> payloads = chunkPayloads(QByteArrayView(response).sliced(bodyStart), &terminated);
        QVERIFY(terminated);

        int endInCharacter = 0;
        int endInCrlf = 0;
        for (const QByteArray &payload : payloads) {
            endInCharacter += static_cast<unsigned char>(payload.back()) >= 0xC0 ? 1 : 0;
            endInCrlf += payload.endsWith('\r') ? 1 : 0;
        }
        QCOMPARE_GE(endInCharacter, 5); // inside each of 日 本 語 é 😀
        QCOMPARE_GT(endInCrlf, 0);
        QCOMPARE(decodeStream(payloads.join()).content, options.reply);
    }

    void nonStreamingCompletion()
    {
        FakeLlmServer::Options options;
        options.reply = u"  Exact answer, with café.\n"_s;
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(false));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(statusOf(reply.get()), 200);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(u"object"_s).toString(), u"chat.completion"_s);
        const QJsonObject message = body.value(u"choices"_s)[0][u"message"_s].toObject();
        QCOMPARE(message.value(u"content"_s).toString(), options.reply);
        QCOMPARE(body.value(u"usage"_s)[u"completion_tokens"_s].toInt(), 4);
        QCOMPARE(server.activeStreams(), 0);
        QCOMPARE(server.finishedStreams(), 0); // not a stream
    }

    void ttftHonoured()
    {
        FakeLlmServer::Options options;
        options.ttft = 150ms;
        options.tokens = 5;
        FakeLlmServer server(options);

        qint64 headersMs = -1;
        qint64 firstContentMs = -1;
        QByteArray received;
        QElapsedTimer clock;
        clock.start();
        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        connect(reply.get(), &QNetworkReply::metaDataChanged, this, [&] {
            if (headersMs < 0)
                headersMs = clock.elapsed();
        });
        connect(reply.get(), &QNetworkReply::readyRead, this, [&] {
            received += reply->readAll();
            if (firstContentMs < 0 && received.contains("\"content\""))
                firstContentMs = clock.elapsed();
        });
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE_GE(firstContentMs, 150);
        QVERIFY(headersMs >= 0);
        QCOMPARE_LT(headersMs, firstContentMs); // headers do not wait for the first token
    }

    void httpFailures_data()
    {
        QTest::addColumn<FakeLlmServer::Failure>("failure");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("401") << FakeLlmServer::Failure::Http401 << 401 << u"Invalid API key provided"_s;
        QTest::newRow("429") << FakeLlmServer::Failure::Http429 << 429 << u"Rate limit reached"_s;
        QTest::newRow("500") << FakeLlmServer::Failure::Http500 << 500 << u"Internal server error: model crashed"_s;
    }

    void httpFailures()
    {
        QFETCH(FakeLlmServer::Failure, failure);
        QFETCH(int, status);
        QFETCH(QString, message);
        FakeLlmServer::Options options;
        options.failure = failure;
        options.retryAfterSeconds = 7;
        FakeLlmServer server(options);

        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(statusOf(reply.get()), status);
        QVERIFY(reply->error() != QNetworkReply::NoError);
        QCOMPARE(reply->rawHeader("Retry-After"), status == 429 ? "7"_ba : QByteArray());
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(u"error"_s)[u"message"_s].toString(), message);
        QCOMPARE(server.finishedStreams() + server.activeStreams(), 0);
    }

    void badRequests()
    {
        FakeLlmServer server;
        std::unique_ptr<QNetworkReply> unknown(m_nam->get(QNetworkRequest(endpoint(server, u"/embeddings"))));
        std::unique_ptr<QNetworkReply> invalid = post(server, "{not json"_ba);
        QVERIFY(waitFinished(unknown.get()));
        QVERIFY(waitFinished(invalid.get()));
        QCOMPARE(statusOf(unknown.get()), 404);
        QVERIFY(QJsonDocument::fromJson(unknown->readAll()).object().contains(u"error"_s));
        QCOMPARE(statusOf(invalid.get()), 400);
        QCOMPARE(server.requestCount(), 2);
    }

    void cutMidStream()
    {
        FakeLlmServer::Options options;
        options.tokens = 20;
        options.failure = FakeLlmServer::Failure::CutMidStream;
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->error() != QNetworkReply::NoError); // the body never ended properly
        const DecodedStream stream = decodeStream(reply->readAll());
        QCOMPARE(stream.contentChunks, 10);
        QVERIFY(!stream.done);
        QVERIFY(stream.lastFinishReason.isEmpty());
        QCOMPARE(server.abortedStreams(), 0); // the server hung up, not the client
        QCOMPARE(server.activeStreams(), 0);
    }

    void stallMidStream()
    {
        FakeLlmServer::Options options;
        options.tokens = 20;
        options.tokensPerSecond = 500;
        options.failure = FakeLlmServer::Failure::StallMidStream;
        FakeLlmServer server(options);
        QByteArray received;
        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        connect(reply.get(), &QNetworkReply::readyRead, this, [&] { received += reply->readAll(); });
        QTRY_COMPARE(decodeStream(received).contentChunks, 10);

        QSignalSpy moreData(reply.get(), &QNetworkReply::readyRead);
        QVERIFY(!moreData.wait(400)); // silence while the connection stays open
        QVERIFY(reply->isRunning());
        QCOMPARE(server.activeStreams(), 1);

        reply->abort();
        QTRY_COMPARE(server.abortedStreams(), 1);
        QCOMPARE(server.activeStreams(), 0);
    }

    void errorInStream()
    {
        FakeLlmServer::Options options;
        options.tokens = 20;
        options.failure = FakeLlmServer::Failure::ErrorInStream;
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError); // HTTP-wise the body ended properly
        const DecodedStream stream = decodeStream(reply->readAll());
        QCOMPARE(stream.contentChunks, 10);
        QCOMPARE(stream.errors.size(), 1);
        QVERIFY(!stream.errors.front().isEmpty());
        QVERIFY(!stream.done);
    }

    void abortCounted()
    {
        FakeLlmServer::Options options;
        options.tokens = 200;
        options.tokensPerSecond = 100; // two seconds: the abort lands mid-stream
        FakeLlmServer server(options);
        QSignalSpy aborted(&server, &FakeLlmServer::streamAborted);
        std::unique_ptr<QNetworkReply> reply = post(server, chatBody(true));
        QVERIFY(QSignalSpy(reply.get(), &QNetworkReply::readyRead).wait(5000));
        QCOMPARE(server.activeStreams(), 1);

        reply->abort();
        QVERIFY(aborted.wait(5000));
        QCOMPARE(server.abortedStreams(), 1);
        QCOMPARE(server.activeStreams(), 0);
        QCOMPARE(server.finishedStreams(), 0);
    }

    void keepAliveReusesConnection()
    {
        FakeLlmServer server;
        for (bool stream : {true, false, true}) {
            std::unique_ptr<QNetworkReply> reply = post(server, chatBody(stream));
            QVERIFY(waitFinished(reply.get()));
            QCOMPARE(reply->error(), QNetworkReply::NoError);
        }
        QCOMPARE(server.requestCount(), 3);
        QCOMPARE(server.connectionCount(), 1);
    }

    void pipelinedRequestSplitAcrossWrites()
    {
        FakeLlmServer::Options options;
        options.reply = u"ok"_s;
        FakeLlmServer server(options);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());

        // The second request's head and body are cut mid-way, inside "é" of the body.
        const QByteArray second = "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 43\r\n\r\n"
                                  "{\"messages\":[{\"content\":\"café\"}],\"x\":1234}";
        QCOMPARE(second.size() - second.indexOf("\r\n\r\n") - 4, 43);
        const qsizetype cut = second.indexOf("é") + 1;
        socket.write("GET /v1/models HTTP/1.1\r\n\r\n" + second.first(20));
        QByteArray models;
        QTRY_VERIFY((models += socket.readAll()).contains("\"object\":\"list\""));
        QCOMPARE(server.requestCount(), 1);
        socket.write(second.sliced(20, cut - 20));
        QTRY_COMPARE(socket.bytesToWrite(), 0);
        socket.write(second.sliced(cut));
        QByteArray answer;
        QTRY_VERIFY((answer += socket.readAll()).contains("chat.completion"));
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(server.connectionCount(), 1);
        QCOMPARE(server.lastRequestBody()[u"messages"_s][0][u"content"_s].toString(), u"café"_s);
    }

    void concurrentStreams()
    {
        FakeLlmServer::Options options;
        options.tokens = 40;
        options.tokensPerSecond = 400;
        FakeLlmServer server(options);
        std::vector<std::unique_ptr<QNetworkReply>> replies;
        for (int i = 0; i < 20; ++i)
            replies.push_back(post(server, chatBody(true)));
        for (const auto &reply : replies) {
            QVERIFY(waitFinished(reply.get()));
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(decodeStream(reply->readAll()).content, options.replyText());
        }
        QCOMPARE(server.finishedStreams(), 20);
        QCOMPARE(server.peakActiveStreams(), 20);
    }

    std::unique_ptr<QNetworkReply> sendChat(const FakeLlmServer &server, const QString &family, bool stream)
    {
        return std::unique_ptr<QNetworkReply>(m_nam->post(familyRequest(server, family), chatBody(stream)));
    }

    void ollamaStream()
    {
        FakeLlmServer::Options options;
        options.tokens = 7;
        options.tokensPerSecond = 1000;
        options.reasoning = true;
        FakeLlmServer server(options);
        // No "stream" field: Ollama streams by default.
        const QByteArray body = R"({"model":"llama3","messages":[{"role":"user","content":"Hello there"}]})"_ba;
        std::unique_ptr<QNetworkReply> reply(m_nam->post(familyRequest(server, u"ollama"_s), body));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), u"application/x-ndjson"_s);
        const QByteArray raw = reply->readAll();
        QVERIFY(raw.endsWith('\n'));
        const QList<QJsonObject> lines = ndjsonLines(raw);
        const qsizetype thinkingLines = options.reasoningTexts().size();
        QCOMPARE(lines.size(), thinkingLines + 7 + 1);

        QString thinking;
        QString content;
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            const QJsonObject &line = lines[i];
            QCOMPARE(line.value(u"model"_s).toString(), u"llama3"_s);
            QVERIFY(!line.value(u"created_at"_s).toString().isEmpty());
            QCOMPARE(line.value(u"done"_s).toBool(true), false);
            const QJsonObject message = line.value(u"message"_s).toObject();
            QCOMPARE(message.value(u"role"_s).toString(), u"assistant"_s);
            QCOMPARE(message.contains(u"thinking"_s), i < thinkingLines);
            thinking += message.value(u"thinking"_s).toString();
            content += message.value(u"content"_s).toString();
        }
        QCOMPARE(thinking, options.reasoningTexts().join(QString()));
        QCOMPARE(content, options.replyText());
        const QJsonObject last = lines.back();
        QCOMPARE(last.value(u"done"_s).toBool(), true);
        QCOMPARE(last.value(u"done_reason"_s).toString(), u"stop"_s);
        QCOMPARE(last[u"message"_s][u"content"_s].toString(), QString());
        QCOMPARE(last.value(u"eval_count"_s).toInt(), thinkingLines + 7);
        QCOMPARE_GT(last.value(u"prompt_eval_count"_s).toInt(), 0);
        QCOMPARE_GT(last.value(u"total_duration"_s).toInteger(), 0);
        QCOMPARE(server.finishedStreams(), 1);
    }

    void ollamaNonStreaming()
    {
        FakeLlmServer::Options options;
        options.reply = u"Whole answer, café."_s;
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply = sendChat(server, u"ollama"_s, false);
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body[u"message"_s][u"content"_s].toString(), options.reply);
        QCOMPARE(body.value(u"done"_s).toBool(), true);
        QCOMPARE(body.value(u"eval_count"_s).toInt(), 3);
        QCOMPARE(server.finishedStreams(), 0);
    }

    void ollamaTags()
    {
        FakeLlmServer::Options options;
        options.extraModels = {u"other:7b"_s};
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply(m_nam->get(QNetworkRequest(rootEndpoint(server, u"/api/tags"_s))));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QJsonArray models = QJsonDocument::fromJson(reply->readAll())[u"models"_s].toArray();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[0][u"name"_s].toString(), u"fake-model"_s);
        QCOMPARE(models[1][u"model"_s].toString(), u"other:7b"_s);
        QCOMPARE_GT(models[1][u"size"_s].toInteger(), 0);
    }

    void anthropicStream_data()
    {
        QTest::addColumn<bool>("reasoning");
        QTest::newRow("text only") << false;
        QTest::newRow("thinking first") << true;
    }

    void anthropicStream()
    {
        QFETCH(bool, reasoning);
        FakeLlmServer::Options options;
        options.tokens = 5;
        options.tokensPerSecond = 1000;
        options.reasoning = reasoning;
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply = sendChat(server, u"anthropic"_s, true);
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(u"text/event-stream"_s));
        const QList<std::pair<QString, QJsonObject>> events = namedEvents(reply->readAll());

        // The order of event names, runs of deltas folded into one.
        QStringList order;
        QString thinking;
        QString text;
        for (const auto &[name, data] : events) {
            QCOMPARE(data.value(u"type"_s).toString(), name);
            if (order.isEmpty() || order.back() != name || name != u"content_block_delta")
                order.append(name);
            const QJsonObject delta = data.value(u"delta"_s).toObject();
            if (delta.value(u"type"_s).toString() == u"thinking_delta") {
                QCOMPARE(data.value(u"index"_s).toInt(), 0);
                thinking += delta.value(u"thinking"_s).toString();
            } else if (delta.value(u"type"_s).toString() == u"text_delta") {
                QCOMPARE(data.value(u"index"_s).toInt(), reasoning ? 1 : 0);
                text += delta.value(u"text"_s).toString();
            }
        }
        const QStringList block{u"content_block_start"_s, u"content_block_delta"_s, u"content_block_stop"_s};
        QStringList expected{u"message_start"_s, block[0], u"ping"_s, block[1], block[2]};
        if (reasoning)
            expected += block;
        expected += QStringList{u"message_delta"_s, u"message_stop"_s};
        QCOMPARE(order, expected);
        QCOMPARE(text, options.replyText());
        QCOMPARE(thinking, options.reasoningTexts().join(QString()));

        QCOMPARE_GT(events.front().second[u"message"_s][u"usage"_s][u"input_tokens"_s].toInt(), 0);
        const QJsonObject messageDelta = events[events.size() - 2].second;
        QCOMPARE(messageDelta[u"delta"_s][u"stop_reason"_s].toString(), u"end_turn"_s);
        QCOMPARE(messageDelta[u"usage"_s][u"output_tokens"_s].toInt(), 5 + options.reasoningTexts().size());
    }

    void anthropicRequiresVersion()
    {
        FakeLlmServer server;
        QNetworkRequest request = familyRequest(server, u"anthropic"_s);
        request.setRawHeader("anthropic-version", QByteArray());
        std::unique_ptr<QNetworkReply> reply(m_nam->post(request, chatBody(true)));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(statusOf(reply.get()), 400);
        QVERIFY(familyError(u"anthropic"_s, reply->readAll()).startsWith(u"invalid_request_error: anthropic-version"_s));
        QCOMPARE(server.finishedStreams() + server.activeStreams(), 0);
    }

    void anthropicModels()
    {
        FakeLlmServer::Options options;
        options.extraModels = {u"claude-fake"_s};
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply(m_nam->get(familyRequest(server, u"anthropic"_s, u"/v1/models"_s)));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QJsonObject list = QJsonDocument::fromJson(reply->readAll()).object();
        const QJsonArray data = list.value(u"data"_s).toArray();
        QCOMPARE(data.size(), 2);
        QCOMPARE(data[0][u"type"_s].toString(), u"model"_s);
        QCOMPARE(data[1][u"display_name"_s].toString(), u"claude-fake"_s);
        QCOMPARE(list.value(u"has_more"_s).toBool(true), false);
        QCOMPARE(list.value(u"first_id"_s).toString(), u"fake-model"_s);
        QCOMPARE(list.value(u"last_id"_s).toString(), u"claude-fake"_s);
        QVERIFY(!list.contains(u"object"_s)); // not the OpenAI list, which modelsRoute covers
    }

    void apiKeyPerFamily_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("status");
        QTest::newRow("openai bearer") << u"openai"_s << "Authorization"_ba << "Bearer sk-right"_ba << 200;
        QTest::newRow("openai wrong key") << u"openai"_s << "Authorization"_ba << "Bearer sk-wrong"_ba << 401;
        QTest::newRow("openai x-api-key") << u"openai"_s << "x-api-key"_ba << "sk-right"_ba << 401;
        QTest::newRow("ollama bearer") << u"ollama"_s << "Authorization"_ba << "Bearer sk-right"_ba << 200;
        QTest::newRow("ollama wrong key") << u"ollama"_s << "Authorization"_ba << "Bearer sk-wrong"_ba << 401;
        QTest::newRow("anthropic x-api-key") << u"anthropic"_s << "x-api-key"_ba << "sk-right"_ba << 200;
        QTest::newRow("anthropic wrong key") << u"anthropic"_s << "x-api-key"_ba << "sk-wrong"_ba << 401;
        QTest::newRow("anthropic bearer") << u"anthropic"_s << "Authorization"_ba << "Bearer sk-right"_ba << 401;
    }

    void apiKeyPerFamily()
    {
        QFETCH(QString, family);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QFETCH(int, status);
        FakeLlmServer::Options options;
        options.requiredApiKey = u"sk-right"_s;
        options.tokens = 3;
        FakeLlmServer server(options);
        QNetworkRequest request = familyRequest(server, family);
        request.setRawHeader("Authorization", QByteArray());
        request.setRawHeader("x-api-key", QByteArray());
        request.setRawHeader(header, value);
        std::unique_ptr<QNetworkReply> reply(m_nam->post(request, chatBody(false)));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(statusOf(reply.get()), status);
        const QString error = familyError(family, reply->readAll());
        QCOMPARE(error.isEmpty(), status == 200);
        if (family == u"anthropic" && status == 401)
            QVERIFY(error.startsWith(u"authentication_error: "_s));
    }

    void chatFailuresPerFamily_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<FakeLlmServer::Failure>("failure");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        using F = FakeLlmServer::Failure;
        const QString context = u"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."_s;
        const QList<std::tuple<const char *, F, int, QString, QString, QString>> rows{
            {"401", F::Http401, 401, u": Invalid API key provided"_s, u"unauthorized"_s, u"authentication_error: invalid x-api-key"_s},
            {"404", F::Http404, 404, u"model_not_found: The model `wanted` does not exist"_s,
             u"model \"wanted\" not found, try pulling it first"_s, u"not_found_error: model: wanted"_s},
            {"429", F::Http429, 429, u": Rate limit reached"_s, u"rate limit reached, please retry later"_s,
             u"rate_limit_error: Number of request tokens has exceeded your per-minute rate limit"_s},
            {"500", F::Http500, 500, u": Internal server error: model crashed"_s, u"model runner has unexpectedly stopped"_s,
             u"api_error: Internal server error"_s},
            {"503", F::Http503, 503, u": The server is overloaded or not ready yet."_s,
             u"server busy, please try again.  maximum pending requests exceeded"_s, u"overloaded_error: Overloaded"_s},
            {"context", F::ContextLength, 400, u"context_length_exceeded: "_s + context,
             u"the input length (9000 tokens) exceeds the model's context length (8192 tokens)"_s,
             u"invalid_request_error: prompt is too long: 9000 tokens > 8192 maximum"_s},
        };
        for (const auto &[name, failure, status, openAi, ollama, anthropic] : rows) {
            QTest::addRow("openai %s", name) << u"openai"_s << failure << status << openAi;
            QTest::addRow("ollama %s", name) << u"ollama"_s << failure << status << ollama;
            QTest::addRow("anthropic %s", name) << u"anthropic"_s << failure << status << anthropic;
        }
    }

    void chatFailuresPerFamily()
    {
        QFETCH(QString, family);
        QFETCH(FakeLlmServer::Failure, failure);
        QFETCH(int, status);
        QFETCH(QString, error);
        FakeLlmServer::Options options;
        options.failure = failure;
        options.retryAfterSeconds = 7;
        FakeLlmServer server(options);
        std::unique_ptr<QNetworkReply> reply(m_nam->post(familyRequest(server, family), chatBody(true, u"wanted"_s)));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(statusOf(reply.get()), status);
        QCOMPARE(reply->rawHeader("Retry-After"), status == 429 || status == 503 ? "7"_ba : QByteArray());
        QCOMPARE(familyError(family, reply->readAll()), error);
        QCOMPARE(server.finishedStreams() + server.activeStreams(), 0);
    }

    void errorInStreamPerFamily()
    {
        FakeLlmServer::Options options;
        options.tokens = 10;
        options.failure = FakeLlmServer::Failure::ErrorInStream;
        FakeLlmServer server(options);

        std::unique_ptr<QNetworkReply> ollama = sendChat(server, u"ollama"_s, true);
        QVERIFY(waitFinished(ollama.get()));
        QCOMPARE(ollama->error(), QNetworkReply::NoError);
        const QList<QJsonObject> lines = ndjsonLines(ollama->readAll());
        QCOMPARE(lines.size(), 6); // half the tokens, then the error line
        QVERIFY(!lines.back().value(u"error"_s).toString().isEmpty());

        std::unique_ptr<QNetworkReply> anthropic = sendChat(server, u"anthropic"_s, true);
        QVERIFY(waitFinished(anthropic.get()));
        const QList<std::pair<QString, QJsonObject>> events = namedEvents(anthropic->readAll());
        QCOMPARE(events.back().first, u"error"_s);
        QCOMPARE(events.back().second[u"error"_s][u"type"_s].toString(), u"overloaded_error"_s);
        const auto stops = std::count_if(events.begin(), events.end(),
                                         [](const auto &event) { return event.first == u"message_stop"; });
        QCOMPARE(stops, 0);
    }

    void failureCountThenSuccess()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http503;
        options.failureCount = 2;
        options.tokens = 3;
        FakeLlmServer server(options);
        auto statusOfChat = [&] {
            std::unique_ptr<QNetworkReply> reply = sendChat(server, u"ollama"_s, false);
            return waitFinished(reply.get()) ? statusOf(reply.get()) : -1;
        };
        auto statusOfTags = [&] {
            std::unique_ptr<QNetworkReply> reply(m_nam->get(QNetworkRequest(rootEndpoint(server, u"/api/tags"_s))));
            return waitFinished(reply.get()) ? statusOf(reply.get()) : -1;
        };
        QCOMPARE(statusOfTags(), 503); // a model list fails too, but does not use up the count
        QCOMPARE(statusOfChat(), 503);
        QCOMPARE(statusOfChat(), 503);
        QCOMPARE(statusOfChat(), 200);
        QCOMPARE(statusOfTags(), 200);
        server.setOptions(options); // restarts the count
        QCOMPARE(statusOfChat(), 503);
    }

    void retryAfterHttpDate_data()
    {
        QTest::addColumn<FakeLlmServer::Failure>("failure");
        QTest::newRow("429") << FakeLlmServer::Failure::Http429;
        QTest::newRow("503") << FakeLlmServer::Failure::Http503;
    }

    void retryAfterHttpDate()
    {
        QFETCH(FakeLlmServer::Failure, failure);
        FakeLlmServer::Options options;
        options.failure = failure;
        options.retryAfterSeconds = 120;
        options.retryAfterHttpDate = true;
        FakeLlmServer server(options);
        const QDateTime before = QDateTime::currentDateTimeUtc();
        std::unique_ptr<QNetworkReply> reply = sendChat(server, u"anthropic"_s, true);
        QVERIFY(waitFinished(reply.get()));
        const QByteArray value = reply->rawHeader("Retry-After");
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        QVERIFY2(QRegularExpression(u"^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$"_s)
                     .match(QString::fromLatin1(value)).hasMatch(), value.constData());
        QDateTime at = QLocale::c().toDateTime(QString::fromLatin1(value), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
        at.setTimeZone(QTimeZone::UTC);
        QVERIFY(at.isValid());
        QCOMPARE_GE(before.secsTo(at), 118);
        QCOMPARE_LE(before.secsTo(at), 125);
    }

    void keepAliveDrip_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QByteArray>("keepAlive");
        QTest::newRow("openai") << u"openai"_s << ": keep-alive\n\n"_ba;
        QTest::newRow("anthropic") << u"anthropic"_s << ": keep-alive\n\n"_ba;
        QTest::newRow("ollama") << u"ollama"_s << "\n"_ba;
    }

    void keepAliveDrip()
    {
        QFETCH(QString, family);
        QFETCH(QByteArray, keepAlive);
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::KeepAliveDrip;
        options.dripInterval = 20ms;
        options.ttft = 0ms;
        FakeLlmServer server(options);
        QElapsedTimer clock;
        clock.start();
        std::unique_ptr<QNetworkReply> reply = sendChat(server, family, true);
        QByteArray received;
        connect(reply.get(), &QNetworkReply::readyRead, this, [&] { received += reply->readAll(); });
        QTRY_COMPARE_GE_WITH_TIMEOUT(received.count(keepAlive), 6, 5000);
        QCOMPARE(statusOf(reply.get()), 200);
        QCOMPARE_GE(clock.elapsed(), 6 * 20 - 5); // paced, not a burst
        QCOMPARE(QByteArray(received).replace(keepAlive, QByteArray()), QByteArray()); // nothing else, no token
        QVERIFY(reply->isRunning());
        QCOMPARE(server.activeStreams(), 1);
        reply->abort();
        QTRY_COMPARE(server.abortedStreams(), 1);
    }

    void slowFirstByte_data()
    {
        QTest::addColumn<QString>("family");
        QTest::newRow("openai") << u"openai"_s;
        QTest::newRow("anthropic") << u"anthropic"_s;
        QTest::newRow("ollama") << u"ollama"_s;
    }

    void slowFirstByte()
    {
        QFETCH(QString, family);
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::SlowFirstByte;
        options.ttft = 250ms;
        options.tokens = 4;
        FakeLlmServer server(options);
        QElapsedTimer clock;
        clock.start();
        std::unique_ptr<QNetworkReply> reply = sendChat(server, family, true);
        qint64 headersMs = -1;
        connect(reply.get(), &QNetworkReply::metaDataChanged, this, [&] {
            if (headersMs < 0)
                headersMs = clock.elapsed();
        });
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE_GE(headersMs, 250); // not even the status line before ttft
        const QByteArray raw = reply->readAll();
        QVERIFY(raw.contains(options.tokenTexts().back().toUtf8())); // "dolor.": the whole answer went out
        QCOMPARE(server.finishedStreams(), 1);
    }

    void tls()
    {
        FakeLlmServer server;
        QVERIFY(server.listenTls());
        QVERIFY(server.isTls());
        QCOMPARE(server.url().toString(), u"https://127.0.0.1:%1"_s.arg(server.port()));
        QCOMPARE(server.testCertificate().subjectInfo(QSslCertificate::CommonName), QStringList{u"localhost"_s});

        std::unique_ptr<QNetworkReply> untrusted(m_nam->get(QNetworkRequest(endpoint(server, u"/models"))));
        QVERIFY(waitFinished(untrusted.get()));
        QCOMPARE(untrusted->error(), QNetworkReply::SslHandshakeFailedError);
        QCOMPARE(server.requestCount(), 0);

        // QNAM would otherwise reuse the first connection, which keeps the configuration it began with.
        m_nam->clearConnectionCache();
        QNetworkRequest request(endpoint(server, u"/models"));
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificate(FakeLlmServer::testCertificate());
        request.setSslConfiguration(ssl);
        std::unique_ptr<QNetworkReply> trusted(m_nam->get(request));
        QVERIFY(waitFinished(trusted.get()));
        QCOMPARE(trusted->error(), QNetworkReply::NoError);
        QCOMPARE(QJsonDocument::fromJson(trusted->readAll())[u"object"_s].toString(), u"list"_s);
        QCOMPARE(server.requestCount(), 1);
    }

    void redirectAndRecordedHeaders()
    {
        FakeLlmServer target;
        FakeLlmServer::Options options;
        options.redirectTo = target.url();
        FakeLlmServer redirecting(options);

        QNetworkRequest manual = familyRequest(redirecting, u"openai"_s, u"/v1/models"_s);
        manual.setUrl(QUrl(rootEndpoint(redirecting, u"/v1/models"_s).toString() + u"?limit=5"_s));
        manual.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        std::unique_ptr<QNetworkReply> reply(m_nam->get(manual));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(statusOf(reply.get()), 307);
        QCOMPARE(reply->rawHeader("Location"), target.url().toEncoded() + "/v1/models?limit=5");
        QCOMPARE(target.requestCount(), 0);

        // Followed, the chat reaches the target; each server keeps the headers it saw.
        std::unique_ptr<QNetworkReply> chat(m_nam->post(familyRequest(redirecting, u"anthropic"_s), chatBody(false)));
        QVERIFY(waitFinished(chat.get()));
        QVERIFY2(chat->error() == QNetworkReply::NoError,
                 qPrintable(chat->errorString() + u", HTTP "_s + QString::number(statusOf(chat.get()))));
        QCOMPARE(chat->url().port(), target.port());
        QCOMPARE(redirecting.requests().size(), 2);
        QCOMPARE(redirecting.requests().back().header("X-Api-Key"), "sk-test"_ba);
        QCOMPARE(redirecting.requests().front().header("authorization"), "Bearer sk-test"_ba);
        QCOMPARE(target.requests().size(), 1);
        QCOMPARE(target.requests().front().path(), "/v1/messages"_ba);
        QCOMPARE(target.requests().front().header("anthropic-version"), "2023-06-01"_ba);
    }

    void hundredsOfRawConnections()
    {
        FakeLlmServer::Options options;
        options.ttft = 200ms; // every client is connected well before the first one finishes
        options.tokens = 10;
        FakeLlmServer server(options);
        constexpr int kClients = 120;
        int closed = 0; // declared first: it must outlive the sockets whose lambdas count into it
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < kClients; ++i) {
            auto &socket = sockets.emplace_back(std::make_unique<QTcpSocket>());
            connect(socket.get(), &QTcpSocket::disconnected, this, [&closed] { ++closed; });
            socket->connectToHost(QHostAddress::LocalHost, server.port());
            socket->write(rawChatRequest("close"));
        }
        QTRY_COMPARE_WITH_TIMEOUT(closed, kClients, 20000);
        for (const auto &socket : sockets)
            QVERIFY(socket->readAll().contains("data: [DONE]"));
        QCOMPARE(server.finishedStreams(), kClients);
        QCOMPARE_GE(server.peakActiveStreams(), 100);
    }
};

QTEST_GUILESS_MAIN(TestFakeLlmServer)
#include "tst_fakellmserver.moc"
