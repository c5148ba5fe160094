// ChatTab's error banner and first-start guide, in the real window.

#include "core/chat/ChatSession.h"
#include "core/llm/ChatProvider.h"
#include "tests/ui/UiFixture.h"
#include "ui/ChatTab.h"
#include "ui/ErrorBanner.h"
#include "ui/MessageView.h"
#include "ui/SettingsDialog.h"
#include "ui/WelcomePanel.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

class TestChatTab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverErrorShowsBannerAndRetryRecovers()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http500;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        ErrorBanner *banner = tab->errorBanner();
        QVERIFY(!banner->isVisible());

        UiFixture::typeAndSend(tab, u"will fail"_s);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->message().contains(u"model crashed"_s), qPrintable(banner->message()));
        auto *retry = banner->findChild<QPushButton *>(u"retryButton"_s);
        QVERIFY(retry->isVisible());
        QVERIFY(banner->findChild<QPushButton *>(u"errorSettingsButton"_s)->isVisible());
        QTRY_VERIFY(tab->messageView()->toPlainText().contains(u"Failed: "_s));

        // The server recovers; Retry asks the same question again.
        options.failure = FakeLlmServer::Failure::None;
        fixture.server().setOptions(options);
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QTRY_VERIFY(!tab->isStreaming() && tab->session()->messages().size() == 3);
        QCOMPARE(tab->session()->messages().constLast().status, MessageStatus::Done);
        QCOMPARE(tab->session()->messages().constLast().content, options.replyText());
        QVERIFY(!banner->isVisible());
    }

    void bannerSettingsButtonOpensSettings()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http401;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"unauthorised"_s);
        QTRY_VERIFY(tab->errorBanner()->isVisible());
        QTest::mouseClick(tab->errorBanner()->findChild<QPushButton *>(u"errorSettingsButton"_s), Qt::LeftButton);
        QTRY_VERIFY(fixture.window()->settingsDialog() && fixture.window()->settingsDialog()->isVisible());
        // Window-modal through open(): the event loop keeps running (this QTRY could not pass otherwise).
        QVERIFY(fixture.window()->settingsDialog()->isModal()
            || fixture.window()->settingsDialog()->windowModality() != Qt::NonModal);
        fixture.window()->settingsDialog()->reject();
    }

    void sendingHidesTheBanner()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http500;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"first"_s);
        QTRY_VERIFY(tab->errorBanner()->isVisible());
        options.failure = FakeLlmServer::Failure::None;
        fixture.server().setOptions(options);
        UiFixture::typeAndSend(tab, u"second"_s);
        QVERIFY(!tab->errorBanner()->isVisible());
        QTRY_VERIFY(!tab->isStreaming());
        QVERIFY(!tab->errorBanner()->isVisible());
    }

    void firstStartWithoutServerShowsTheWelcome()
    {
        UiFixture fixture({ .server = {}, .providerChosen = false, .deadProvider = true });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        auto *welcome = tab->findChild<WelcomePanel *>();
        QTRY_VERIFY(welcome->isVisible());
        QVERIFY(!tab->messageView()->isVisible());
        QVERIFY(!welcome->findChild<QLabel *>(u"welcomeProbeError"_s)->text().isEmpty());
        // New chats show it too until a provider is chosen.
        ChatTab *second = fixture.window()->newChat();
        QVERIFY(second->findChild<WelcomePanel *>()->isVisible());

        // A preset opens the settings prefilled, and tests that server right away.
        auto *ollama = welcome->findChild<QPushButton *>(u"preset:localhost:11434"_s);
        QVERIFY(ollama);
        fixture.window()->tabs()->setCurrentWidget(tab);
        QTest::mouseClick(ollama, Qt::LeftButton);
        SettingsDialog *dialog = fixture.window()->settingsDialog();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->findChild<QLineEdit *>(u"baseUrlEdit"_s)->text(), u"http://localhost:11434/v1"_s);
        QCOMPARE(dialog->settings().model, u"llama3.2"_s);

        // Pointing it at a live server and confirming hides the guide everywhere.
        dialog->findChild<QLineEdit *>(u"baseUrlEdit"_s)->setText(fixture.server().baseUrl().toString());
        dialog->accept();
        QVERIFY(!welcome->isVisible());
        QVERIFY(tab->messageView()->isVisible());
        QCOMPARE(fixture.window()->providerSettings().baseUrl, fixture.server().baseUrl());
    }

    void firstStartWithAWorkingServerShowsAnEmptyChat()
    {
        UiFixture fixture({ .server = {}, .providerChosen = false });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        // The probe asks for the models; once it answered, nothing changes.
        QTRY_VERIFY(fixture.server().requestCount() >= 1);
        QTest::qWait(50); // let the answer arrive; the assertion is that nothing appears
        QVERIFY(!tab->findChild<WelcomePanel *>()->isVisible());
        QVERIFY(tab->messageView()->isVisible());
        QVERIFY(!tab->messageView()->placeholderText().isEmpty());
    }
};

QTEST_MAIN(TestChatTab)
#include "tst_chattab.moc"
