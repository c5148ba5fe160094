#include "core/storage/AssistantStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/TempProfile.h"

#include <QCoroFuture>
#include <QCoroTask>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
template<typename T>
bool ok(const Result<T> &result)
{
    if (!result)
        qWarning().noquote() << result.error().message << "|" << result.error().detail;
    return result.has_value();
}

Assistant named(const QString &name)
{
    Assistant assistant;
    assistant.name = name;
    return assistant;
}
} // namespace

class TestAssistantStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TempProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<AssistantStore> m_store;

    /// Runs @p sql on the writer and returns the first column of the first row (a test-only peek).
    QVariant rawValue(const QString &sql)
    {
        return QCoro::waitFor([](std::shared_ptr<ProfileDatabase> db, QString text) -> QCoro::Task<QVariant> {
            co_return co_await db->writer().run([text](QSqlDatabase &connection) {
                QSqlQuery query(connection);
                return query.exec(text) && query.next() ? query.value(0) : QVariant(u"<none>"_s);
            });
        }(m_database, sql));
    }

    QStringList names()
    {
        QStringList result;
        const auto listed = QCoro::waitFor(m_store->list());
        if (ok(listed)) {
            for (const Assistant &assistant : *listed)
                result.append(assistant.name);
        }
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::TempProfile>();
        QVERIFY(m_profile->isValid());
        auto opened = QCoro::waitFor(ProfileDatabase::open(m_profile->path()));
        QVERIFY(ok(opened));
        m_database = *opened;
        m_store = std::make_unique<AssistantStore>(m_database);
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void everyFieldRoundTrips()
    {
        Assistant assistant;
        assistant.name = u"  Lawyer  "_s; // trimmed
        assistant.systemPrompt = u"Answer as a careful lawyer.\nCite every clause."_s;
        assistant.allKnowledgeBases = false;
        assistant.knowledgeBaseIds = {3, 9'007'199'254'740'993LL};
        assistant.providerId = u"openai-work"_s;
        assistant.model = u"gpt-x"_s;
        assistant.temperature = 0.25;
        assistant.topN = 11;
        assistant.similarityThreshold = 0.35;
        assistant.fusion = FusionMethod::ReciprocalRank;
        assistant.keywordWeight = 0.4;
        assistant.rerank = true;
        assistant.onEmpty = EmptyRetrieval::ReplyWithText;
        assistant.emptyResponse = u"Nothing found."_s;
        assistant.citations = false;
        assistant.refineQuestion = false;
        assistant.contextTokens = 32768;

        const auto created = QCoro::waitFor(m_store->create(assistant));
        QVERIFY(ok(created));
        QVERIFY(created->id > 0);
        QCOMPARE(created->name, u"Lawyer"_s);

        const auto listed = QCoro::waitFor(m_store->list());
        QVERIFY(ok(listed));
        QCOMPARE(listed->size(), 1);
        Assistant expected = assistant;
        expected.id = created->id;
        expected.name = u"Lawyer"_s;
        QCOMPARE(listed->first(), expected);

        // Update replaces every setting, the name included.
        expected.name = u"Counsel"_s;
        expected.temperature.reset();
        expected.knowledgeBaseIds = {7};
        expected.topN = 2;
        QVERIFY(ok(QCoro::waitFor(m_store->update(expected))));
        QCOMPARE(QCoro::waitFor(m_store->list())->first(), expected);
    }

    void listKeepsCreationOrder()
    {
        for (const QString &name : {u"Zed"_s, u"alpha"_s, u"Mid"_s})
            QVERIFY(ok(QCoro::waitFor(m_store->create(named(name)))));
        QCOMPARE(names(), (QStringList{u"Zed"_s, u"alpha"_s, u"Mid"_s}));
    }

    void duplicateNamesTheCopy()
    {
        const auto original = QCoro::waitFor(m_store->create(named(u"Writer"_s)));
        QVERIFY(ok(original));
        Assistant changed = *original;
        changed.systemPrompt = u"Write tersely."_s;
        QVERIFY(ok(QCoro::waitFor(m_store->update(changed))));

        const auto first = QCoro::waitFor(m_store->duplicate(original->id));
        QVERIFY(ok(first));
        QCOMPARE(first->name, u"Writer (copy)"_s);
        QVERIFY(first->id != original->id);
        QCOMPARE(first->systemPrompt, u"Write tersely."_s);
        const auto second = QCoro::waitFor(m_store->duplicate(original->id));
        QVERIFY(ok(second));
        QCOMPARE(second->name, u"Writer (copy 2)"_s);
        // A gap is reused, and case does not make a name free.
        QVERIFY(ok(QCoro::waitFor(m_store->remove(first->id))));
        QVERIFY(ok(QCoro::waitFor(m_store->create(named(u"WRITER (COPY)"_s)))));
        const auto third = QCoro::waitFor(m_store->duplicate(original->id));
        QVERIFY(ok(third));
        QCOMPARE(third->name, u"Writer (copy 3)"_s);
        QCOMPARE(names(), (QStringList{u"Writer"_s, u"Writer (copy 2)"_s, u"WRITER (COPY)"_s, u"Writer (copy 3)"_s}));

        const auto missing = QCoro::waitFor(m_store->duplicate(9999));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(u"no longer exists"_s), qPrintable(missing.error().message));
    }

    void namesAreUniqueAndNotBlank()
    {
        QVERIFY(ok(QCoro::waitFor(m_store->create(named(u"Research"_s)))));
        const auto clash = QCoro::waitFor(m_store->create(named(u"research "_s)));
        QVERIFY(!clash);
        QCOMPARE(clash.error().kind, Error::Kind::Configuration);
        QCOMPARE(clash.error().message,
                 u"An assistant named \u201cresearch\u201d already exists. Choose another name."_s);

        const auto other = QCoro::waitFor(m_store->create(named(u"Other"_s)));
        QVERIFY(ok(other));
        Assistant renamed = *other;
        renamed.name = u"RESEARCH"_s;
        const auto updateClash = QCoro::waitFor(m_store->update(renamed));
        QVERIFY(!updateClash);
        QVERIFY(updateClash.error().message.startsWith(u"An assistant named \u201cRESEARCH\u201d already exists"_s));

        const auto blank = QCoro::waitFor(m_store->create(named(u"   "_s)));
        QVERIFY(!blank);
        QCOMPARE(blank.error().message, u"An assistant needs a name. Type one and try again."_s);
        QCOMPARE(names(), (QStringList{u"Research"_s, u"Other"_s}));
    }

    void removeKeepsConversations()
    {
        const auto assistant = QCoro::waitFor(m_store->create(named(u"Temp"_s)));
        QVERIFY(ok(assistant));
        QVERIFY(rawValue(u"INSERT INTO conversations (title, created_at, updated_at, assistant_id)"
                         " VALUES ('Kept', 1, 1, %1) RETURNING id"_s.arg(assistant->id))
                    .toLongLong()
                > 0);
        QVERIFY(ok(QCoro::waitFor(m_store->remove(assistant->id))));
        QVERIFY(names().isEmpty());
        QCOMPARE(rawValue(u"SELECT count(*) FROM conversations WHERE title = 'Kept' AND assistant_id IS NULL"_s).toInt(),
                 1);
        // Removing it again is not an error: it is gone either way.
        QVERIFY(ok(QCoro::waitFor(m_store->remove(assistant->id))));

        const auto missing = QCoro::waitFor(m_store->update(*assistant));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::Database);
    }

    void ensureDefaultIsIdempotent()
    {
        const auto first = QCoro::waitFor(m_store->ensureDefault());
        QVERIFY(ok(first));
        QCOMPARE(first->size(), 1);
        Assistant expected = Assistant::makeDefault();
        expected.id = first->first().id;
        QCOMPARE(first->first(), expected);

        const auto second = QCoro::waitFor(m_store->ensureDefault());
        QVERIFY(ok(second));
        QCOMPARE(*second, *first);

        // Once the user has their own assistants, the default is not brought back.
        QVERIFY(ok(QCoro::waitFor(m_store->create(named(u"Mine"_s)))));
        QVERIFY(ok(QCoro::waitFor(m_store->remove(expected.id))));
        const auto third = QCoro::waitFor(m_store->ensureDefault());
        QVERIFY(ok(third));
        QCOMPARE(third->size(), 1);
        QCOMPARE(third->first().name, u"Mine"_s);
    }

    void saveAllAppliesTheDialogInOneGo()
    {
        const auto a = QCoro::waitFor(m_store->create(named(u"A"_s)));
        const auto b = QCoro::waitFor(m_store->create(named(u"B"_s)));
        const auto c = QCoro::waitFor(m_store->create(named(u"C"_s)));
        QVERIFY(ok(a) && ok(b) && ok(c));
        // B first, names of A and B swapped, C deleted, a new one last.
        Assistant first = *b;
        first.name = u"A"_s;
        first.topN = 3;
        Assistant second = *a;
        second.name = u"B"_s;
        const auto saved = QCoro::waitFor(m_store->saveAll({first, second, named(u"New"_s)}, {c->id}));
        QVERIFY(ok(saved));
        QCOMPARE(saved->size(), 3);
        QVERIFY(saved->at(2).id > 0);
        const auto listed = QCoro::waitFor(m_store->list());
        QVERIFY(ok(listed));
        QCOMPARE(*listed, *saved);
        QCOMPARE(listed->at(0).id, b->id);
        QCOMPARE(listed->at(0).topN, 3);
        QCOMPARE(names(), (QStringList{u"A"_s, u"B"_s, u"New"_s}));

        // A clash within the list fails as a whole and changes nothing.
        Assistant clash = listed->at(1);
        clash.name = u"a"_s;
        const auto refused = QCoro::waitFor(m_store->saveAll({listed->at(0), clash}, {listed->at(2).id}));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(u"already exists"_s), qPrintable(refused.error().message));
        QCOMPARE(names(), (QStringList{u"A"_s, u"B"_s, u"New"_s}));
    }
};

QTEST_GUILESS_MAIN(TestAssistantStore)
#include "tst_assistantstore.moc"
