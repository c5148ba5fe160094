// The canary-key test: a unique API key is stored in a real Secret Service, used for streamed
// answers by the shipped CLI, also handed over through RAGDESK_API_KEY, and the process is then
// crashed mid-stream. Afterwards the key must appear nowhere in the profile directory (databases,
// WAL, settings, logs) nor in anything the programs printed.

#include "core/llm/ProviderProfileStore.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using ragdesk::testing::FakeLlmServer;
using ragdesk::testing::shippedBinary;
using ragdesk::testing::TempProfile;

namespace {

/// Every encoding a key could be written in by mistake: UTF-8/Latin-1, UTF-16 and base64.
QList<QByteArray> encodingsOf(const QString &key)
{
    const QByteArray utf8 = key.toUtf8();
    return {utf8, QByteArray(reinterpret_cast<const char *>(key.utf16()), key.size() * 2), utf8.toBase64()};
}

} // namespace

class TestCanaryKey : public QObject
{
    Q_OBJECT

private:
    QByteArray m_printed; ///< everything the programs wrote to stdout and stderr

    int runCli(const QStringList &arguments, const QByteArray &input = {}, const QProcessEnvironment &env = {})
    {
        QProcess cli;
        if (!env.isEmpty())
            cli.setProcessEnvironment(env);
        cli.start(shippedBinary(u"ragdesk-cli"_s), arguments);
        if (!cli.waitForStarted(10000))
            return -1;
        cli.write(input);
        cli.closeWriteChannel();
        // The fake server lives in this process: wait with the event loop running, never blocked.
        QElapsedTimer clock;
        clock.start();
        while (cli.state() != QProcess::NotRunning && clock.elapsed() < 60000)
            QTest::qWait(20);
        if (cli.state() != QProcess::NotRunning) {
            cli.kill();
            cli.waitForFinished(5000);
            return -2;
        }
        m_printed += cli.readAllStandardOutput() + cli.readAllStandardError();
        return cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -3;
    }

private Q_SLOTS:
    void theKeyIsNowhereAfterUseAndACrash()
    {
        const QString canary = u"sk-canary-"_s + QUuid::createUuid().toString(QUuid::Id128);
        FakeLlmServer::Options options;
        options.requiredApiKey = canary;
        options.tokens = 6;
        FakeLlmServer server(options);
        TempProfile profile;

        ProviderSettings provider;
        provider.id = u"canary-provider"_s;
        provider.name = u"Canary"_s;
        provider.baseUrl = server.baseUrl();
        provider.model = u"fake-model"_s;
        provider.apiKey = canary; // the store must drop it
        ProviderProfileStore(profile.path()).save({provider}, provider.id);

        const QStringList inProfile{u"--profile"_s, profile.path()};
        QCOMPARE(runCli(inProfile + QStringList{u"key"_s, u"set"_s, provider.id}, canary.toUtf8() + '\n'), 0);
        QCOMPARE(runCli(inProfile + QStringList{u"key"_s, u"status"_s, provider.id}), 0);

        // The key comes from the keychain: the server answers only with it.
        QCOMPARE(runCli(inProfile + QStringList{u"chat"_s, u"--provider"_s, u"Canary"_s, u"Hello there"_s}), 0);
        QVERIFY2(m_printed.contains(options.replyText().toUtf8()), m_printed.constData());
        // Without it, the same request is refused, so the success above really used the key.
        QCOMPARE(runCli({u"chat"_s, u"--base-url"_s, server.baseUrl().toString(), u"Hello"_s}), 1);

        // A chat session that saves its messages, given the key through the environment, crashed
        // in the middle of an answer.
        options.tokens = 600;
        options.tokensPerSecond = 40;
        server.setOptions(options);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"RAGDESK_API_KEY"_s, canary);
        QProcess session;
        session.setProcessEnvironment(env);
        int started = 0;
        connect(&server, &FakeLlmServer::streamStarted, this, [&] { ++started; });
        session.start(shippedBinary(u"ragdesk-cli"_s),
                      inProfile + QStringList{u"bench-chat"_s, u"--base-url"_s, server.baseUrl().toString(), u"--model"_s,
                                              u"fake-model"_s, u"--sessions"_s, u"2"_s});
        QVERIFY(session.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(started >= 2, 20000);
        QTest::qWait(1500); // checkpoints of the streaming answers reach the database
        ::kill(static_cast<pid_t>(session.processId()), SIGABRT); // a crash, not a clean exit
        QVERIFY(session.waitForFinished(10000));
        QCOMPARE(session.exitStatus(), QProcess::CrashExit);
        m_printed += session.readAllStandardOutput() + session.readAllStandardError();

        const QList<QByteArray> needles = encodingsOf(canary);
        QStringList scanned;
        QDirIterator files(profile.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray bytes = file.readAll();
            for (const QByteArray &needle : needles)
                QVERIFY2(!bytes.contains(needle), qPrintable(u"the key is in "_s + path));
            scanned.append(QDir(profile.path()).relativeFilePath(path));
        }
        qInfo("scanned %s", qPrintable(scanned.join(u", "_s)));
        // The scan looked where a leak would be: the settings and the databases the crash left.
        QVERIFY(scanned.contains(u"settings.ini"_s));
        QVERIFY(scanned.contains(u"profile.db"_s));
        QVERIFY(std::any_of(scanned.cbegin(), scanned.cend(), [](const QString &f) { return f.endsWith(u"-wal"_s); }));
        for (const QByteArray &needle : needles)
            QVERIFY2(!m_printed.contains(needle), "a program printed the key");
    }
};

QTEST_GUILESS_MAIN(TestCanaryKey)
#include "tst_canarykey.moc"
