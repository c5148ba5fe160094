// SettingsDialog: provider profiles from presets, keys that go only to the keychain (or, by
// choice, memory), validation, and Fetch models / Test against the fake server without blocking.

#include "core/llm/ProviderPresets.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/ui/FakeCredentialStore.h"
#include "ui/AppTheme.h"
#include "ui/NetworkProxyPage.h"
#include "ui/ProviderEditor.h"
#include "ui/ProviderListPage.h"
#include "ui/SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QPixmap>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QCryptographicHash>
#include <QSslCertificate>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

ProviderSettings localProfile(const QUrl &url = QUrl(u"http://localhost:11434/v1"_s))
{
    ProviderSettings p;
    p.id = u"local-id"_s;
    p.name = u"Local"_s;
    p.baseUrl = url;
    p.model = u"fake-model"_s;
    return p;
}

template<typename T>
T *child(const QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

QAction *presetAction(SettingsDialog &dialog, const QString &label)
{
    for (QAction *action : dialog.providerPage()->presetMenu()->actions()) {
        if (action->text() == label)
            return action;
    }
    return nullptr;
}

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addFromPresetFillsDefaults()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.open();
        QAction *anthropic = presetAction(dialog, u"Anthropic"_s);
        QVERIFY(anthropic);
        anthropic->trigger();
        QCOMPARE(dialog.providerPage()->list()->count(), 2);
        QCOMPARE(child<QComboBox>(&dialog, u"kindCombo"_s)->currentData().toInt(), int(ProviderKind::Anthropic));
        QCOMPARE(child<QLineEdit>(&dialog, u"baseUrlEdit"_s)->text(), u"https://api.anthropic.com"_s);
        QCOMPARE(child<QComboBox>(&dialog, u"modelCombo"_s)->currentText(), u"claude-sonnet-4-5"_s);
        QVERIFY(dialog.providerPage()->list()->currentItem()->text().contains(u"Anthropic"_s));

        presetAction(dialog, u"OpenRouter"_s)->trigger();
        const QList<ProviderSettings> providers = dialog.providers();
        QCOMPARE(providers.size(), 3);
        QCOMPARE(providers.at(2).extraHeaders.size(), 2);
        QCOMPARE(dialog.currentProviderId(), providers.at(2).id);
        QVERIFY(providers.at(1).id != providers.at(2).id);
    }

    void ctrlNOpensThePresetMenu()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.show();
        dialog.activateWindow(); // shortcuts only fire in the active window
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        QTest::keyClick(&dialog, Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY(dialog.providerPage()->presetMenu()->isVisible());
        dialog.providerPage()->presetMenu()->close();
    }

    void editDuplicateAndRemove()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        keys.keys.insert(u"local-id"_s, u"sk-shared"_s);
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.show();
        dialog.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        auto *name = child<QLineEdit>(&dialog, u"nameEdit"_s);
        name->clear();
        QTest::keyClicks(name, u"Workstation"_s);
        QVERIFY(dialog.providerPage()->list()->item(0)->text().startsWith(u"Workstation"_s));
        auto *remove = child<QPushButton>(&dialog, u"removeProviderButton"_s);
        QVERIFY(!remove->isEnabled()); // the last provider cannot go

        QTest::mouseClick(child<QPushButton>(&dialog, u"duplicateProviderButton"_s), Qt::LeftButton);
        QList<ProviderSettings> providers = dialog.providers();
        QCOMPARE(providers.size(), 2);
        QCOMPARE(providers.at(1).name, u"Workstation 2"_s);
        QVERIFY(providers.at(1).id != u"local-id"_s);
        QCOMPARE(providers.at(1).baseUrl, providers.at(0).baseUrl);

        // Del on the list asks first; Cancel keeps it, Yes removes it.
        dialog.providerPage()->list()->setFocus();
        QTest::keyClick(dialog.providerPage()->list(), Qt::Key_Delete);
        QTRY_VERIFY(dialog.providerPage()->confirmation() && dialog.providerPage()->confirmation()->isVisible());
        dialog.providerPage()->confirmation()->button(QMessageBox::Cancel)->click();
        QCOMPARE(dialog.providers().size(), 2);
        QTest::keyClick(dialog.providerPage()->list(), Qt::Key_Delete);
        QTRY_VERIFY(dialog.providerPage()->confirmation() && dialog.providerPage()->confirmation()->isVisible());
        dialog.providerPage()->confirmation()->button(QMessageBox::Yes)->click();
        QTRY_COMPARE(dialog.providers().size(), 1);
        QCOMPARE(dialog.providers().at(0).name, u"Workstation"_s);
        QVERIFY(!remove->isEnabled());
    }

    void theKeyGoesToTheKeychainOnOkOnly()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        keys.keys.insert(u"local-id"_s, u"sk-old"_s);
        ProviderSettings second = localProfile();
        second.id = u"second-id"_s;
        second.name = u"Second"_s;
        keys.keys.insert(u"second-id"_s, u"sk-second"_s);
        SettingsDialog dialog(&network, &keys, { localProfile(), second }, u"local-id"_s, {});
        dialog.open();
        auto *key = child<QLineEdit>(&dialog, u"apiKeyEdit"_s);
        QTRY_COMPARE(key->text(), u"sk-old"_s);
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        QVERIFY(key->placeholderText().contains(u"keychain"_s));
        key->setText(u"canary-123"_s);
        QCOMPARE(keys.writes, 0); // nothing is written before OK

        // Remove the second profile: its key must go from the keychain too.
        dialog.providerPage()->select(u"second-id"_s);
        dialog.providerPage()->removeCurrent();
        QTRY_VERIFY(dialog.providerPage()->confirmation());
        dialog.providerPage()->confirmation()->button(QMessageBox::Yes)->click();

        for (const ProviderSettings &p : dialog.providers())
            QVERIFY(p.apiKey.isEmpty());
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.accept();
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(keys.keys.value(u"local-id"_s), u"canary-123"_s);
        QVERIFY(!keys.keys.contains(u"second-id"_s));
        QVERIFY(dialog.sessionOnlyKeys().isEmpty());
    }

    void clearingTheKeyRemovesIt()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        keys.keys.insert(u"local-id"_s, u"sk-old"_s);
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.open();
        auto *key = child<QLineEdit>(&dialog, u"apiKeyEdit"_s);
        QTRY_COMPARE(key->text(), u"sk-old"_s);
        key->clear();
        dialog.accept();
        QTRY_VERIFY(!keys.keys.contains(u"local-id"_s));
        QCOMPARE(keys.writes, 0);
    }

    void anUnavailableKeychainOffersSessionOnly()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        keys.unavailable = true;
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *problem = child<QLabel>(&dialog, u"keyProblem"_s);
        auto *sessionOnly = child<QCheckBox>(&dialog, u"sessionOnlyCheck"_s);
        QTRY_VERIFY(problem->isVisible());
        QVERIFY(problem->text().contains(u"keychain"_s));
        QVERIFY(sessionOnly->isVisible());
        child<QLineEdit>(&dialog, u"apiKeyEdit"_s)->setText(u"sk-session"_s);

        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.accept(); // not kept anywhere yet: OK must not pretend it was saved
        QTRY_VERIFY(child<QLabel>(&dialog, u"validationMessage"_s)->isVisible());
        QCOMPARE(accepted.count(), 0);

        sessionOnly->setChecked(true);
        dialog.accept();
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(dialog.sessionOnlyKeys().value(u"local-id"_s), u"sk-session"_s);
        QVERIFY(keys.keys.isEmpty());
        QVERIFY(dialog.providers().at(0).apiKey.isEmpty());
    }

    void validationBlocksOk_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("no name") << u"nameEdit"_s << QString() << u"name"_s;
        QTest::newRow("ftp url") << u"baseUrlEdit"_s << u"ftp://example.com"_s << u"http"_s;
        QTest::newRow("no url") << u"baseUrlEdit"_s << QString() << u"URL"_s;
        QTest::newRow("no model") << u"modelCombo"_s << QString() << u"model"_s;
    }

    void validationBlocksOk()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.open();
        if (auto *combo = dialog.findChild<QComboBox *>(field))
            combo->setEditText(value);
        else
            child<QLineEdit>(&dialog, field)->setText(value);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.accept();
        QTest::qWait(20); // the assertion is that nothing is accepted
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        auto *validation = child<QLabel>(&dialog, u"validationMessage"_s);
        QVERIFY2(validation->text().contains(message), qPrintable(validation->text()));
    }

    void manualProxyNeedsAHost()
    {
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile() }, u"local-id"_s, {});
        dialog.open();
        child<QRadioButton>(&dialog, u"proxyManualRadio"_s)->setChecked(true);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.accept();
        QCOMPARE(accepted.count(), 0);
        child<QLineEdit>(&dialog, u"proxyHostEdit"_s)->setText(u"proxy.lan"_s);
        dialog.accept();
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(dialog.proxy().mode, NetworkProxySettings::Mode::Manual);
        QCOMPARE(dialog.proxy().host, u"proxy.lan"_s);
    }

    void fetchModelsFillsTheCombo()
    {
        FakeLlmServer::Options options;
        options.extraModels = { u"second-model"_s, u"third-model"_s };
        FakeLlmServer server(options);
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile(server.baseUrl()) }, u"local-id"_s, {});
        dialog.open();
        EventLoopChecker loop;
        QTest::mouseClick(child<QPushButton>(&dialog, u"fetchModelsButton"_s), Qt::LeftButton);
        auto *models = child<QComboBox>(&dialog, u"modelCombo"_s);
        QTRY_COMPARE(models->count(), 3);
        QCOMPARE(models->currentText(), u"fake-model"_s);
        QVERIFY(child<QLabel>(&dialog, u"fetchStatus"_s)->text().contains(u"3"_s));
        QVERIFY(loop.maxGapMs() < 100);
    }

    void testReportsTheFirstToken()
    {
        FakeLlmServer::Options options;
        options.reply = u"ready"_s;
        options.ttft = std::chrono::milliseconds(60);
        FakeLlmServer server(options);
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile(server.baseUrl()) }, u"local-id"_s, {});
        dialog.open();
        QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
        QTest::mouseClick(child<QPushButton>(&dialog, u"testButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait());
        const QString status = child<QLabel>(&dialog, u"testStatus"_s)->text();
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(status));
        QVERIFY2(status.startsWith(u"First token after "_s) && status.contains(u"“ready”"_s), qPrintable(status));
    }

    void testShowsTheServersError()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http401;
        FakeLlmServer server(options);
        QNetworkAccessManager network;
        SettingsDialog dialog(&network, localProfile(server.baseUrl()));
        QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
        dialog.testConnection();
        QVERIFY(finished.wait());
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        const QString status = child<QLabel>(&dialog, u"testStatus"_s)->text();
        QVERIFY2(status.contains(u"Invalid API key"_s), qPrintable(status));
    }

    void anUntrustedCertificateCanBeTrustedForThisProvider()
    {
        FakeLlmServer server(FakeLlmServer::Options{});
        QVERIFY(server.listenTls());
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys, { localProfile(server.baseUrl()) }, u"local-id"_s, {});
        dialog.open();
        QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
        auto *trust = child<QPushButton>(&dialog, u"trustCertificateButton"_s);
        QVERIFY(!trust->isVisible());
        QTest::mouseClick(child<QPushButton>(&dialog, u"testButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait());
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(child<QLabel>(&dialog, u"testStatus"_s)->text().contains(u"SHA-256"_s),
                 qPrintable(child<QLabel>(&dialog, u"testStatus"_s)->text()));
        QVERIFY(trust->isVisible());

        QTest::mouseClick(trust, Qt::LeftButton);
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = dialog.findChild<QMessageBox *>()) && confirm->isVisible());
        QVERIFY(confirm->informativeText().contains(
            QString::fromLatin1(FakeLlmServer::testCertificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper())));
        QAbstractButton *accept = nullptr;
        for (QAbstractButton *button : confirm->buttons()) {
            if (confirm->buttonRole(button) == QMessageBox::AcceptRole)
                accept = button;
        }
        QVERIFY(accept);
        accept->click();
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(child<QLabel>(&dialog, u"testStatus"_s)->text()));
        dialog.accept();
        QTRY_VERIFY(dialog.result() == QDialog::Accepted);
        QCOMPARE(QSslCertificate::fromData(dialog.providers().constFirst().trustedCertificatesPem),
                 QList<QSslCertificate>{FakeLlmServer::testCertificate()});
    }

    void closingTheDialogAbortsItsTest()
    {
        // A server that accepts and never answers, so the test is still waiting when the dialog goes.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QPointer<QTcpSocket> connection;
        connect(&silent, &QTcpServer::newConnection, this, [&] { connection = silent.nextPendingConnection(); });
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        auto *dialog = new SettingsDialog(&network, &keys,
            { localProfile(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()))) }, u"local-id"_s, {});
        dialog->open();
        dialog->testConnection();
        QTRY_VERIFY(connection);
        QSignalSpy disconnected(connection.data(), &QTcpSocket::disconnected);
        dialog->reject(); // must abort the request, not leave a coroutine waiting for an answer
        QVERIFY(disconnected.wait(5000));
        delete dialog;
    }

    void theTestCanBeCancelledAndSwitchingProfilesAbandonsIt()
    {
        QTcpServer silent; // accepts and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QNetworkAccessManager network;
        FakeCredentialStore keys;
        SettingsDialog dialog(&network, &keys,
            { localProfile(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()))) }, u"local-id"_s, {});
        dialog.open();
        QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
        auto *test = child<QPushButton>(&dialog, u"testButton"_s);
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(test->text().contains(u"Cancel"_s));
        QTest::mouseClick(test, Qt::LeftButton); // the same button cancels
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(child<QLabel>(&dialog, u"testStatus"_s)->text(), u"Test cancelled."_s);

        QTest::mouseClick(test, Qt::LeftButton);
        presetAction(dialog, u"vLLM"_s)->trigger(); // shows the new profile
        QTest::qWait(50); // the assertion is that the abandoned test reports nothing
        QCOMPARE(finished.count(), 1);
        QVERIFY(!test->text().contains(u"Cancel"_s));
    }

    void theSingleProviderFormStillWorks()
    {
        QNetworkAccessManager network;
        ProviderSettings current;
        current.baseUrl = QUrl(u"http://localhost:11434/v1"_s);
        current.model = u"llama3.2"_s;
        current.maxConnections = 7;
        SettingsDialog dialog(&network, current);
        auto *key = child<QLineEdit>(&dialog, u"apiKeyEdit"_s);
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        QVERIFY(key->placeholderText().contains(u"session"_s));
        key->setText(u" sk-123 "_s);
        child<QLineEdit>(&dialog, u"baseUrlEdit"_s)->setText(u"https://api.openai.com/v1"_s);
        child<QComboBox>(&dialog, u"modelCombo"_s)->setEditText(u"gpt-4o-mini"_s);
        const ProviderSettings settings = dialog.settings();
        QCOMPARE(settings.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
        QCOMPARE(settings.model, u"gpt-4o-mini"_s);
        QCOMPARE(settings.apiKey, u"sk-123"_s);
        QCOMPARE(settings.maxConnections, 7);
        QCOMPARE(dialog.sessionOnlyKeys().value(settings.id), u"sk-123"_s);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.accept();
        QCOMPARE(accepted.count(), 1); // no keychain: accepted at once
    }

    void screenshots()
    {
        const QString dir = qEnvironmentVariable("RAGDESK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set RAGDESK_SCREENSHOT_DIR to write screenshots");
        QList<QPixmap> shots;
        FakeLlmServer::Options options;
        options.reply = u"ready"_s;
        options.ttft = std::chrono::milliseconds(380);
        FakeLlmServer server(options);
        for (const auto &[mode, name] : { std::pair { ThemeMode::Light, u"light"_s }, std::pair { ThemeMode::Dark, u"dark"_s } }) {
            AppTheme().apply(mode);
            QNetworkAccessManager network;
            FakeCredentialStore keys;
            // Light: a local server after a test. Dark: a hosted one, with no keychain running.
            keys.unavailable = mode == ThemeMode::Dark;
            ProviderSettings local = localProfile(server.baseUrl());
            local.name = u"llama.cpp on the GPU box"_s;
            SettingsDialog dialog(&network, &keys, { local }, u"local-id"_s, {});
            presetAction(dialog, u"OpenRouter"_s)->trigger();
            presetAction(dialog, u"Ollama"_s)->trigger();
            presetAction(dialog, u"Anthropic"_s)->trigger();
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            if (mode == ThemeMode::Light) {
                dialog.providerPage()->select(u"local-id"_s);
                QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
                dialog.testConnection();
                QVERIFY(finished.wait());
            } else {
                dialog.providerPage()->select(dialog.providers().at(1).id);
                QTRY_VERIFY(child<QLabel>(&dialog, u"keyProblem"_s)->isVisible());
            }
            QTest::qWait(50);
            shots.append(dialog.grab());
            QVERIFY(shots.last().save(QDir(dir).filePath(u"settings-providers-%1.png"_s.arg(name))));
        }
        AppTheme().apply(ThemeMode::Light);
        // Light and dark side by side, for the README.
        QPixmap both(shots.at(0).width() + shots.at(1).width() + 16, std::max(shots.at(0).height(), shots.at(1).height()));
        both.setDevicePixelRatio(1);
        both.fill(Qt::transparent);
        QPainter painter(&both);
        painter.drawPixmap(0, 0, shots.at(0));
        painter.drawPixmap(shots.at(0).width() + 16, 0, shots.at(1));
        painter.end();
        QVERIFY(both.save(QDir(dir).filePath(u"settings-providers.png"_s)));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
