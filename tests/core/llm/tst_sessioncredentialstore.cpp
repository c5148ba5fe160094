#include "core/llm/SessionCredentialStore.h"

#include "tests/support/AwaitResult.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::SessionCredentialStore;
using ragdesk::testing::mustSucceed;

class TestSessionCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyUntilWritten()
    {
        SessionCredentialStore store;
        QCOMPARE(mustSucceed(store.readKey(u"openai"_s)), QString());
        QVERIFY(!store.contains(u"openai"_s));
    }

    void writeOverwriteRemove()
    {
        SessionCredentialStore store;
        mustSucceed(store.writeKey(u"openai"_s, u"one"_s));
        mustSucceed(store.writeKey(u"openai"_s, u"two"_s));
        QCOMPARE(mustSucceed(store.readKey(u"openai"_s)), u"two"_s);
        mustSucceed(store.removeKey(u"openai"_s));
        QCOMPARE(mustSucceed(store.readKey(u"openai"_s)), QString());
        mustSucceed(store.removeKey(u"openai"_s)); // removing nothing succeeds
    }

    void providersAndInstancesDoNotMix()
    {
        SessionCredentialStore store;
        store.store(u"a"_s, u"key-a"_s);
        store.store(u"b"_s, u"key-b"_s);
        QVERIFY(store.forget(u"a"_s));
        QVERIFY(!store.forget(u"a"_s));
        QCOMPARE(store.key(u"b"_s), u"key-b"_s);
        QCOMPARE(mustSucceed(SessionCredentialStore().readKey(u"b"_s)), QString());
    }

    void emptyKeyMeansNone()
    {
        SessionCredentialStore store;
        store.store(u"a"_s, u"key-a"_s);
        mustSucceed(store.writeKey(u"a"_s, QString()));
        QVERIFY(!store.contains(u"a"_s));
    }
};

QTEST_GUILESS_MAIN(TestSessionCredentialStore)
#include "tst_sessioncredentialstore.moc"
