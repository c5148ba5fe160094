// The fake LLM server is what every network test leans on, so it is held to what it promises:
// routes, pacing, each failure mode, each wire quirk, keep-alive, concurrency and abort counting.

#include "tests/support/FakeLlmServer.h"

#include <QElapsedTimer>
#include <QHttp1Configuration>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

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
