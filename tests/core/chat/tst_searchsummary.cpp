// SearchSummary against the in-process fake server: streaming, citations pointing at the right
// chunk, only the top N passages in the prompt, cancellation, and the errors a user reads.

#include "core/chat/SearchSummary.h"
#include "core/chat/ChatSession.h"
#include "core/llm/OpenAiChatProvider.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/FakeLlmServer.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using QuoteSources = ragdesk::testing::FakeLlmOptions::QuoteSources;

namespace {

RetrievalHit hit(qint64 chunkId, const QString &text)
{
    RetrievalHit h;
    h.chunkId = chunkId;
    h.documentId = 100 + chunkId;
    h.documentTitle = u"Field notes %1"_s.arg(chunkId);
    h.documentPath = u"/docs/notes-%1.md"_s.arg(chunkId);
    h.page = int(chunkId);
    h.text = text;
    return h;
}

/// Three ranked hits; the second is the one about glaciers.
RetrievalResult threeHits()
{
    RetrievalResult result;
    result.query = u"glaciers"_s;
    result.hits = {
        hit(11, u"Basalt forms when lava cools quickly at the surface of a volcano."_s),
        hit(22, u"Glaciers creep downhill a few metres each day, sliding on meltwater under the ice."_s),
        hit(33, u"Sandstone keeps the ripples of ancient beaches and riverbeds."_s),
    };
    return result;
}

Assistant assistantWithTop(int topN)
{
    Assistant assistant = Assistant::makeDefault();
    assistant.topN = topN;
    return assistant;
}

/// No retries: a failure reaches the test at once instead of after a backoff countdown.
RetryPolicy noRetries()
{
    RetryPolicy::Settings settings;
    settings.maxAttempts = 1;
    return RetryPolicy(settings);
}

} // namespace

class TestSearchSummary : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    QNetworkAccessManager m_network;
    std::shared_ptr<ChatProvider> m_provider;

    std::shared_ptr<ChatProvider> providerAt(const QUrl &baseUrl)
    {
        ProviderSettings settings;
        settings.baseUrl = baseUrl;
        settings.model = u"fake-model"_s;
        settings.idleTimeout = 2s;
        return std::make_shared<OpenAiChatProvider>(&m_network, settings);
    }

    std::unique_ptr<SearchSummary> newSummary(std::shared_ptr<ChatProvider> provider = {})
    {
        return std::make_unique<SearchSummary>(ChatServices::fixed({ provider ? provider : m_provider, {} }), noRetries());
    }

    void setOptions(const std::function<void(FakeLlmServer::Options &)> &change)
    {
        auto options = m_server->options();
        change(options);
        m_server->setOptions(options);
    }

    /// A summary of @p query, slow enough to be caught mid-stream, with some text already in;
    /// null if no text came.
    std::unique_ptr<SearchSummary> summaryMidStream(const QString &query)
    {
        setOptions([](auto &options) {
            options.tokens = 400;
            options.tokensPerSecond = 40;
        });
        auto summary = newSummary();
        summary->start(query, threeHits(), assistantWithTop(6));
        if (!QTest::qWaitFor([&] { return !summary->message().content.isEmpty(); }))
            return nullptr;
        return summary;
    }

    /// The text of every message the server last received, joined.
    QString sentPrompt() const
    {
        QString text;
        for (const auto &message : m_server->lastRequestBody().value(u"messages"_s).toArray())
            text += message.toObject().value(u"content"_s).toString() + u'\n';
        return text;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        m_provider = providerAt(m_server->baseUrl());
    }

    void cleanup()
    {
        m_provider.reset();
        m_server.reset();
    }

    void streamsAndCitesTheRightChunk()
    {
        setOptions([](auto &options) {
            options.quoteSources = QuoteSources::WithMarker;
            options.tokensPerSecond = 100;
        });
        auto summary = newSummary();
        QSignalSpy appended(summary.get(), &SearchSummary::textAppended);
        QSignalSpy finished(summary.get(), &SearchSummary::finished);
        QSignalSpy failed(summary.get(), &SearchSummary::failed);
        bool sourcesBeforeText = false;
        connect(summary.get(), &SearchSummary::sourcesReady, this,
            [&] { sourcesBeforeText = summary->passageCount() == 3 && summary->message().content.isEmpty(); });
        ragdesk::testing::EventLoopChecker loop;

        summary->start(u"How fast do glaciers creep downhill?"_s, threeHits(), assistantWithTop(6));
        QVERIFY(summary->isRunning());
        QCOMPARE(summary->message().status, MessageStatus::Streaming);
        QVERIFY(finished.wait(5000));
        QVERIFY(loop);
        QVERIFY(!summary->isRunning());
        QCOMPARE(failed.size(), 0);
        QVERIFY(sourcesBeforeText);
        QVERIFY2(appended.size() > 1, "the summary streams in several pieces");

        const MessageRecord &message = summary->message();
        QCOMPARE(message.status, MessageStatus::Done);
        QVERIFY2(message.content.contains(u"[2]"_s), qPrintable(message.content));
        QCOMPARE(message.citations.size(), 1);
        QCOMPARE(message.citations.at(0).sources, QList<int> { 2 });
        QVERIFY(!message.citations.at(0).inferred);
        QCOMPARE(message.sources.at(1).chunkId, 22);
        QCOMPARE(summary->model(), u"fake-model"_s);
        QCOMPARE(summary->transcript().size(), 1);
    }

    void promptHoldsOnlyTheTopPassagesFencedAndNumbered()
    {
        auto summary = newSummary();
        QSignalSpy finished(summary.get(), &SearchSummary::finished);
        summary->start(u"rocks"_s, threeHits(), assistantWithTop(2));
        QVERIFY(finished.wait(5000));
        QCOMPARE(summary->passageCount(), 2);

        const QString prompt = sentPrompt();
        QVERIFY2(prompt.contains(u"[1] title: Field notes 11"_s), qPrintable(prompt));
        QVERIFY(prompt.contains(u"[2] title: Field notes 22"_s));
        QVERIFY(prompt.contains(u"Basalt forms"_s));
        QVERIFY(prompt.contains(u"Glaciers creep"_s));
        QVERIFY2(!prompt.contains(u"Sandstone"_s), "the third hit is below the assistant's top N");
        QVERIFY(!prompt.contains(u"[3] title:"_s));
        // Each passage sits inside a fence, opened before and closed after its text.
        const qsizetype text = prompt.indexOf(u"Basalt forms"_s);
        const qsizetype open = prompt.lastIndexOf(u"```"_s, text);
        QVERIFY(open >= 0);
        QVERIFY(prompt.indexOf(u"```"_s, text) > text);
        QVERIFY(prompt.contains(u"rocks"_s));
    }

    void stopKeepsThePartialText()
    {
        auto summary = summaryMidStream(u"glaciers"_s);
        QVERIFY(summary);
        QSignalSpy finished(summary.get(), &SearchSummary::finished);
        summary->stop();
        QVERIFY(finished.wait(5000));
        QCOMPARE(summary->message().status, MessageStatus::Stopped);
        QVERIFY(!summary->message().content.isEmpty());
        QTRY_COMPARE(m_server->abortedStreams(), 1);
    }

    void aNewStartCancelsTheRunningOne()
    {
        auto summary = summaryMidStream(u"first"_s);
        QVERIFY(summary);
        setOptions([](auto &options) { options.reply = u"Second summary."_s; });
        QSignalSpy finished(summary.get(), &SearchSummary::finished);
        summary->start(u"second"_s, threeHits(), assistantWithTop(6));
        QCOMPARE(summary->message().content, QString());
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.size(), 1); // the replaced run says nothing
        QCOMPARE(summary->query(), u"second"_s);
        QCOMPARE(summary->message().content, u"Second summary."_s);
        QTRY_COMPARE(m_server->abortedStreams(), 1);
    }

    void destroyingMidStreamAbortsTheRequest()
    {
        auto summary = summaryMidStream(u"glaciers"_s);
        QVERIFY(summary);
        summary.reset();
        QTRY_COMPARE(m_server->abortedStreams(), 1);
    }

    void serverErrorIsShownInItsOwnWords()
    {
        setOptions([](auto &options) { options.failure = FakeLlmServer::Failure::Http500; });
        auto summary = newSummary();
        QSignalSpy failed(summary.get(), &SearchSummary::failed);
        QSignalSpy finished(summary.get(), &SearchSummary::finished);
        summary->start(u"glaciers"_s, threeHits(), assistantWithTop(6));
        QVERIFY(finished.wait(5000));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(u"model crashed"_s), qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(summary->message().status, MessageStatus::Error);
        QCOMPARE(summary->message().errorText, failed.at(0).at(0).toString());
    }

    void deadServerSaysSo()
    {
        // A port that was just free: nothing listens there.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        auto summary = newSummary(providerAt(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port))));
        QSignalSpy failed(summary.get(), &SearchSummary::failed);
        summary->start(u"glaciers"_s, threeHits(), assistantWithTop(6));
        QVERIFY(failed.wait(10000));
        const QString error = failed.at(0).at(0).toString();
        QVERIFY2(error.contains(u"refused"_s, Qt::CaseInsensitive) || error.contains(u"reach"_s, Qt::CaseInsensitive)
                || error.contains(u"connect"_s, Qt::CaseInsensitive),
            qPrintable(error));
    }

    void nothingToSummariseFailsAtOnce()
    {
        auto summary = newSummary();
        QSignalSpy failed(summary.get(), &SearchSummary::failed);
        summary->start(u"glaciers"_s, RetrievalResult {}, assistantWithTop(6));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(u"no passages"_s));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void providerThatCannotOpenIsReported()
    {
        SearchSummary summary([](QString, QString) -> QCoro::Task<Result<ProviderHandle>> {
            co_return fail(Error::Kind::Configuration, u"No API key for “Work”. Add it in Settings."_s);
        });
        QSignalSpy failed(&summary, &SearchSummary::failed);
        summary.start(u"glaciers"_s, threeHits(), assistantWithTop(6));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), u"No API key for “Work”. Add it in Settings."_s);
    }
};

QTEST_GUILESS_MAIN(TestSearchSummary)
#include "tst_searchsummary.moc"
