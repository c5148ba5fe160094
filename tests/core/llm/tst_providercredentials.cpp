// ProviderCredentials' precedence, and the keychain with no Secret Service at all: the session
// bus address points nowhere, HOME and the XDG dirs are a fresh temp dir, so the test can prove
// that a failed write left the key nowhere on disk.

#include "core/llm/KeychainCredentialStore.h"
#include "core/llm/ProviderCredentials.h"
#include "core/llm/SessionCredentialStore.h"

#include "tests/support/AwaitResult.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using ragdesk::CredentialStore;
using ragdesk::Error;
using ragdesk::KeychainCredentialStore;
using ragdesk::ProviderCredentials;
using ragdesk::SessionCredentialStore;
using ragdesk::testing::mustSucceed;

namespace {

const QString kSecret = u"sk-must-never-touch-disk-7f3a9c"_s;

/// Files under @p root whose bytes contain @p needle (as UTF-8 or UTF-16).
QStringList filesContaining(const QString &root, const QString &needle)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = file.readAll();
        const QByteArray utf16(reinterpret_cast<const char *>(needle.utf16()), needle.size() * 2);
        if (bytes.contains(needle.toUtf8()) || bytes.contains(utf16))
            hits << file.fileName();
    }
    return hits;
}

std::unique_ptr<ProviderCredentials> withoutKeychainService(QString environmentKey = {})
{
    return std::make_unique<ProviderCredentials>(std::make_unique<KeychainCredentialStore>(u"ragdesk-test"_s),
                                                 std::move(environmentKey));
}

} // namespace

class TestProviderCredentials : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;

    void expectUnavailable(const Error &error)
    {
        QCOMPARE(error.kind, Error::Kind::Unavailable);
        QVERIFY2(error.message.contains(u"No keychain service is running"_s), qPrintable(error.message));
        QVERIFY(!error.message.contains(kSecret));
        QVERIFY(!error.detail.contains(kSecret));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // Before the first QtKeychain call, which is when libsecret/GLib read these.
        for (const char *dir : {"home", "data", "config", "cache", "runtime", "cwd"})
            QVERIFY(QDir(m_root.path()).mkpath(QString::fromLatin1(dir)));
        qputenv("HOME", QFile::encodeName(m_root.filePath(u"home"_s)));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_root.filePath(u"data"_s)));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_root.filePath(u"config"_s)));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(m_root.filePath(u"cache"_s)));
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_root.filePath(u"runtime"_s)));
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ragdesk-test-bus");
        QVERIFY(QDir::setCurrent(m_root.filePath(u"cwd"_s)));
    }

    void keychainWithoutServiceIsUnavailable()
    {
        KeychainCredentialStore keychain(u"ragdesk-test"_s);
        auto written = QCoro::waitFor(keychain.writeKey(u"openai"_s, kSecret));
        QVERIFY(!written);
        expectUnavailable(written.error());
        auto read = QCoro::waitFor(keychain.readKey(u"openai"_s));
        QVERIFY(!read);
        expectUnavailable(read.error());
        // Nothing fell back to a file: not in HOME, the XDG dirs or the working directory.
        QCOMPARE(filesContaining(m_root.path(), kSecret), QStringList());
    }

    void noSilentFallback()
    {
        auto credentials = withoutKeychainService();
        auto written = QCoro::waitFor(credentials->writeKey(u"openai"_s, kSecret));
        QVERIFY(!written);
        expectUnavailable(written.error());
        auto read = QCoro::waitFor(credentials->readKey(u"openai"_s));
        QVERIFY(!read);
        expectUnavailable(read.error());
        QVERIFY(!credentials->isKeptInMemory(u"openai"_s));
    }

    void sessionKeyOnlyAfterExplicitChoice()
    {
        auto credentials = withoutKeychainService();
        credentials->keepInMemoryForSession(u"openai"_s, kSecret);
        QCOMPARE(mustSucceed(credentials->readKey(u"openai"_s)), kSecret);
        // The choice was for one provider only.
        auto other = QCoro::waitFor(credentials->readKey(u"anthropic"_s));
        QVERIFY(!other);
        QCOMPARE(other.error().kind, Error::Kind::Unavailable);

        // Forgetting the session key succeeds although the keychain is still missing.
        mustSucceed(credentials->removeKey(u"openai"_s));
        auto afterRemove = QCoro::waitFor(credentials->readKey(u"openai"_s));
        QVERIFY(!afterRemove);
        QCOMPARE(afterRemove.error().kind, Error::Kind::Unavailable);
        QCOMPARE(filesContaining(m_root.path(), kSecret), QStringList());
    }

    void environmentOverridesEverything()
    {
        auto credentials = withoutKeychainService(u"env-key"_s);
        QVERIFY(credentials->environmentOverrides());
        // Even with no keychain service: the environment is chosen per process, e.g. for CI.
        QCOMPARE(mustSucceed(credentials->readKey(u"openai"_s)), u"env-key"_s);
        credentials->keepInMemoryForSession(u"openai"_s, kSecret);
        QCOMPARE(mustSucceed(credentials->readKey(u"openai"_s)), u"env-key"_s);
    }

    void sessionKeyWinsOverKeychainUntilWrittenThere()
    {
        // A working "keychain" (the memory store stands in for it) to see the precedence.
        auto keychain = std::make_unique<SessionCredentialStore>();
        SessionCredentialStore *keychainView = keychain.get();
        keychainView->store(u"openai"_s, u"from-keychain"_s);
        ProviderCredentials credentials(std::move(keychain), QString());
        QCOMPARE(mustSucceed(credentials.readKey(u"openai"_s)), u"from-keychain"_s);

        credentials.keepInMemoryForSession(u"openai"_s, u"session-only"_s);
        QCOMPARE(mustSucceed(credentials.readKey(u"openai"_s)), u"session-only"_s);

        mustSucceed(credentials.writeKey(u"openai"_s, u"stored"_s));
        QVERIFY(!credentials.isKeptInMemory(u"openai"_s));
        QCOMPARE(keychainView->key(u"openai"_s), u"stored"_s);
        QCOMPARE(mustSucceed(credentials.readKey(u"openai"_s)), u"stored"_s);

        mustSucceed(credentials.removeKey(u"openai"_s));
        QCOMPARE(mustSucceed(credentials.readKey(u"openai"_s)), QString());
    }
};

QTEST_GUILESS_MAIN(TestProviderCredentials)
#include "tst_providercredentials.moc"
