// SettingsDialog: the connection test runs without blocking, and the key is handled with care.

#include "tests/support/EventLoopChecker.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/ui/UiFixture.h"
#include "ui/SettingsDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QPointer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void testConnectionListsTheModels()
    {
        FakeLlmServer::Options options;
        options.extraModels = { u"second-model"_s, u"third-model"_s };
        options.ttft = std::chrono::milliseconds(50);
        FakeLlmServer server(options);
        QNetworkAccessManager network;
        ProviderSettings current;
        current.baseUrl = server.baseUrl();
        SettingsDialog dialog(&network, current);
        dialog.open();

        QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
        EventLoopChecker loop;
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"testConnectionButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait());
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        auto *models = dialog.findChild<QComboBox *>(u"modelCombo"_s);
        QCOMPARE(models->count(), 3);
        QCOMPARE(models->currentText(), u"fake-model"_s);
        QVERIFY(dialog.findChild<QLabel *>(u"testStatus"_s)->text().contains(u"Connected"_s));
        QVERIFY(loop.maxGapMs() < 100);
    }

    void testConnectionShowsTheServersError()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http401;
        FakeLlmServer server(options);
        QNetworkAccessManager network;
        ProviderSettings current;
        current.baseUrl = server.baseUrl();
        SettingsDialog dialog(&network, current);
        QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
        dialog.testConnection();
        QVERIFY(finished.wait());
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        const QString status = dialog.findChild<QLabel *>(u"testStatus"_s)->text();
        QVERIFY2(status.contains(u"Invalid API key"_s), qPrintable(status));
    }

    void closingTheDialogAbortsItsConnectionTest()
    {
        // A server that accepts and never answers, so the test is still waiting when the dialog goes.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QPointer<QTcpSocket> connection;
        connect(&silent, &QTcpServer::newConnection, this, [&] { connection = silent.nextPendingConnection(); });
        QNetworkAccessManager network;
        ProviderSettings current;
        current.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()));
        auto *dialog = new SettingsDialog(&network, current);
        dialog->testConnection();
        QTRY_VERIFY(connection);
        QSignalSpy disconnected(connection.data(), &QTcpSocket::disconnected);
        delete dialog; // must abort the request, not leave a coroutine waiting for an answer
        QVERIFY(disconnected.wait(5000));
    }

    void fieldsBecomeSettingsAndTheKeyIsMasked()
    {
        QNetworkAccessManager network;
        ProviderSettings current;
        current.baseUrl = QUrl(u"http://localhost:11434/v1"_s);
        current.model = u"llama3.2"_s;
        current.maxConnections = 7;
        SettingsDialog dialog(&network, current);
        auto *key = dialog.findChild<QLineEdit *>(u"apiKeyEdit"_s);
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        key->setText(u" sk-123 "_s);
        dialog.findChild<QLineEdit *>(u"baseUrlEdit"_s)->setText(u"https://api.openai.com/v1"_s);
        dialog.findChild<QComboBox *>(u"modelCombo"_s)->setEditText(u"gpt-4o-mini"_s);
        const ProviderSettings settings = dialog.settings();
        QCOMPARE(settings.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
        QCOMPARE(settings.model, u"gpt-4o-mini"_s);
        QCOMPARE(settings.apiKey, u"sk-123"_s);
        QCOMPARE(settings.maxConnections, 7);
    }

    void okRefusesABadUrl()
    {
        QNetworkAccessManager network;
        SettingsDialog dialog(&network, ProviderSettings {});
        dialog.open();
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.findChild<QLineEdit *>(u"baseUrlEdit"_s)->setText(u"ftp://example.com"_s);
        dialog.accept();
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.findChild<QLabel *>(u"testStatus"_s)->text().contains(u"http"_s));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
