#include "core/storage/ConversationStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/TempProfile.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
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

    /// Runs @p statements on the writer; returns the last insert id (a test-only back door).
    qint64 rawExec(const QStringList &statements)
    {
        return QCoro::waitFor([](std::shared_ptr<ProfileDatabase> db, QStringList sql) -> QCoro::Task<qint64> {
            co_return co_await db->writer().run([sql](QSqlDatabase &connection) -> qint64 {
                QSqlQuery query(connection);
                for (const QString &statement : sql) {
                    if (!query.exec(statement)) {
                        qWarning() << statement << query.lastError().text();
                        return -1;
                    }
                }
                return query.lastInsertId().toLongLong();
            });
        }(m_database, statements));
    }

    qint64 append(qint64 conversationId, qint64 parentId, const QString &role, const QString &content)
    {
        MessageRecord record = message(conversationId, role, content);
        record.parentId = parentId;
        const auto appended = QCoro::waitFor(m_store->appendMessage(record));
        return ok(appended) ? appended->id : -1;
    }

    qint64 activeLeaf(qint64 conversationId)
    {
        const auto listed = QCoro::waitFor(m_store->listConversations());
        for (const Conversation &conversation : *listed) {
            if (conversation.id == conversationId)
                return conversation.activeLeafId;
        }
        return -1;
    }

    static QList<qint64> ids(const QList<Conversation> &conversations)
    {
        QList<qint64> result;
        for (const Conversation &conversation : conversations)
            result.append(conversation.id);
        return result;
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

    void readsOneConversation()
    {
        const auto created = QCoro::waitFor(m_store->createConversation(u"One"_s));
        QVERIFY(ok(created));
        QVERIFY(ok(QCoro::waitFor(m_store->createConversation(u"Other"_s))));
        const qint64 question = append(created->id, 0, u"user"_s, u"Q"_s);
        const qint64 firstAnswer = append(created->id, question, u"assistant"_s, u"A1"_s);
        append(created->id, question, u"assistant"_s, u"A2"_s);
        QVERIFY(ok(QCoro::waitFor(m_store->setActiveLeaf(created->id, firstAnswer))));
        QVERIFY(ok(QCoro::waitFor(m_store->setPinned(created->id, true))));

        const auto read = QCoro::waitFor(m_store->conversation(created->id));
        QVERIFY(ok(read));
        QCOMPARE(read->id, created->id);
        QCOMPARE(read->title, u"One"_s);
        QCOMPARE(read->createdAt, created->createdAt);
        QVERIFY(read->pinned);
        QCOMPARE(read->activeLeafId, firstAnswer);

        // A soft-deleted conversation is still readable (its tab may still be open).
        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(created->id))));
        QCOMPARE(QCoro::waitFor(m_store->conversation(created->id))->title, u"One"_s);

        const auto missing = QCoro::waitFor(m_store->conversation(9999));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::Database);
        QVERIFY2(missing.error().message.contains(u"no longer exists"_s), qPrintable(missing.error().message));
    }

    void softDeleteRestoreAndPurge()
    {
        const auto doomed = QCoro::waitFor(m_store->createConversation(u"Doomed"_s));
        const auto kept = QCoro::waitFor(m_store->createConversation(u"Kept"_s));
        QVERIFY(ok(doomed) && ok(kept));
        const auto appended = QCoro::waitFor(m_store->appendMessage(message(doomed->id, u"user"_s, u"hi"_s)));
        QVERIFY(ok(appended));

        // Soft: hidden from the list, messages still there for Undo.
        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(doomed->id))));
        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(doomed->id)))); // twice is fine
        QCOMPARE(ids(*QCoro::waitFor(m_store->listConversations())), (QList<qint64>{kept->id}));
        QCOMPARE(rawColumn(appended->id, u"content"_s), u"hi"_s);
        QVERIFY(!QCoro::waitFor(m_store->renameConversation(doomed->id, u"x"_s))); // gone for edits

        QVERIFY(ok(QCoro::waitFor(m_store->restoreConversation(doomed->id))));
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->size(), 2);

        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(doomed->id))));
        const auto purged = QCoro::waitFor(m_store->purgeDeleted());
        QVERIFY(ok(purged));
        QCOMPARE(*purged, 1);
        QCOMPARE(rawColumn(appended->id, u"content"_s), u"<missing>"_s);
        QVERIFY(QCoro::waitFor(m_store->messages(doomed->id))->isEmpty());
        QCOMPARE(ids(*QCoro::waitFor(m_store->listConversations())), (QList<qint64>{kept->id}));
        QCOMPARE(*QCoro::waitFor(m_store->purgeDeleted()), 0);

        const auto late = QCoro::waitFor(m_store->restoreConversation(doomed->id));
        QVERIFY(!late);
        QVERIFY2(late.error().message.contains(u"no longer exists"_s), qPrintable(late.error().message));
    }

    void listOrdersPinnedFirst()
    {
        const auto a = QCoro::waitFor(m_store->createConversation(u"A"_s));
        const auto b = QCoro::waitFor(m_store->createConversation(u"B"_s));
        const auto c = QCoro::waitFor(m_store->createConversation(u"C"_s));
        QVERIFY(ok(a) && ok(b) && ok(c));
        QCOMPARE(ids(*QCoro::waitFor(m_store->listConversations())), (QList<qint64>{c->id, b->id, a->id}));
        QVERIFY(ok(QCoro::waitFor(m_store->setPinned(a->id, true))));
        const auto listed = QCoro::waitFor(m_store->listConversations());
        QCOMPARE(ids(*listed), (QList<qint64>{a->id, c->id, b->id}));
        QVERIFY(listed->at(0).pinned);
        QVERIFY(!listed->at(1).pinned);
        QVERIFY(ok(QCoro::waitFor(m_store->setPinned(a->id, false))));
        QCOMPARE(ids(*QCoro::waitFor(m_store->listConversations())), (QList<qint64>{c->id, b->id, a->id}));
        QVERIFY(!QCoro::waitFor(m_store->setPinned(4242, true)));
    }

    void assistantOfAConversation()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"With assistant"_s));
        QVERIFY(ok(conversation));
        const qint64 assistantId = rawExec({u"INSERT INTO assistants (name, settings, created_at, updated_at)"
                                            " VALUES ('Helper', '{}', 1, 1)"_s});
        QVERIFY(assistantId > 0);
        QVERIFY(ok(QCoro::waitFor(m_store->setAssistant(conversation->id, assistantId))));
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->at(0).assistantId, assistantId);
        QVERIFY(!QCoro::waitFor(m_store->setAssistant(conversation->id, assistantId + 100))); // no such assistant
        QVERIFY(ok(QCoro::waitFor(m_store->setAssistant(conversation->id, 0))));
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->at(0).assistantId, 0);
    }

    void treeAndCitationsRoundTrip()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Tree"_s));
        QVERIFY(ok(conversation));
        const auto question = QCoro::waitFor(m_store->appendMessage(message(conversation->id, u"user"_s, u"Q"_s)));
        QVERIFY(ok(question));
        QCOMPARE(question->parentId, 0);
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->at(0).activeLeafId, question->id);

        CitationSnapshot source;
        source.number = 1;
        source.documentTitle = u"Manual"_s;
        source.page = 7;
        source.chunkText = u"The pump runs at 3 bar."_s;
        MessageRecord answer = message(conversation->id, u"assistant"_s, {}, MessageStatus::Streaming);
        answer.parentId = question->id;
        answer.sources = {source};
        const auto first = QCoro::waitFor(m_store->appendMessage(answer));
        QVERIFY(ok(first));
        QCOMPARE(first->parentId, question->id);

        MessageRecord finished = *first;
        finished.content = u"3 bar [1]."_s;
        finished.status = MessageStatus::Done;
        finished.citations = {CitationMarker{6, 3, {1}, {}, false}};
        finished.retrieval = QJsonObject{{u"query"_s, u"pump pressure"_s}, {u"retrieval_ms"_s, 12}};
        QVERIFY(ok(QCoro::waitFor(m_store->finishMessage(finished))));

        // A regenerated answer is a sibling, and becomes the active leaf.
        MessageRecord regenerated = message(conversation->id, u"assistant"_s, u"About 3 bar."_s);
        regenerated.parentId = question->id;
        const auto second = QCoro::waitFor(m_store->appendMessage(regenerated));
        QVERIFY(ok(second));
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->at(0).activeLeafId, second->id);

        const auto stored = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(stored));
        QCOMPARE(stored->size(), 3);
        QCOMPARE(stored->at(0).parentId, 0);
        QCOMPARE(stored->at(1).parentId, question->id);
        QCOMPARE(stored->at(1).sources, QList<CitationSnapshot>{source});
        QCOMPARE(stored->at(1).citations, finished.citations);
        QCOMPARE(stored->at(1).retrieval, finished.retrieval);
        QCOMPARE(stored->at(2).parentId, question->id);
        QVERIFY(stored->at(2).sources.isEmpty());
        // Empty JSON columns stay NULL.
        QCOMPARE(rawColumn(second->id, u"coalesce(sources, citations, retrieval, 'null')"_s), u"null"_s);

        QVERIFY(ok(QCoro::waitFor(m_store->setActiveLeaf(conversation->id, first->id))));
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->at(0).activeLeafId, first->id);
        const auto other = QCoro::waitFor(m_store->createConversation(u"Other"_s));
        QVERIFY(!QCoro::waitFor(m_store->setActiveLeaf(other->id, first->id))); // not its message

        // A parent must exist and belong to the same conversation.
        MessageRecord stray = message(other->id, u"user"_s, u"stray"_s);
        stray.parentId = first->id;
        const auto crossed = QCoro::waitFor(m_store->appendMessage(stray));
        QVERIFY(!crossed);
        QVERIFY2(crossed.error().message.contains(u"belongs to another conversation"_s),
                 qPrintable(crossed.error().message));
        stray.parentId = 987654;
        const auto dangling = QCoro::waitFor(m_store->appendMessage(stray));
        QVERIFY(!dangling);
        QVERIFY2(dangling.error().message.contains(u"no longer exists"_s), qPrintable(dangling.error().message));
        QVERIFY(QCoro::waitFor(m_store->messages(other->id))->isEmpty());
    }

    void damagedJsonColumnsKeepTheMessage()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Damaged"_s));
        const qint64 id = append(conversation->id, 0, u"assistant"_s, u"still here"_s);
        QVERIFY(id > 0);
        rawExec({u"UPDATE messages SET sources = '[{\"number\": -3}]', citations = 'not json',"
                 " retrieval = '[1, 2]', metrics = '{\"ttft_ms\": 5}' WHERE id = %1"_s.arg(id)});
        const auto stored = QCoro::waitFor(m_store->messages(conversation->id));
        QVERIFY(ok(stored));
        QCOMPARE(stored->size(), 1);
        QCOMPARE(stored->at(0).content, u"still here"_s);
        QVERIFY(stored->at(0).sources.isEmpty());
        QVERIFY(stored->at(0).citations.isEmpty());
        QVERIFY(stored->at(0).retrieval.isEmpty());
        QCOMPARE(stored->at(0).metrics.value(u"ttft_ms"_s).toInt(), 5); // the sound column still reads
    }

    void deleteMessageRemovesSubtreeAndMovesLeaf()
    {
        // q1 -> a1 -> q2 -> a2
        //    -> b1 -> r2          (b1: a regenerated answer to q1)
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Branches"_s));
        QVERIFY(ok(conversation));
        const qint64 id = conversation->id;
        const qint64 q1 = append(id, 0, u"user"_s, u"q1"_s);
        const qint64 a1 = append(id, q1, u"assistant"_s, u"a1"_s);
        const qint64 q2 = append(id, a1, u"user"_s, u"q2"_s);
        const qint64 a2 = append(id, q2, u"assistant"_s, u"a2"_s);
        const qint64 b1 = append(id, q1, u"assistant"_s, u"b1"_s);
        const qint64 r2 = append(id, b1, u"user"_s, u"r2"_s);
        QVERIFY(ok(QCoro::waitFor(m_store->setActiveLeaf(id, a2))));

        // Not on the active path: the leaf stays.
        auto removed = QCoro::waitFor(m_store->deleteMessage(b1));
        QVERIFY(ok(removed));
        QCOMPARE(*removed, (QList<qint64>{b1, r2}));
        QCOMPARE(activeLeaf(id), a2);

        // The active leaf's ancestor: the leaf falls back to the parent (no children left).
        removed = QCoro::waitFor(m_store->deleteMessage(q2));
        QCOMPARE(*removed, (QList<qint64>{q2, a2}));
        QCOMPARE(activeLeaf(id), a1);

        // With siblings left, the newest leaf under the parent.
        const qint64 c1 = append(id, q1, u"assistant"_s, u"c1"_s);
        const qint64 c2 = append(id, c1, u"user"_s, u"c2"_s);
        QVERIFY(ok(QCoro::waitFor(m_store->setActiveLeaf(id, a1))));
        removed = QCoro::waitFor(m_store->deleteMessage(a1));
        QCOMPARE(*removed, (QList<qint64>{a1}));
        QCOMPARE(activeLeaf(id), c2);

        QCOMPARE(QCoro::waitFor(m_store->deleteMessage(a1))->size(), 0); // already gone
        removed = QCoro::waitFor(m_store->deleteMessage(q1));
        QCOMPARE(*removed, (QList<qint64>{q1, c1, c2}));
        QCOMPARE(activeLeaf(id), 0);
        QVERIFY(QCoro::waitFor(m_store->messages(id))->isEmpty());
    }

    void deepChainsDeleteWithoutRecursionLimits()
    {
        // SQLite nests one trigger frame per cascade level and stops at 1000; a conversation
        // this long must still be deletable, by message and as a whole.
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Long"_s));
        QVERIFY(ok(conversation));
        const int length = 1500;
        QStringList sql{u"BEGIN"_s};
        for (int i = 1; i <= length; ++i) {
            sql.append(u"INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at,"
                       " updated_at) VALUES (%1, %2, %3, 'user', 'm', 'done', 1, 1)"_s.arg(i)
                           .arg(conversation->id)
                           .arg(i == 1 ? u"NULL"_s : QString::number(i - 1)));
        }
        sql.append(u"COMMIT"_s);
        rawExec(sql);
        QCOMPARE(QCoro::waitFor(m_store->messages(conversation->id))->size(), length);

        const auto removed = QCoro::waitFor(m_store->deleteMessage(501));
        QVERIFY(ok(removed));
        QCOMPARE(removed->size(), length - 500);
        QCOMPARE(activeLeaf(conversation->id), 500);

        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(conversation->id))));
        QCOMPARE(*QCoro::waitFor(m_store->purgeDeleted()), 1);
        QCOMPARE(rawColumn(1, u"id"_s), u"<missing>"_s);
    }

    void searchFindsMessagesAndTitles()
    {
        const auto pumps = QCoro::waitFor(m_store->createConversation(u"Pump maintenance"_s));
        const auto recipes = QCoro::waitFor(m_store->createConversation(u"Recipes"_s));
        const auto deleted = QCoro::waitFor(m_store->createConversation(u"Old pump notes"_s));
        QVERIFY(ok(pumps) && ok(recipes) && ok(deleted));
        append(pumps->id, 0, u"user"_s, u"How often should the seals be replaced?"_s);
        const qint64 creme = append(recipes->id, 0, u"user"_s, u"A crème brûlée for the pump room party"_s);
        append(recipes->id, creme, u"assistant"_s, u"Heat the cream slowly."_s);
        append(deleted->id, 0, u"user"_s, u"pump pump pump"_s);
        QVERIFY(ok(QCoro::waitFor(m_store->deleteConversation(deleted->id))));

        // "pum" as typed so far: a prefix; the title match comes first.
        auto hits = QCoro::waitFor(m_store->searchConversations(u"pum"_s, 10));
        QVERIFY(ok(hits));
        QCOMPARE(hits->size(), 2);
        QCOMPARE(hits->at(0).conversationId, pumps->id);
        QCOMPARE(hits->at(0).title.text, u"Pump maintenance"_s);
        QCOMPARE(hits->at(0).title.spans, (QList<std::pair<qsizetype, qsizetype>>{{0, 4}}));
        QCOMPARE(hits->at(0).messageId, 0); // its messages do not mention pumps
        QCOMPARE(hits->at(1).conversationId, recipes->id);
        QCOMPARE(hits->at(1).messageId, creme);
        QCOMPARE(hits->at(1).title.spans.size(), 0);
        const MatchedText &snippet = hits->at(1).snippet;
        QVERIFY2(snippet.text.contains(u"pump room"_s), qPrintable(snippet.text));
        QCOMPARE(snippet.spans.size(), 1);
        QCOMPARE(snippet.text.mid(snippet.spans[0].first, snippet.spans[0].second), u"pump"_s);

        // Diacritics fold; every word must match; a trailing space ends the prefix.
        hits = QCoro::waitFor(m_store->searchConversations(u"creme brulee"_s, 10));
        QCOMPARE(hits->size(), 1);
        QCOMPARE(hits->at(0).conversationId, recipes->id);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"creme pumps"_s, 10))->size(), 0);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"pum "_s, 10))->size(), 0);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"seals"_s, 10))->at(0).conversationId, pumps->id);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"pump"_s, 1))->size(), 1); // the limit

        // Restored, the deleted one is searchable again.
        QVERIFY(ok(QCoro::waitFor(m_store->restoreConversation(deleted->id))));
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"pump"_s, 10))->size(), 3);
    }

    void searchNeverFailsOnWhatPeopleType_data()
    {
        QTest::addColumn<QString>("query");
        for (const QString &query :
             {u""_s, u"   "_s, u"\""_s, u"\"\"\""_s, u"*"_s, u"pump*"_s, u"(pump"_s, u"pump)"_s, u"AND"_s,
              u"pump OR"_s, u"NOT pump"_s, u"NEAR(pump"_s, u"^pump"_s, u"pump:"_s, u"title:pump"_s, u"-pump"_s,
              u"+"_s, u"p\"u\"mp"_s, u"{pump}"_s, u"'; DROP TABLE messages; --"_s, u"\t\npump\r"_s,
              u"\u2026"_s, u"🦀"_s, QString(3000, u'a')})
            QTest::newRow(qPrintable(query.left(20))) << query;
    }

    void searchNeverFailsOnWhatPeopleType()
    {
        QFETCH(QString, query);
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"pump"_s));
        append(conversation->id, 0, u"user"_s, u"pump"_s);
        const auto hits = QCoro::waitFor(m_store->searchConversations(query, 10));
        QVERIFY(ok(hits));
        QVERIFY(hits->size() <= 1);
        QCOMPARE(QCoro::waitFor(m_store->messages(conversation->id))->size(), 1);
    }

    void searchFollowsEdits()
    {
        const auto conversation = QCoro::waitFor(m_store->createConversation(u"Streaming"_s));
        const auto live = QCoro::waitFor(
            m_store->appendMessage(message(conversation->id, u"assistant"_s, {}, MessageStatus::Streaming)));
        QVERIFY(ok(QCoro::waitFor(m_store->checkpoint({{live->id, u"first words"_s, {}}}))));
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"first"_s, 10))->size(), 1);
        MessageRecord done = *live;
        done.content = u"final words"_s;
        QVERIFY(ok(QCoro::waitFor(m_store->finishMessage(done))));
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"first"_s, 10))->size(), 0);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"final"_s, 10))->size(), 1);
        QVERIFY(ok(QCoro::waitFor(m_store->renameConversation(conversation->id, u"Renamed chat"_s))));
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"renamed"_s, 10))->size(), 1);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"streaming"_s, 10))->size(), 0);
        QVERIFY(ok(QCoro::waitFor(m_store->deleteMessage(live->id))));
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"final"_s, 10))->size(), 0);
    }

    void importRemapsIds()
    {
        // Ids from another profile, in an order where a child precedes its parent.
        Conversation imported;
        imported.id = 77;
        imported.title = u"Imported"_s;
        imported.createdAt = QDateTime::fromMSecsSinceEpoch(1'600'000'000'000, QTimeZone::UTC);
        imported.updatedAt = QDateTime::fromMSecsSinceEpoch(1'600'000'100'000, QTimeZone::UTC);
        imported.pinned = true;
        imported.assistantId = 999; // unknown here: dropped
        imported.activeLeafId = 503;
        auto make = [](qint64 id, qint64 parent, const QString &role, const QString &text) {
            MessageRecord record = message(0, role, text);
            record.id = id;
            record.parentId = parent;
            record.createdAt = QDateTime::fromMSecsSinceEpoch(1'600'000'000'000 + id, QTimeZone::UTC);
            return record;
        };
        MessageRecord answer = make(502, 501, u"assistant"_s, u"first answer"_s);
        answer.citations = {CitationMarker{0, 5, {1}, {}, true}};
        answer.status = MessageStatus::Streaming;
        const QList<MessageRecord> messages{make(503, 501, u"assistant"_s, u"second answer"_s),
                                            make(501, 0, u"user"_s, u"question"_s), answer,
                                            make(600, 601, u"user"_s, u"cycle a"_s),
                                            make(601, 600, u"user"_s, u"cycle b"_s),
                                            make(700, 9999, u"user"_s, u"orphan"_s)};
        // Something already in the profile, so new ids cannot coincide with old ones by luck.
        const auto existing = QCoro::waitFor(m_store->createConversation(u"Existing"_s));
        append(existing->id, 0, u"user"_s, u"x"_s);

        const auto stored = QCoro::waitFor(m_store->importConversation(imported, messages));
        QVERIFY(ok(stored));
        QVERIFY(stored->id != 77 && stored->id != existing->id);
        QCOMPARE(stored->title, u"Imported"_s);
        QCOMPARE(stored->createdAt, imported.createdAt);
        QCOMPARE(stored->assistantId, 0);
        QVERIFY(stored->pinned);

        const auto back = QCoro::waitFor(m_store->messages(stored->id));
        QVERIFY(ok(back));
        QCOMPARE(back->size(), messages.size());
        QHash<QString, MessageRecord> byText;
        for (const MessageRecord &record : *back)
            byText.insert(record.content, record);
        const qint64 question = byText[u"question"_s].id;
        QCOMPARE(byText[u"question"_s].parentId, 0);
        QCOMPARE(byText[u"first answer"_s].parentId, question);
        QCOMPARE(byText[u"second answer"_s].parentId, question);
        QCOMPARE(byText[u"first answer"_s].citations, answer.citations);
        QCOMPARE(byText[u"first answer"_s].status, MessageStatus::Interrupted);
        QCOMPARE(byText[u"first answer"_s].createdAt, answer.createdAt);
        QCOMPARE(byText[u"orphan"_s].parentId, 0);
        // A cycle is broken at its first message.
        QCOMPARE(byText[u"cycle a"_s].parentId, 0);
        QCOMPARE(byText[u"cycle b"_s].parentId, byText[u"cycle a"_s].id);
        QCOMPARE(stored->activeLeafId, byText[u"second answer"_s].id);
        const auto listed = QCoro::waitFor(m_store->listConversations());
        QCOMPARE(listed->at(0).id, stored->id); // pinned
        QCOMPARE(listed->at(0).activeLeafId, stored->activeLeafId);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"orphan"_s, 10))->at(0).conversationId, stored->id);

        // Without a known active leaf, the newest leaf is chosen; an assistant that exists is kept.
        const qint64 assistantId = rawExec({u"INSERT INTO assistants (name, settings, created_at, updated_at)"
                                            " VALUES ('Known', '{}', 1, 1)"_s});
        imported.activeLeafId = 0;
        imported.assistantId = assistantId;
        const auto again = QCoro::waitFor(m_store->importConversation(imported, messages.mid(0, 3)));
        QVERIFY(ok(again));
        QCOMPARE(again->assistantId, assistantId);
        const auto againMessages = QCoro::waitFor(m_store->messages(again->id));
        QCOMPARE(again->activeLeafId, againMessages->last().id); // the newer of the two answers
    }

    void importIsAllOrNothing()
    {
        Conversation imported;
        imported.title = u"Broken"_s;
        MessageRecord good = message(0, u"user"_s, u"fine"_s);
        good.id = 1;
        MessageRecord bad = message(0, u"robot"_s, u"refused by the role check"_s);
        bad.id = 2;
        bad.parentId = 1;
        QVERIFY(!QCoro::waitFor(m_store->importConversation(imported, {good, bad})));
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->size(), 0);
        QCOMPARE(QCoro::waitFor(m_store->searchConversations(u"fine"_s, 10))->size(), 0);
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
