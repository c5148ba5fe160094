#include "core/storage/ConversationStore.h"
#include "core/storage/MessageCheckpointer.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/TempProfile.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace std::chrono_literals;

class TestMessageCheckpointer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TempProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<ConversationStore> m_store;
    qint64 m_conversation = 0;

    qint64 streamingMessage()
    {
        MessageRecord record;
        record.conversationId = m_conversation;
        record.role = u"assistant"_s;
        record.status = MessageStatus::Streaming;
        const auto appended = QCoro::waitFor(m_store->appendMessage(record));
        return appended ? appended->id : 0;
    }

    /// Waits until every write queued so far has run: the writer executes jobs in order, so a
    /// no-op job finishing means the fire-and-forget checkpoints before it are committed.
    void drainWriter()
    {
        QCoro::waitFor([](std::shared_ptr<ProfileDatabase> db) -> QCoro::Task<> {
            co_await db->writer().run([](QSqlDatabase &) {});
        }(m_database));
    }

    QHash<qint64, QString> storedContent()
    {
        QHash<qint64, QString> content;
        const auto messages = QCoro::waitFor(m_store->messages(m_conversation));
        if (messages) {
            for (const MessageRecord &message : *messages)
                content.insert(message.id, message.content);
        }
        return content;
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::TempProfile>();
        QVERIFY(m_profile->isValid());
        auto opened = QCoro::waitFor(ProfileDatabase::open(m_profile->path()));
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        m_database = *opened;
        m_store = std::make_unique<ConversationStore>(m_database);
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"stream"_s));
        QVERIFY(conversation);
        m_conversation = conversation->id;
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void coalescesManyUpdates()
    {
        const QList<qint64> ids{streamingMessage(), streamingMessage(), streamingMessage()};
        QVERIFY(!ids.contains(0));
        MessageCheckpointer checkpointer(m_store.get(), 100ms);

        // Three streams deliver a delta every 5 ms for about 300 ms: ~180 stage() calls.
        int staged = 0;
        QTimer stream;
        stream.setInterval(5ms);
        connect(&stream, &QTimer::timeout, this, [&] {
            ++staged;
            for (qint64 id : ids)
                checkpointer.stage(id, u"message %1 after %2 deltas"_s.arg(id).arg(staged), {});
            if (staged == 60)
                stream.stop();
        });
        stream.start();
        QTRY_VERIFY(!stream.isActive());
        QTRY_COMPARE(checkpointer.pendingCount(), 0);
        drainWriter();

        // One flush per interval, not one per delta: ~300 ms / 100 ms, with slack for a slow machine.
        QVERIFY2(checkpointer.flushCount() >= 1 && checkpointer.flushCount() <= 8,
                 qPrintable(u"%1 flushes for %2 deltas"_s.arg(checkpointer.flushCount()).arg(staged * 3)));
        const auto content = storedContent();
        for (qint64 id : ids)
            QCOMPARE(content.value(id), u"message %1 after 60 deltas"_s.arg(id));
    }

    void writesWithinTheInterval()
    {
        const qint64 id = streamingMessage();
        MessageCheckpointer checkpointer(m_store.get(), 50ms);
        checkpointer.stage(id, u"first words"_s, u"hmm"_s);
        checkpointer.stage(id, u"first words and more"_s, u"hmm, yes"_s);
        QCOMPARE(checkpointer.pendingCount(), 1); // the newest text replaces the older one
        QCOMPARE(checkpointer.flushCount(), 0);
        // Nobody calls flush(): the timer must.
        QTRY_COMPARE(checkpointer.flushCount(), 1);
        drainWriter();
        const auto messages = QCoro::waitFor(m_store->messages(m_conversation));
        QVERIFY(messages && messages->size() == 1);
        QCOMPARE(messages->at(0).content, u"first words and more"_s);
        QCOMPARE(messages->at(0).reasoning, u"hmm, yes"_s);
    }

    void forgetPreventsTheWrite()
    {
        const qint64 kept = streamingMessage();
        const qint64 forgotten = streamingMessage();
        // A long interval so only the explicit flush() below writes.
        MessageCheckpointer checkpointer(m_store.get(), 1h);
        checkpointer.stage(kept, u"kept text"_s, {});
        checkpointer.stage(forgotten, u"stale text"_s, {});
        checkpointer.forget(forgotten);
        QCOMPARE(checkpointer.pendingCount(), 1);
        checkpointer.flush();
        QCOMPARE(checkpointer.flushCount(), 1);
        drainWriter();
        const auto content = storedContent();
        QCOMPARE(content.value(kept), u"kept text"_s);
        QCOMPARE(content.value(forgotten), QString());

        // Forgetting the last entry leaves nothing for a flush to do.
        checkpointer.stage(forgotten, u"stale again"_s, {});
        checkpointer.forget(forgotten);
        checkpointer.flush();
        QCOMPARE(checkpointer.flushCount(), 1);
        drainWriter();
        QCOMPARE(storedContent().value(forgotten), QString());
    }

    void lateCheckpointDoesNotOverwriteFinalAnswer()
    {
        const qint64 id = streamingMessage();
        MessageCheckpointer checkpointer(m_store.get(), 1h);
        checkpointer.stage(id, u"partial"_s, {});
        MessageRecord done;
        done.id = id;
        done.content = u"final"_s;
        done.status = MessageStatus::Done;
        QVERIFY(QCoro::waitFor(m_store->finishMessage(done)));
        // The session forgot to call forget(): the streaming-only UPDATE still protects the answer.
        checkpointer.flush();
        drainWriter();
        QCOMPARE(storedContent().value(id), u"final"_s);
    }
};

QTEST_GUILESS_MAIN(TestMessageCheckpointer)
#include "tst_messagecheckpointer.moc"
