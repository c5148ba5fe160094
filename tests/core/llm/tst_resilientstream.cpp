// ResilientStream: the provider's RequestLimiter under twenty tabs (never more in flight than
// the cap, queue positions in arrival order, a cancelled waiter leaves the queue), and the
// retry countdown that Retry now cuts short and Stop ends.

#include "core/llm/OpenAiChatProvider.h"
#include "core/llm/RequestLimiter.h"
#include "core/llm/ResilientStream.h"
#include "tests/support/FakeLlmServer.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;

namespace {

struct Outcome {
    QString content;
    std::optional<Error> error;
    bool done = false;
};

QCoro::Task<> drain(ResilientStream *request, QString question, CancelToken cancel, Outcome *outcome)
{
    ChatRequest chat;
    chat.messages = {{u"user"_s, question}};
    auto stream = request->run(std::move(chat), std::move(cancel));
    auto it = co_await stream.begin();
    while (it != stream.end()) {
        if ((*it).error)
            outcome->error = (*it).error;
        outcome->content += (*it).content;
        co_await ++it;
    }
    outcome->done = true;
}

/// A port nobody listens on: connecting is refused at once, a retryable failure.
quint16 deadPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    return probe.serverPort();
}

} // namespace

class TestResilientStream : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    std::shared_ptr<ChatProvider> providerAt(const QUrl &baseUrl)
    {
        ProviderSettings settings;
        settings.baseUrl = baseUrl;
        settings.model = u"fake-model"_s;
        return std::make_shared<OpenAiChatProvider>(&m_network, settings);
    }

private Q_SLOTS:
    void twentyTabsShareTwoSlotsFairly()
    {
        FakeLlmServer::Options options;
        options.ttft = 40ms;
        options.tokens = 6;
        options.tokensPerSecond = 300;
        FakeLlmServer server(options);
        RequestLimiter limiter(2);
        constexpr int kTabs = 20;
        constexpr int kCancelled = 11;

        std::vector<std::unique_ptr<ResilientStream>> requests;
        std::vector<Outcome> outcomes(kTabs);
        std::vector<CancelToken> cancels(kTabs);
        QList<int> firstAhead(kTabs, -1);
        int peakInFlight = 0;
        connect(&limiter, &RequestLimiter::queueChanged, this,
                [&] { peakInFlight = std::max(peakInFlight, limiter.inFlight()); });
        for (int i = 0; i < kTabs; ++i) {
            requests.push_back(std::make_unique<ResilientStream>(ProviderHandle{providerAt(server.baseUrl()), &limiter},
                                                                 RetryPolicy()));
            connect(requests.back().get(), &ResilientStream::waiting, this, [&, i](const StreamWait &wait) {
                if (wait.reason == StreamWait::Reason::QueuedForSlot && firstAhead[i] < 0)
                    firstAhead[i] = wait.ahead;
            });
            drain(requests.back().get(), u"tab %1"_s.arg(i), cancels[i], &outcomes[i]);
        }
        // First come, first served: the 3rd tab is first in line, the 20th has 17 ahead of it.
        QCOMPARE(firstAhead.mid(0, 2), QList<int>({-1, -1}));
        for (int i = 2; i < kTabs; ++i)
            QCOMPARE(firstAhead[i], i - 2);
        QCOMPARE(limiter.queueLength(), kTabs - 2);

        cancels[kCancelled].cancel();
        QCOMPARE(limiter.queueLength(), kTabs - 3);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(outcomes.cbegin(), outcomes.cend(), [](const Outcome &o) { return o.done; }),
                                 20000);
        for (int i = 0; i < kTabs; ++i) {
            if (i == kCancelled) {
                QVERIFY(outcomes[i].error && outcomes[i].error->isCancelled());
                QVERIFY(outcomes[i].content.isEmpty());
            } else {
                QVERIFY2(!outcomes[i].error, qPrintable(outcomes[i].error ? outcomes[i].error->message : QString()));
                QCOMPARE(outcomes[i].content, options.replyText());
            }
        }
        QCOMPARE(server.peakActiveStreams(), 2);
        QCOMPARE(peakInFlight, 2);
        QCOMPARE(server.finishedStreams(), kTabs - 1); // the cancelled tab never reached the server
        QCOMPARE(limiter.inFlight(), 0);
    }

    void retryNowCutsTheCountdownShort()
    {
        RetryPolicy::Settings slow;
        slow.initialDelay = 30s;
        slow.maxDelay = 30s;
        slow.maxAttempts = 2;
        ResilientStream request({providerAt(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(deadPort()))), {}},
                                RetryPolicy(slow));
        QList<StreamWait> waits;
        connect(&request, &ResilientStream::waiting, this, [&](const StreamWait &wait) {
            waits.append(wait);
            if (wait.reason == StreamWait::Reason::RetryBackoff)
                request.retryNow();
        });
        Outcome outcome;
        QElapsedTimer clock;
        clock.start();
        drain(&request, u"hi"_s, CancelToken(), &outcome);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done, 10000);
        QVERIFY(clock.elapsed() < 10000); // not the 30 s backoff
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, Error::Kind::Network);
        QCOMPARE(waits.size(), 2); // one countdown (2 attempts in all), then "wait over"
        QCOMPARE(waits[0].reason, StreamWait::Reason::RetryBackoff);
        QCOMPARE(waits[0].nextAttempt, 2);
        QVERIFY(waits[0].until > QDateTime::currentDateTimeUtc().addSecs(5));
        QVERIFY2(waits[0].why.contains(u"connection failed"_s), qPrintable(waits[0].why));
        QCOMPARE(waits[1].reason, StreamWait::Reason::None);
    }

    void stopDuringTheCountdownEndsAtOnce()
    {
        RetryPolicy::Settings slow;
        slow.initialDelay = 30s;
        slow.maxDelay = 30s;
        ResilientStream request({providerAt(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(deadPort()))), {}},
                                RetryPolicy(slow));
        CancelToken cancel;
        connect(&request, &ResilientStream::waiting, this, [&](const StreamWait &wait) {
            if (wait.reason == StreamWait::Reason::RetryBackoff)
                QTimer::singleShot(50ms, this, [&] { cancel.cancel(); });
        });
        Outcome outcome;
        drain(&request, u"hi"_s, cancel, &outcome);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done, 5000);
        QVERIFY(outcome.error);
        QVERIFY(outcome.error->isCancelled());
    }
};

QTEST_GUILESS_MAIN(TestResilientStream)
#include "tst_resilientstream.moc"
