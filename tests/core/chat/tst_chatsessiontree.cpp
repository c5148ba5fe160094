// ChatSession on the message tree: versions made by regenerate and edit, switching between
// them, deleting, and the title asked after the first exchange. Real profile database, real
// provider, fake server on loopback.

#include "tests/core/chat/ChatSessionFixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <functional>
#include <iterator>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;

namespace {

QStringList contentsOf(const QList<MessageRecord> &messages)
{
    QStringList contents;
    std::ranges::transform(messages, std::back_inserter(contents), &MessageRecord::content);
    return contents;
}

/// The "content" of each message of a recorded request body.
QStringList sentContents(const QJsonObject &body)
{
    QStringList contents;
    std::ranges::transform(body.value(u"messages"_s).toArray(), std::back_inserter(contents),
                           [](const QJsonValue &message) { return message.toObject().value(u"content"_s).toString(); });
    return contents;
}

} // namespace

class TestChatSessionTree : public QObject, private ragdesk::testing::ChatSessionFixture
{
    Q_OBJECT

private:
    void setReply(const QString &reply)
    {
        auto options = m_server->options();
        options.reply = reply;
        m_server->setOptions(options);
    }

    /// The next answers take five seconds to stream, so a test can act while one streams.
    void streamSlowly()
    {
        auto options = m_server->options();
        options.reply.clear();
        options.tokens = 200;
        options.tokensPerSecond = 40;
        m_server->setOptions(options);
    }

    /// Runs a turn answered with @p reply.
    bool turn(ChatSession &session, const QString &question, const QString &reply)
    {
        setReply(reply);
        const auto result = QCoro::waitFor(session.runTurn(question));
        if (!result)
            qWarning() << result.error().message;
        return bool(result);
    }

    /// Runs @p action, which starts a turn answered with @p reply, and waits for its answer.
    bool answeredAfter(ChatSession &session, const QString &reply, const std::function<void()> &action)
    {
        setReply(reply);
        QSignalSpy finished(&session, &ChatSession::messageFinished);
        action();
        return finished.wait(5000) && !session.isStreaming();
    }

    bool regenerated(ChatSession &session, int index, const QString &reply)
    {
        return answeredAfter(session, reply, [&] { session.regenerate(index); });
    }

    bool edited(ChatSession &session, int index, const QString &text, const QString &reply)
    {
        return answeredAfter(session, reply, [&] { session.editAndResend(index, text); });
    }

    static bool versionIs(const ChatSession &session, int index, int current, int count)
    {
        const MessageVersions versions = session.versionsOf(index);
        if (versions.current == current && versions.count == count)
            return true;
        qWarning() << "message" << index << "is version" << versions.current << "of" << versions.count;
        return false;
    }

private Q_SLOTS:
    void init() { QVERIFY(setUp()); }
    void cleanup() { tearDown(); }

    void regenerateKeepsTheOldVersion()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"Where does basalt form?"_s, u"At volcanoes."_s));
        QVERIFY(versionIs(*session, 1, 1, 1));

        QSignalSpy reset(session.get(), &ChatSession::messagesReset);
        QSignalSpy added(session.get(), &ChatSession::messageAdded);
        QVERIFY(regenerated(*session, 1, u"Where lava cools quickly."_s));
        QCOMPARE(reset.size(), 1); // the path was cut after the question
        QCOMPARE(added.size(), 1); // only the new answer
        QCOMPARE(contentsOf(session->messages()),
                 (QStringList{u"Where does basalt form?"_s, u"Where lava cools quickly."_s}));
        QVERIFY(versionIs(*session, 1, 2, 2));
        QVERIFY(versionIs(*session, 0, 1, 1));
        // The new answer replies to the question alone, not to the old answer.
        QCOMPARE(sentContents(m_server->lastRequestBody()), QStringList{u"Where does basalt form?"_s});

        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 3);
        QCOMPARE(stored.at(1).content, u"At volcanoes."_s);
        QCOMPARE(stored.at(1).parentId, stored.at(0).id);
        QCOMPARE(stored.at(2).parentId, stored.at(0).id);
        QCOMPARE(stored.at(2).status, MessageStatus::Done);
        QCOMPARE(storedActiveLeaf(session->conversationId()), stored.at(2).id);

        // A user message is no answer to regenerate.
        session->regenerate(0);
        QVERIFY(!session->isStreaming());
        QCOMPARE(storedMessages(session->conversationId()).size(), 3);
    }

    void showVersionSwitchesAndPersists()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"Name a rock"_s, u"Basalt."_s));
        QVERIFY(regenerated(*session, 1, u"Granite."_s));
        const qint64 conversation = session->conversationId();
        const qint64 basalt = storedMessages(conversation).at(1).id;

        QSignalSpy reset(session.get(), &ChatSession::messagesReset);
        session->showVersion(1, 1);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(session->messages().at(1).content, u"Basalt."_s);
        QCOMPARE(session->messages().at(1).id, basalt);
        QVERIFY(versionIs(*session, 1, 1, 2));
        QTRY_COMPARE(storedActiveLeaf(conversation), basalt);
        // The version shown, or one out of range, changes nothing.
        session->showVersion(1, 1);
        session->showVersion(1, 3);
        session->showVersion(1, 0);
        QCOMPARE(reset.size(), 1);

        // A follow-up continues the branch shown.
        QVERIFY(turn(*session, u"Is it volcanic?"_s, u"Yes."_s));
        QCOMPARE(sentContents(m_server->lastRequestBody()),
                 (QStringList{u"Name a rock"_s, u"Basalt."_s, u"Is it volcanic?"_s}));
        QCOMPARE(session->messages().at(2).parentId, basalt);

        // A fresh session on the same conversation shows the same branch.
        auto reopened = newSession();
        QSignalSpy reopenedReset(reopened.get(), &ChatSession::messagesReset);
        QVERIFY(QCoro::waitFor(reopened->open(conversation)));
        QCOMPARE(reopenedReset.size(), 1);
        QCOMPARE(contentsOf(reopened->messages()),
                 (QStringList{u"Name a rock"_s, u"Basalt."_s, u"Is it volcanic?"_s, u"Yes."_s}));
        QVERIFY(versionIs(*reopened, 1, 1, 2));
        QCOMPARE(reopened->title(), u"Name a rock"_s);

        // Version 2 has no follow-up: it is its own newest leaf.
        reopened->showVersion(1, 2);
        QCOMPARE(contentsOf(reopened->messages()), (QStringList{u"Name a rock"_s, u"Granite."_s}));
        QTRY_COMPARE(storedActiveLeaf(conversation), reopened->messages().at(1).id);
        // And back: version 1 shows the newest path below it again.
        reopened->showVersion(1, 1);
        QCOMPARE(reopened->messages().size(), 4);
        QCOMPARE(reopened->messages().at(3).content, u"Yes."_s);
    }

    void editAndResendBranches()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"Tell me about glaciers"_s, u"They are rivers of ice."_s));
        QVERIFY(turn(*session, u"How fast are they?"_s, u"Slow."_s));
        QVERIFY(edited(*session, 2, u"  How fast do they creep?  "_s, u"A few metres a day."_s));
        QCOMPARE(contentsOf(session->messages()),
                 (QStringList{u"Tell me about glaciers"_s, u"They are rivers of ice."_s, u"How fast do they creep?"_s,
                              u"A few metres a day."_s}));
        QVERIFY(versionIs(*session, 2, 2, 2));
        QVERIFY(versionIs(*session, 3, 1, 1));
        // The model saw the shared start and the edited question, never the old branch.
        QCOMPARE(sentContents(m_server->lastRequestBody()),
                 (QStringList{u"Tell me about glaciers"_s, u"They are rivers of ice."_s, u"How fast do they creep?"_s}));

        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 6);
        QCOMPARE(stored.at(4).parentId, stored.at(1).id); // a sibling of the old question
        QCOMPARE(stored.at(5).parentId, stored.at(4).id);

        // The old branch is still there, answer included.
        session->showVersion(2, 1);
        QCOMPARE(contentsOf(session->messages()).mid(2), (QStringList{u"How fast are they?"_s, u"Slow."_s}));
        QVERIFY(versionIs(*session, 2, 1, 2));

        // Editing the first question makes a second root.
        QVERIFY(edited(*session, 0, u"What is a glacier?"_s, u"Ice that flows."_s));
        QCOMPARE(contentsOf(session->messages()), (QStringList{u"What is a glacier?"_s, u"Ice that flows."_s}));
        QVERIFY(versionIs(*session, 0, 2, 2));
        QCOMPARE(sentContents(m_server->lastRequestBody()), QStringList{u"What is a glacier?"_s});
        QCOMPARE(session->messages().at(0).parentId, 0);

        // An empty edit is no question.
        const int requests = m_server->requestCount();
        session->editAndResend(0, u"   "_s);
        QVERIFY(!session->isStreaming());
        QCOMPARE(m_server->requestCount(), requests);
    }

    void deleteRemovesTheSubtreeAndPersists()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"First"_s, u"One."_s));
        QVERIFY(turn(*session, u"Second"_s, u"Two."_s));
        QVERIFY(regenerated(*session, 3, u"Two again."_s));
        const qint64 conversation = session->conversationId();
        const auto before = storedMessages(conversation);
        QCOMPARE(before.size(), 5);

        // Deleting the shown version shows the remaining sibling.
        // A delete may end before deleteMessage() returns, so the spy counts instead of waiting.
        QSignalSpy reset(session.get(), &ChatSession::messagesReset);
        session->deleteMessage(3);
        QTRY_COMPARE(reset.size(), 1);
        QCOMPARE(contentsOf(session->messages()), (QStringList{u"First"_s, u"One."_s, u"Second"_s, u"Two."_s}));
        QVERIFY(versionIs(*session, 3, 1, 1));
        QCOMPARE(storedMessages(conversation).size(), 4);
        QTRY_COMPARE(storedActiveLeaf(conversation), before.at(3).id);

        // Deleting a question takes its answers along and shows the parent.
        session->deleteMessage(2);
        QTRY_COMPARE(reset.size(), 2);
        QCOMPARE(contentsOf(session->messages()), (QStringList{u"First"_s, u"One."_s}));
        QCOMPARE(contentsOf(storedMessages(conversation)), (QStringList{u"First"_s, u"One."_s}));
        QTRY_COMPARE(storedActiveLeaf(conversation), before.at(1).id);

        auto reopened = newSession();
        QVERIFY(QCoro::waitFor(reopened->open(conversation)));
        QCOMPARE(contentsOf(reopened->messages()), (QStringList{u"First"_s, u"One."_s}));

        // The next turn continues from what is left.
        QVERIFY(turn(*session, u"Third"_s, u"Three."_s));
        QCOMPARE(sentContents(m_server->lastRequestBody()), (QStringList{u"First"_s, u"One."_s, u"Third"_s}));

        // Deleting the root empties the conversation.
        session->deleteMessage(0);
        QTRY_COMPARE(reset.size(), 3);
        QVERIFY(session->messages().isEmpty());
        QVERIFY(storedMessages(conversation).isEmpty());
        QCOMPARE(storedActiveLeaf(conversation), 0);
    }

    void retryAnswersAnUnansweredQuestion()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"Is the sky blue?"_s, u"Yes."_s));
        // A delete may end before deleteMessage() returns, so the spy counts instead of waiting.
        QSignalSpy reset(session.get(), &ChatSession::messagesReset);
        session->deleteMessage(1);
        QTRY_COMPARE(reset.size(), 1);
        QCOMPARE(session->messages().size(), 1);

        QVERIFY(answeredAfter(*session, u"Mostly."_s, [&] { session->retry(); }));
        QCOMPARE(contentsOf(session->messages()), (QStringList{u"Is the sky blue?"_s, u"Mostly."_s}));
        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.at(1).parentId, stored.at(0).id);
    }

    void actionsAreIgnoredWhileStreaming()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"Warm up"_s, u"Ready."_s));
        streamSlowly();
        session->send(u"A long answer"_s);
        QTRY_VERIFY(session->messages().size() == 4 && session->messages().at(3).id != 0);
        QVERIFY(session->isStreaming());
        const int requests = m_server->requestCount();

        QSignalSpy reset(session.get(), &ChatSession::messagesReset);
        session->regenerate(1);
        session->editAndResend(0, u"Something else"_s);
        session->showVersion(1, 1);
        session->deleteMessage(0);
        session->retry();
        session->send(u"Another question"_s);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(session->messages().size(), 4);
        QCOMPARE(session->messages().at(0).content, u"Warm up"_s);

        session->stop();
        QTRY_VERIFY(!session->isStreaming());
        QCOMPARE(m_server->requestCount(), requests);
        const auto stored = storedMessages(session->conversationId());
        QCOMPARE(stored.size(), 4); // nothing deleted, nothing added
        QCOMPARE(stored.at(3).status, MessageStatus::Stopped);
    }

    void aNewBranchIsActiveFromItsStart()
    {
        auto session = newSession();
        QVERIFY(turn(*session, u"Name a rock"_s, u"Basalt."_s));
        streamSlowly();
        session->regenerate(1);
        QVERIFY(session->isStreaming());
        QCOMPARE(session->messages().size(), 2);
        QVERIFY(versionIs(*session, 1, 2, 2)); // counted as the newest version before it is saved
        QTRY_VERIFY(session->messages().at(1).id != 0);
        const qint64 streamingAnswer = session->messages().at(1).id;

        // Were the app to die now, the conversation would reopen on the new branch.
        QCOMPARE(storedActiveLeaf(session->conversationId()), streamingAnswer);
        auto reopened = newSession();
        QVERIFY(QCoro::waitFor(reopened->open(session->conversationId())));
        QCOMPARE(reopened->messages().at(1).id, streamingAnswer);
        QVERIFY(versionIs(*reopened, 1, 2, 2));
        session->stop();
        QTRY_VERIFY(!session->isStreaming());
    }

    void theFirstExchangeNamesTheConversation()
    {
        auto options = m_server->options();
        options.titleReply = u"Title: \"Basalt formation.\""_s;
        m_server->setOptions(options);
        auto session = newSession({}, true);
        QSignalSpy titles(session.get(), &ChatSession::titleChanged);
        QVERIFY(turn(*session, u"Where does basalt form, and why does it cool so fast?"_s, u"At volcanoes."_s));
        QCOMPARE(m_server->requestCount(), 2); // the answer, then the title
        const QJsonObject asked = m_server->lastRequestBody();
        QCOMPARE(asked.value(u"max_tokens"_s).toInt(), ConversationTitle::kMaxTokens);
        QVERIFY(sentContents(asked).last().contains(u"At volcanoes."_s));
        QCOMPARE(session->title(), u"Basalt formation"_s);
        QCOMPARE(titles.size(), 2); // the question's title at once, then the model's
        QCOMPARE(titles.last().at(0).toString(), u"Basalt formation"_s);
        QCOMPARE(QCoro::waitFor(m_store->conversation(session->conversationId()))->title, u"Basalt formation"_s);

        // Later turns keep the title.
        QVERIFY(turn(*session, u"And granite?"_s, u"Deep underground."_s));
        QCOMPARE(m_server->requestCount(), 3);
        QCOMPARE(titles.size(), 2);
    }

    void aFailedTitleCallKeepsTheQuestionsTitle()
    {
        auto session = newSession({}, true);
        // The second request of the turn is the title call: it alone fails.
        connect(m_server.get(), &FakeLlmServer::requestReceived, this, [this] {
            if (m_server->requestCount() != 2)
                return;
            auto options = m_server->options();
            options.failure = FakeLlmServer::Failure::Http500;
            m_server->setOptions(options);
        });
        QSignalSpy titles(session.get(), &ChatSession::titleChanged);
        QVERIFY(turn(*session, u"What is obsidian?"_s, u"Volcanic glass."_s));
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(session->messages().at(1).status, MessageStatus::Done);
        QCOMPARE(session->title(), u"What is obsidian?"_s);
        QCOMPARE(titles.size(), 1);
        QCOMPARE(QCoro::waitFor(m_store->conversation(session->conversationId()))->title, u"What is obsidian?"_s);
    }

    void aFailedAnswerAsksForNoTitle()
    {
        auto options = m_server->options();
        options.failure = FakeLlmServer::Failure::Http500;
        m_server->setOptions(options);
        auto session = newSession({}, true);
        QVERIFY(!QCoro::waitFor(session->runTurn(u"Will this fail?"_s)));
        QCOMPARE(session->messages().at(1).status, MessageStatus::Error);
        QVERIFY(!m_server->lastRequestBody().contains(u"max_tokens"_s)); // the answer's request, no title call
        QCOMPARE(session->title(), u"Will this fail?"_s);
    }
};

QTEST_GUILESS_MAIN(TestChatSessionTree)
#include "tst_chatsessiontree.moc"
