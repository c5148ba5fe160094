// Runs against a real Secret Service: ctest starts it through tests/support/with-secret-service.

#include "core/llm/KeychainCredentialStore.h"

#include "tests/support/AwaitResult.h"

#include <QProcess>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using ragdesk::Error;
using ragdesk::KeychainCredentialStore;
using ragdesk::testing::mustSucceed;

class TestKeychainCredentialStore : public QObject
{
    Q_OBJECT

private:
    // A service name per run, so a keyring shared by accident could never mix runs.
    const QString m_service = u"ragdesk-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);

    /// What secret-tool, a client independent of QtKeychain, finds in the keyring.
    QString lookUpWithSecretTool(const QString &providerId) const
    {
        QProcess tool;
        // QtKeychain's libsecret schema stores the service as "server" and the key name as "user".
        tool.start(u"secret-tool"_s, {u"lookup"_s, u"server"_s, m_service, u"user"_s, providerId});
        if (!tool.waitForFinished(30000))
            qFatal("secret-tool did not finish");
        return QString::fromUtf8(tool.readAllStandardOutput());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "run through tests/support/with-secret-service, which starts a private Secret Service");
        // Fail, never skip, without the service: a keychain test that cannot reach one proves nothing.
        KeychainCredentialStore store(m_service);
        auto probe = QCoro::waitFor(store.readKey(u"probe"_s));
        QVERIFY2(probe.has_value(), qPrintable(probe ? QString() : probe.error().message + u" / "_s + probe.error().detail));
    }

    void writeReadOverwriteRemove()
    {
        KeychainCredentialStore store(m_service);
        mustSucceed(store.writeKey(u"openai"_s, u"sk-first"_s));
        QCOMPARE(mustSucceed(store.readKey(u"openai"_s)), u"sk-first"_s);
        QCOMPARE(lookUpWithSecretTool(u"openai"_s), u"sk-first"_s);

        mustSucceed(store.writeKey(u"openai"_s, u"sk-second"_s));
        QCOMPARE(mustSucceed(store.readKey(u"openai"_s)), u"sk-second"_s);

        // A second instance shares nothing in memory with the first, so this reads the keyring.
        KeychainCredentialStore other(m_service);
        QCOMPARE(mustSucceed(other.readKey(u"openai"_s)), u"sk-second"_s);

        mustSucceed(store.removeKey(u"openai"_s));
        QCOMPARE(mustSucceed(store.readKey(u"openai"_s)), QString());
        QCOMPARE(lookUpWithSecretTool(u"openai"_s), QString());
    }

    void missingEntryIsEmptyAndRemovable()
    {
        KeychainCredentialStore store(m_service);
        QCOMPARE(mustSucceed(store.readKey(u"never-stored"_s)), QString());
        mustSucceed(store.removeKey(u"never-stored"_s));
    }

    void providersDoNotMix()
    {
        KeychainCredentialStore store(m_service);
        mustSucceed(store.writeKey(u"alpha"_s, u"key-alpha"_s));
        mustSucceed(store.writeKey(u"beta"_s, u"key-beta"_s));
        QCOMPARE(mustSucceed(store.readKey(u"alpha"_s)), u"key-alpha"_s);
        QCOMPARE(mustSucceed(store.readKey(u"beta"_s)), u"key-beta"_s);
        mustSucceed(store.removeKey(u"alpha"_s));
        QCOMPARE(mustSucceed(store.readKey(u"alpha"_s)), QString());
        QCOMPARE(mustSucceed(store.readKey(u"beta"_s)), u"key-beta"_s);
        mustSucceed(store.removeKey(u"beta"_s));
    }

    void servicesDoNotMix()
    {
        KeychainCredentialStore store(m_service);
        KeychainCredentialStore otherService(m_service + u"-other"_s);
        mustSucceed(store.writeKey(u"shared-id"_s, u"key-of-first-service"_s));
        QCOMPARE(mustSucceed(otherService.readKey(u"shared-id"_s)), QString());
        mustSucceed(store.removeKey(u"shared-id"_s));
    }

    void longUnicodeKeyRoundTrips()
    {
        // 4 KB of mixed scripts and an astral-plane character: the key is stored as UTF-8 text.
        QString key;
        const QString piece = u"sk-ключ-鍵-🔑-ü-"_s;
        while (key.toUtf8().size() < 4096)
            key += piece;
        KeychainCredentialStore store(m_service);
        mustSucceed(store.writeKey(u"unicode"_s, key));
        QCOMPARE(mustSucceed(KeychainCredentialStore(m_service).readKey(u"unicode"_s)), key);
        QCOMPARE(lookUpWithSecretTool(u"unicode"_s), key);
        mustSucceed(store.removeKey(u"unicode"_s));
    }
};

QTEST_GUILESS_MAIN(TestKeychainCredentialStore)
#include "tst_keychaincredentialstore.moc"
