#include "core/storage/ConversationStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/TempProfile.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
std::shared_ptr<ProfileDatabase> openProfile(const QString &dir)
{
    auto opened = QCoro::waitFor(ProfileDatabase::open(dir));
    if (!opened) {
        qWarning() << opened.error().message << opened.error().detail;
        return nullptr;
    }
    return *opened;
}

/// Unwraps a store result, failing the test with the store's own message on error.
template<typename T>
bool ok(const Result<T> &result)
{
    if (!result)
        qWarning().noquote() << result.error().message << "|" << result.error().detail;
    return result.has_value();
}

MessageRecord message(qint64 conversationId, const QString &role, const QString &content,
                      MessageStatus status = MessageStatus::Done)
{
    MessageRecord record;
    record.conversationId = conversationId;
    record.role = role;
    record.content = content;
    record.status = status;
    return record;
}
} // namespace

class TestConversationStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TempProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<ConversationStore> m_store;

    /// Status of a message as stored, read on the writer (a test-only peek at raw columns).
    QString rawColumn(qint64 messageId, const QString &column)
    {
        return QCoro::waitFor([](std::shared_ptr<ProfileDatabase> db, qint64 id, QString name) -> QCoro::Task<QString> {
            co_return co_await db->writer().run([id, name](QSqlDatabase &connection) {
                QSqlQuery query(connection);
                query.exec(u"SELECT %1 FROM messages WHERE id = %2"_s.arg(name).arg(id));
                return query.next() ? query.value(0).toString() : u"<missing>"_s;
            });
        }(m_database, messageId, column));
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::TempProfile>();
        QVERIFY(m_profile->isValid());
        m_database = openProfile(m_profile->path());
        QVERIFY(m_database);
        m_store = std::make_unique<ConversationStore>(m_database);
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void createListRenameDelete()
    {
        const auto first = QCoro::waitFor(m_store->createConversation(u"First"_s));
        QVERIFY(ok(first));
        QVERIFY(first->id > 0);
        QCOMPARE(first->title, u"First"_s);
        QCOMPARE(first->createdAt.timeSpec(), Qt::UTC);
        QVERIFY(qAbs(first->createdAt.msecsTo(QDateTime::currentDateTimeUtc())) < 60'000);
        const auto second = QCoro::waitFor(m_store->createConversation(u"Second"_s));
        QVERIFY(ok(second));

        auto listed = QCoro::waitFor(m_store->listConversations());
        QVERIFY(ok(listed));
        QCOMPARE(listed->size(), 2);
        QCOMPARE(listed->at(0).id, second->id); // most recent first
        QCOMPARE(listed->at(1).createdAt, first->createdAt);

        QVERIFY(ok(QCoro::waitFor(m_store->renameConversation(first->id, u"Renamed"_s))));
        listed = QCoro::waitFor(m_store->listConversations());
        QCOMPARE(listed->at(1).title, u"Renamed"_s);

        const auto missing = QCoro::waitFor(m_store->renameConversation(9999, u"x"_s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::Database);
        QVERIFY(missing.error().message.startsWith(u"Could not save the conversation: "_s));

        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(second->id))));
        listed = QCoro::waitFor(m_store->listConversations());
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->at(0).id, first->id);

        QCOMPARE(QCoro::waitFor(m_store->listConversations(0))->size(), 0);
    }

    void deleteCascadesToMessages()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Doomed"_s));
        QVERIFY(ok(conversation));
        const auto appended = QCoro::waitFor(m_store->appendMessage(message(conversation->id, u"user"_s, u"hi"_s)));
        QVERIFY(ok(appended));
        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(conversation->id))));
        QCOMPARE(rawColumn(appended->id, u"content"_s), u"<missing>"_s);
        const auto left = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(left));
        QVERIFY(left->isEmpty());
    }

    void appendKeepsOrderAndBumpsConversation()
    {
        const auto older = QCoro::waitFor(m_store->createConversation(u"Older"_s));
        const auto newer = QCoro::waitFor(m_store->createConversation(u"Newer"_s));
        QVERIFY(ok(older) && ok(newer));
        // Times have millisecond resolution; let the clock pass the newer one so order is decided by activity.
        QTRY_VERIFY(QDateTime::currentDateTimeUtc() > newer->updatedAt);

        const QStringList texts{u"question"_s, u"answer"_s, u"follow-up"_s};
        for (int i = 0; i < texts.size(); ++i) {
            const auto appended = QCoro::waitFor(
                m_store->appendMessage(message(older->id, i % 2 ? u"assistant"_s : u"user"_s, texts[i])));
            QVERIFY(ok(appended));
            QVERIFY(appended->id > 0);
            QVERIFY(appended->createdAt.isValid());
        }
        const auto stored = QCoro::waitFor(m_store->messages(older->id));
        QVERIFY(ok(stored));
        QCOMPARE(stored->size(), 3);
        for (int i = 0; i < texts.size(); ++i) {
            QCOMPARE(stored->at(i).content, texts[i]);
            QCOMPARE(stored->at(i).conversationId, older->id);
            QCOMPARE(stored->at(i).status, MessageStatus::Done);
        }
        QCOMPARE(stored->at(1).role, u"assistant"_s);

        // Activity moved the older conversation to the top.
        const auto listed = QCoro::waitFor(m_store->listConversations());
        QVERIFY(ok(listed));
        QCOMPARE(listed->at(0).id, older->id);
        QVERIFY(listed->at(0).updatedAt > newer->updatedAt);
    }

    void appendRejectsUnknownConversationAndRole()
    {
        const auto orphan = QCoro::waitFor(m_store->appendMessage(message(4242, u"user"_s, u"x"_s)));
        QVERIFY(!orphan);
        QVERIFY2(orphan.error().message.startsWith(u"Could not save the conversation: "_s),
                 qPrintable(orphan.error().message));
        QVERIFY(orphan.error().detail.contains(u"INSERT INTO messages"_s));

        const auto conversation = QCoro::waitFor(m_store->createConversation(u"c"_s));
        const auto badRole = QCoro::waitFor(m_store->appendMessage(message(conversation->id, u"robot"_s, u"x"_s)));
        QVERIFY(!badRole);
    }

    void checkpointSkipsFinishedMessages()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Stream"_s));
        const auto live = QCoro::waitFor(
            m_store->appendMessage(message(conversation->id, u"assistant"_s, {}, MessageStatus::Streaming)));
        const auto finished = QCoro::waitFor(
            m_store->appendMessage(message(conversation->id, u"assistant"_s, u"final answer"_s)));
        QVERIFY(ok(live) && ok(finished));

        const QList<MessageCheckpoint> batch{{live->id, u"partial"_s, u"thinking"_s},
                                             {finished->id, u"late partial"_s, {}}};
        QVERIFY(ok(QCoro::waitFor(m_store->checkpoint(batch))));
        QVERIFY(ok(QCoro::waitFor(m_store->checkpoint({})))); // an empty batch is a no-op

        const auto stored = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(stored));
        QCOMPARE(stored->at(0).content, u"partial"_s);
        QCOMPARE(stored->at(0).reasoning, u"thinking"_s);
        QCOMPARE(stored->at(0).status, MessageStatus::Streaming);
        QCOMPARE(stored->at(1).content, u"final answer"_s); // a late checkpoint never wins
    }

    void finishMessagePersistsEverything()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Finish"_s));
        auto live = QCoro::waitFor(
            m_store->appendMessage(message(conversation->id, u"assistant"_s, {}, MessageStatus::Streaming)));
        QVERIFY(ok(live));

        MessageRecord done = *live;
        done.content = u"The answer [1]."_s;
        done.reasoning = u"because"_s;
        done.status = MessageStatus::Error;
        done.errorText = u"The server closed the stream."_s;
        done.metrics = QJsonObject{{u"ttft_ms"_s, 412}, {u"tokens_per_s"_s, 37.5}, {u"completion_tokens"_s, 120}};
        QVERIFY(ok(QCoro::waitFor(m_store->finishMessage(done))));

        const auto stored = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(stored));
        const MessageRecord &back = stored->at(0);
        QCOMPARE(back.content, done.content);
        QCOMPARE(back.reasoning, done.reasoning);
        QCOMPARE(back.status, MessageStatus::Error);
        QCOMPARE(back.errorText, done.errorText);
        QCOMPARE(back.metrics, done.metrics);
        QVERIFY(rawColumn(live->id, u"metrics"_s).contains(u"\"ttft_ms\":412"_s)); // stored as JSON text

        MessageRecord ghost = done;
        ghost.id = 987654;
        QVERIFY(!QCoro::waitFor(m_store->finishMessage(ghost)));
    }

    void markInterruptedTouchesOnlyStreaming()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Crash"_s));
        for (auto status : {MessageStatus::Streaming, MessageStatus::Done, MessageStatus::Streaming,
                            MessageStatus::Stopped}) {
            const auto appended =
                QCoro::waitFor(m_store->appendMessage(message(conversation->id, u"assistant"_s, u"t"_s, status)));
            QVERIFY(ok(appended));
        }
        const auto count = QCoro::waitFor(m_store->markInterrupted());
        QVERIFY(ok(count));
        QCOMPARE(*count, 2);
        const auto stored = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(stored));
        const QList<MessageStatus> expected{MessageStatus::Interrupted, MessageStatus::Done,
                                            MessageStatus::Interrupted, MessageStatus::Stopped};
        for (int i = 0; i < expected.size(); ++i)
            QCOMPARE(stored->at(i).status, expected[i]);
        QCOMPARE(*QCoro::waitFor(m_store->markInterrupted()), 0);
    }

    void survivesReopen()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Keep me"_s));
        QVERIFY(ok(conversation));
        QVERIFY(ok(QCoro::waitFor(m_store->appendMessage(message(conversation->id, u"user"_s, u"remember"_s)))));
        const auto live = QCoro::waitFor(
            m_store->appendMessage(message(conversation->id, u"assistant"_s, {}, MessageStatus::Streaming)));
        QVERIFY(ok(QCoro::waitFor(m_store->checkpoint({{live->id, u"half an ans"_s, {}}}))));

        // Close everything: the store and the last owner of the database.
        m_store.reset();
        std::weak_ptr<ProfileDatabase> closed = m_database;
        m_database.reset();
        QVERIFY(closed.expired());

        m_database = openProfile(m_profile->path());
        QVERIFY(m_database);
        m_store = std::make_unique<ConversationStore>(m_database);
        QCOMPARE(*QCoro::waitFor(m_store->markInterrupted()), 1); // what a crash would have left
        const auto listed = QCoro::waitFor(m_store->listConversations());
        QVERIFY(ok(listed));
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->at(0).title, u"Keep me"_s);
        const auto stored = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(stored));
        QCOMPARE(stored->size(), 2);
        QCOMPARE(stored->at(0).content, u"remember"_s);
        QCOMPARE(stored->at(1).content, u"half an ans"_s);
        QCOMPARE(stored->at(1).status, MessageStatus::Interrupted);
    }

    void statusStringsRoundTrip()
    {
        for (auto status : {MessageStatus::Streaming, MessageStatus::Done, MessageStatus::Stopped, MessageStatus::Error,
                            MessageStatus::Interrupted})
            QCOMPARE(messageStatusFromString(messageStatusName(status)), status);
        QCOMPARE(messageStatusName(MessageStatus::Interrupted), u"interrupted"_s);
    }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversationstore.moc"
