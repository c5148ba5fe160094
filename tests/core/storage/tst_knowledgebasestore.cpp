#include "core/storage/KnowledgeBaseStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::mustSucceed;

namespace {
QStringList names(const QList<KnowledgeBase> &list)
{
    QStringList out;
    for (const auto &kb : list)
        out.append(kb.name);
    return out;
}
} // namespace

class TestKnowledgeBaseStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TempProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<KnowledgeBaseStore> m_store;

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::TempProfile>();
        QVERIFY(m_profile->isValid());
        m_database = mustSucceed(ProfileDatabase::open(m_profile->path()));
        m_store = std::make_unique<KnowledgeBaseStore>(m_database);
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void createsAndLists()
    {
        const auto before = QDateTime::currentDateTimeUtc().addSecs(-1);
        const auto manuals = mustSucceed(m_store->create(u"  Manuals "_s, {300, 30}, u"de"_s));
        QVERIFY(manuals.id > 0);
        QCOMPARE(manuals.name, u"Manuals"_s); // trimmed
        QCOMPARE(manuals.chunking.targetTokens, 300);
        QCOMPARE(manuals.chunking.overlapTokens, 30);
        QCOMPARE(manuals.language, u"de"_s);
        QVERIFY(manuals.createdAt >= before);
        mustSucceed(m_store->create(u"articles"_s, {}, u"en"_s));

        const auto all = mustSucceed(m_store->list());
        QCOMPARE(names(all), (QStringList{u"articles"_s, u"Manuals"_s})); // by name, case-insensitively
        QCOMPARE(all.at(1).id, manuals.id);
        QCOMPARE(all.at(1).chunking.targetTokens, 300);
        QCOMPARE(all.at(1).language, u"de"_s);
        QCOMPARE(all.at(1).createdAt, manuals.createdAt);
    }

    void refusesDuplicateAndBlankNames()
    {
        mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        const auto duplicate = QCoro::waitFor(m_store->create(u"MANUALS"_s, {}, u"en"_s));
        QVERIFY(!duplicate);
        QCOMPARE(duplicate.error().kind, Error::Kind::Configuration);
        QVERIFY2(duplicate.error().message.contains(u"already exists"_s), qPrintable(duplicate.error().message));
        const auto blank = QCoro::waitFor(m_store->create(u"   "_s, {}, u"en"_s));
        QVERIFY(!blank);
        QVERIFY2(blank.error().message.contains(u"needs a name"_s), qPrintable(blank.error().message));
        QCOMPARE(mustSucceed(m_store->list()).size(), 1);
    }

    void findsByNameCaseInsensitively()
    {
        const auto kb = mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        const auto found = mustSucceed(m_store->byName(u"mAnUaLs"_s));
        QVERIFY(found);
        QCOMPARE(found->id, kb.id);
        QVERIFY(!mustSucceed(m_store->byName(u"Other"_s)));
    }

    void renames()
    {
        const auto kb = mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        mustSucceed(m_store->create(u"Other"_s, {}, u"en"_s));
        QVERIFY(QCoro::waitFor(m_store->rename(kb.id, u"Guides"_s)));
        QCOMPARE(mustSucceed(m_store->byName(u"guides"_s))->id, kb.id);

        const auto clash = QCoro::waitFor(m_store->rename(kb.id, u"other"_s));
        QVERIFY(!clash);
        QVERIFY2(clash.error().message.contains(u"already exists"_s), qPrintable(clash.error().message));
        QVERIFY(!QCoro::waitFor(m_store->rename(kb.id, u""_s)));
        const auto missing = QCoro::waitFor(m_store->rename(kb.id + 100, u"Nope"_s));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(u"no longer exists"_s), qPrintable(missing.error().message));
    }

    void updatesSettings()
    {
        const auto kb = mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        QVERIFY(QCoro::waitFor(m_store->updateSettings(kb.id, {1000, 100}, u"fr"_s)));
        const auto updated = mustSucceed(m_store->byName(u"Manuals"_s));
        QCOMPARE(updated->chunking.targetTokens, 1000);
        QCOMPARE(updated->chunking.overlapTokens, 100);
        QCOMPARE(updated->language, u"fr"_s);
        QVERIFY(!QCoro::waitFor(m_store->updateSettings(kb.id + 1, {}, u"en"_s)));
    }

    void removesWithItsSources()
    {
        const auto kb = mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        const auto other = mustSucceed(m_store->create(u"Other"_s, {}, u"en"_s));
        mustSucceed(m_store->addSource(kb.id, u"/docs"_s, true, true));
        mustSucceed(m_store->addSource(other.id, u"/other"_s, true, true));
        QVERIFY(QCoro::waitFor(m_store->remove(kb.id)));
        QCOMPARE(names(mustSucceed(m_store->list())), QStringList{u"Other"_s});
        QVERIFY(mustSucceed(m_store->sources(kb.id)).isEmpty());
        QCOMPARE(mustSucceed(m_store->watchedFolders()).size(), 1);
        QVERIFY(!QCoro::waitFor(m_store->remove(kb.id)));
    }

    void addsSourcesIdempotently()
    {
        const auto kb = mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        const auto first = mustSucceed(m_store->addSource(kb.id, u"/docs/./manuals/"_s, true, false));
        QVERIFY(first.id > 0);
        QCOMPARE(first.knowledgeBaseId, kb.id);
        QCOMPARE(first.path, u"/docs/manuals"_s); // cleaned
        QVERIFY(first.isFolder);
        QVERIFY(!first.watched);
        const auto again = mustSucceed(m_store->addSource(kb.id, u"/docs/manuals"_s, true, true));
        QCOMPARE(again.id, first.id);
        QVERIFY(again.watched);
        mustSucceed(m_store->addSource(kb.id, u"/docs/a.pdf"_s, false, false));

        const auto sources = mustSucceed(m_store->sources(kb.id));
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources.at(0).path, u"/docs/manuals"_s);
        QVERIFY(sources.at(0).watched);
        QCOMPARE(sources.at(1).path, u"/docs/a.pdf"_s);
        QVERIFY(!sources.at(1).isFolder);
    }

    void refusesSourceOfMissingKnowledgeBase()
    {
        const auto missing = QCoro::waitFor(m_store->addSource(999, u"/docs"_s, true, true));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(u"no longer exists"_s), qPrintable(missing.error().message));
        QVERIFY(!QCoro::waitFor(m_store->addSource(999, u""_s, true, true)));
    }

    void removesSources()
    {
        const auto kb = mustSucceed(m_store->create(u"Manuals"_s, {}, u"en"_s));
        mustSucceed(m_store->addSource(kb.id, u"/docs"_s, true, true));
        QCOMPARE(mustSucceed(m_store->removeSource(kb.id, u"/docs/"_s)), true);
        QCOMPARE(mustSucceed(m_store->removeSource(kb.id, u"/docs"_s)), false);
        QVERIFY(mustSucceed(m_store->sources(kb.id)).isEmpty());
    }

    void listsWatchedFoldersOfAllKnowledgeBases()
    {
        const auto a = mustSucceed(m_store->create(u"A"_s, {}, u"en"_s));
        const auto b = mustSucceed(m_store->create(u"B"_s, {}, u"en"_s));
        mustSucceed(m_store->addSource(a.id, u"/a/watched"_s, true, true));
        mustSucceed(m_store->addSource(a.id, u"/a/unwatched"_s, true, false));
        mustSucceed(m_store->addSource(b.id, u"/b/file.txt"_s, false, false));
        mustSucceed(m_store->addSource(b.id, u"/b/watched"_s, true, true));
        const auto watched = mustSucceed(m_store->watchedFolders());
        QCOMPARE(watched.size(), 2);
        QCOMPARE(watched.at(0).path, u"/a/watched"_s);
        QCOMPARE(watched.at(0).knowledgeBaseId, a.id);
        QCOMPARE(watched.at(1).path, u"/b/watched"_s);
        QCOMPARE(watched.at(1).knowledgeBaseId, b.id);
    }

    void eventLoopTurnsWhileAwaiting()
    {
        // Writes until the loop has ticked a few times. Were the SQL run on this thread, every
        // awaited result would be ready at once, the coroutine would never yield, and the loop
        // would not tick at all before the cap.
        testing::EventLoopChecker loop;
        const int created = QCoro::waitFor([](KnowledgeBaseStore *store, testing::EventLoopChecker *checker)
                                               -> QCoro::Task<int> {
            int count = 0;
            while (!*checker && count < 5000) {
                if (!co_await store->create(u"kb %1"_s.arg(count), {}, u"en"_s))
                    co_return -1;
                ++count;
            }
            co_return count;
        }(m_store.get(), &loop));
        loop.stop();
        QVERIFY(created > 0);
        QVERIFY2(loop, qPrintable(u"ticks %1 after %2 writes"_s.arg(loop.ticks()).arg(created)));
        QCOMPARE(QCoro::waitFor(m_store->list()).value_or(QList<KnowledgeBase>{}).size(), created);
    }
};

QTEST_GUILESS_MAIN(TestKnowledgeBaseStore)
#include "tst_knowledgebasestore.moc"
