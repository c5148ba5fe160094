// The socket-free pieces of the test fixtures: HTTP request parsing, what the fake server scripts
// before sending, the event-loop checker and the temporary profile. tst_fakellmserver covers the
// server on the wire.

#include "tests/support/EventLoopChecker.h"
#include "tests/support/FakeCompletionScript.h"
#include "tests/support/FakeLlmOptions.h"
#include "tests/support/HttpRequestParser.h"
#include "tests/support/TempProfile.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ragdesk::testing;

class TestTestSupport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parserTakesBytesOneAtATime()
    {
        const QByteArray wire = "\r\nPOST /a?q=1 HTTP/1.1\r\nX-Key: one\r\nx-key: two\r\nContent-Length: 4\r\n\r\nbody"
                                "GET /b HTTP/1.0\nConnection: keep-alive\n\n"_ba;
        HttpRequestParser parser;
        QList<HttpRequest> requests;
        for (char byte : wire) {
            parser.feed(QByteArrayView(&byte, 1));
            while (std::optional<HttpRequest> request = parser.takeRequest())
                requests.append(*request);
        }
        QVERIFY(!parser.hasError());
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].path(), "/a"_ba);
        QCOMPARE(requests[0].header("X-KEY"), "one, two"_ba);
        QCOMPARE(requests[0].body, "body"_ba);
        QVERIFY(requests[0].keepAlive());
        QCOMPARE(requests[1].method, "GET"_ba);
        QVERIFY(requests[1].keepAlive());
    }

    void parserRejectsWhatItCannotFrame_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("chunked body") << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
        QTest::newRow("bad length") << "POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n"_ba;
        QTest::newRow("bad request line") << "hello\r\n\r\n"_ba;
        QTest::newRow("folded header") << "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"_ba;
    }

    void parserRejectsWhatItCannotFrame()
    {
        QFETCH(QByteArray, wire);
        HttpRequestParser parser;
        parser.feed(wire);
        QVERIFY(!parser.takeRequest());
        QVERIFY(parser.hasError());
    }

    void parserAsksForContinueOnce()
    {
        HttpRequestParser parser;
        parser.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        QVERIFY(!parser.takeRequest());
        QVERIFY(parser.awaitsContinue());
        parser.markContinueSent();
        QVERIFY(!parser.awaitsContinue());
        parser.feed("ok");
        QCOMPARE(parser.takeRequest()->body, "ok"_ba);
        QVERIFY(!parser.awaitsContinue());
    }

    void replyTokensKeepTheTextExact()
    {
        FakeLlmOptions options;
        options.reply = u"  Hello,  wörld\n日本 "_s;
        const QStringList tokens = options.tokenTexts();
        QCOMPARE(tokens, (QStringList{u"  Hello,  "_s, u"wörld\n"_s, u"日本 "_s}));
        QCOMPARE(options.replyText(), options.reply);

        options.reply.clear();
        options.tokens = 12;
        QCOMPARE(options.tokenTexts().size(), 12);
        QVERIFY(options.replyText().endsWith(u'.'));
    }

    void failureNamesMatchTheProgramFlags()
    {
        QCOMPARE(FakeLlmOptions::failureFromName(u"stream-error"), FakeLlmOptions::Failure::ErrorInStream);
        QCOMPARE(FakeLlmOptions::failureFromName(u"cut"), FakeLlmOptions::Failure::CutMidStream);
        QVERIFY(!FakeLlmOptions::failureFromName(u"sometimes"));
    }

    void scriptFailsAfterHalfTheContent_data()
    {
        QTest::addColumn<bool>("glued");
        QTest::addColumn<bool>("reasoning");
        QTest::addColumn<qsizetype>("steps");
        QTest::addColumn<qsizetype>("failureStep");
        QTest::newRow("plain") << false << false << qsizetype(10) << qsizetype(5);
        QTest::newRow("glued") << true << false << qsizetype(5) << qsizetype(3);
        QTest::newRow("reasoning") << false << true << qsizetype(16) << qsizetype(11);
    }

    void scriptFailsAfterHalfTheContent()
    {
        QFETCH(bool, glued);
        QFETCH(bool, reasoning);
        QFETCH(qsizetype, steps);
        QFETCH(qsizetype, failureStep);
        FakeLlmOptions options;
        options.tokens = 10;
        options.gluedFrames = glued;
        options.reasoning = reasoning;
        const FakeCompletionScript script(options, u"m"_s, "chatcmpl-1"_ba, 3);
        QCOMPARE(script.steps().size(), steps);
        QCOMPARE(script.failureStep(), failureStep);
        QVERIFY(script.steps().front().contains("\"role\":\"assistant\""));
        QVERIFY(script.steps().back().contains("\"finish_reason\":\"stop\""));
        QVERIFY(script.tail().endsWith("data: [DONE]\n\n"));
    }

    void splitForWritesKeepsEveryByte()
    {
        const QByteArray text = u"data: 日本 café 😀\r\n\r\n"_s.toUtf8();
        const QList<QByteArray> pieces = FakeCompletionScript::splitForWrites(text);
        QCOMPARE(pieces.join(), text);
        QCOMPARE_GT(pieces.size(), 6);
        QVERIFY(std::all_of(pieces.cbegin(), pieces.cend(), [](const QByteArray &p) { return p.size() <= 8; }));
        QVERIFY(std::any_of(pieces.cbegin(), pieces.cend(), [](const QByteArray &p) { return p.endsWith('\r'); }));
    }

    void eventLoopCheckerSeesTurnsAndBlocks()
    {
        EventLoopChecker checker;
        QTimer later;
        later.setSingleShot(true);
        QSignalSpy fired(&later, &QTimer::timeout);
        later.start(100);
        QVERIFY(fired.wait(5000)); // the loop runs freely while we wait
        QVERIFY(checker);
        QCOMPARE_LT(checker.maxGapMs(), 90);

        // Deliberately block the loop: the checker must notice.
        QElapsedTimer busy;
        busy.start();
        while (busy.elapsed() < 120) {
        }
        QCOMPARE_GE(checker.maxGapMs(), 120);
        checker.stop();
        const int ticks = checker.ticks();
        QVERIFY(!QSignalSpy(&later, &QTimer::timeout).wait(30));
        QCOMPARE(checker.ticks(), ticks); // stopped means stopped
    }

    void tempProfileIsIsolatedAndRemoved()
    {
        QString path;
        {
            TempProfile profile;
            QVERIFY(profile.isValid());
            path = profile.path();
            QVERIFY(QFileInfo(path).isDir());
            QVERIFY(QStandardPaths::isTestModeEnabled());
            QCOMPARE(profile.filePath(u"db.sqlite"_s), path + u"/db.sqlite"_s);
        }
        QVERIFY(!QFileInfo::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestTestSupport)
#include "tst_testsupport.moc"
