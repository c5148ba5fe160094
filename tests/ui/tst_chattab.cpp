// ChatTab's error banner, wait notice (retry countdown, queue position) and first-start guide,
// in the real window.

#include "core/chat/ChatSession.h"
#include "core/llm/ChatProvider.h"
#include "tests/ui/UiFixture.h"
#include "ui/ChatTab.h"
#include "ui/ErrorBanner.h"
#include "ui/WaitNotice.h"
#include "tests/ui/DocumentAnchors.h"
#include "ui/Composer.h"
#include "ui/MessageAction.h"
#include "ui/MessageView.h"
#include "ui/markdown/ViewAnchor.h"
#include "ui/SettingsDialog.h"
#include "ui/WelcomePanel.h"

#include <QLabel>
#include <QMessageBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

class TestChatTab : public QObject
{
    Q_OBJECT

private:
    /// Saves @p widget's window when RAGDESK_SCREENSHOT_DIR is set (for the docs).
    static void maybeScreenshot(QWidget *widget, const QString &name)
    {
        const QString dir = qEnvironmentVariable("RAGDESK_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            widget->window()->grab().save(QDir(dir).filePath(name));
    }

private Q_SLOTS:
    void rateLimitShowsACountdownThatRetryNowCutsShort()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http429;
        options.failureCount = 1;
        options.retryAfterSeconds = 30;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        WaitNotice *notice = tab->waitNotice();
        QVERIFY(!notice->isVisible());

        UiFixture::typeAndSend(tab, u"hello"_s);
        QTRY_VERIFY(notice->isVisible());
        QVERIFY2(notice->text().contains(u"429"_s) && notice->text().contains(u"Attempt 2 starts in"_s),
                 qPrintable(notice->text()));
        QVERIFY2(notice->text().contains(u"in 30 s"_s) || notice->text().contains(u"in 29 s"_s), qPrintable(notice->text()));
        auto *retryNow = notice->findChild<QPushButton *>(u"retryNowButton"_s);
        QVERIFY(retryNow->isVisible());
        maybeScreenshot(tab, u"chat-retry-countdown.png"_s);
        QTest::mouseClick(retryNow, Qt::LeftButton);
        QTRY_VERIFY(!notice->isVisible());
        QTRY_VERIFY(!tab->isStreaming());
        QCOMPARE(tab->session()->messages().constLast().status, MessageStatus::Done);
        QCOMPARE(tab->session()->messages().constLast().content, options.replyText());
        QCOMPARE(fixture.server().requestCount(), 2);
    }

    void cancelDuringTheCountdownStopsTheTurn()
    {
        FakeLlmServer::Options options;
        options.failure = FakeLlmServer::Failure::Http503;
        options.retryAfterSeconds = 30;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"hello"_s);
        QTRY_VERIFY(tab->waitNotice()->isVisible());
        QTest::mouseClick(tab->waitNotice()->findChild<QPushButton *>(u"cancelWaitButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!tab->isStreaming());
        QVERIFY(!tab->waitNotice()->isVisible());
        QCOMPARE(tab->session()->messages().constLast().status, MessageStatus::Stopped);
        QCOMPARE(fixture.server().requestCount(), 1);
    }

    void aFullProviderQueuesTheNextTab()
    {
        FakeLlmServer::Options options;
        options.tokens = 30;
        options.tokensPerSecond = 30; // about a second per answer
        UiFixture fixture({ .server = options, .maxConcurrent = 1 });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *first = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(first, u"first"_s);
        QTRY_VERIFY(first->isStreaming());
        ChatTab *second = fixture.window()->newChat();
        UiFixture::typeAndSend(second, u"second"_s);
        QTRY_VERIFY(second->waitNotice()->isVisible());
        QCOMPARE(second->waitNotice()->text(), u"Waiting for a free slot (next in line)…"_s);
        QVERIFY(!second->waitNotice()->findChild<QPushButton *>(u"retryNowButton"_s)->isVisible());
        QVERIFY(!first->waitNotice()->isVisible());
        maybeScreenshot(second, u"chat-queued.png"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!second->waitNotice()->isVisible(), 10000);
        // The slot went to the second tab only when the first answer's stream had ended: its
        // whole text is in. (Its final save may still be running; isStreaming() covers that too.)
        QCOMPARE(first->session()->messages().constLast().content, options.replyText());
        QTRY_VERIFY(!first->isStreaming());
        QTRY_VERIFY_WITH_TIMEOUT(!second->isStreaming(), 10000);
        QCOMPARE(second->session()->messages().constLast().content, options.replyText());
        QCOMPARE(fixture.server().peakActiveStreams(), 1);
    }

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

        // The server recovers; Retry answers the same question again, as a second version of
        // the answer (the failed one stays browsable as version 1).
        options.failure = FakeLlmServer::Failure::None;
        fixture.server().setOptions(options);
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QTRY_VERIFY(!tab->isStreaming() && tab->session()->messages().constLast().status == MessageStatus::Done);
        QCOMPARE(tab->session()->messages().size(), 2);
        QCOMPARE(tab->session()->messages().constLast().content, options.replyText());
        QCOMPARE(tab->session()->versionsOf(1).current, 2);
        QCOMPARE(tab->session()->versionsOf(1).count, 2);
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

    void regenerateThenBrowseVersions()
    {
        FakeLlmServer::Options options;
        options.reply = u"First answer."_s;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        MessageView *view = tab->messageView();
        UiFixture::typeAndSend(tab, u"question"_s);
        QTRY_VERIFY(!tab->session()->isBusy() && tab->session()->messages().size() == 2);

        options.reply = u"Second answer."_s;
        fixture.server().setOptions(options);
        const QString regenerate = ViewAnchor::href(ViewAnchor::Kind::Action, 1, int(MessageAction::Regenerate));
        QTRY_VERIFY(clickAnchorIn(view, regenerate));
        QTRY_VERIFY(!tab->session()->isBusy() && tab->session()->messages().constLast().content == u"Second answer."_s);
        QCOMPARE(tab->session()->messages().size(), 2);
        QTRY_VERIFY(view->toPlainText().contains(u"Second answer."_s) && view->toPlainText().contains(u"2/2"_s));
        QVERIFY(!view->toPlainText().contains(u"First answer."_s));

        // ‹ goes back to the first version, which is shown and stored as the branch on screen.
        QVERIFY(clickAnchorIn(view, ViewAnchor::href(ViewAnchor::Kind::Version, 1, 1)));
        QTRY_COMPARE(tab->session()->messages().constLast().content, u"First answer."_s);
        QTRY_VERIFY(view->toPlainText().contains(u"First answer."_s) && view->toPlainText().contains(u"1/2"_s));
        QVERIFY(!view->toPlainText().contains(u"Second answer."_s));
    }

    void editAndResendBranches()
    {
        FakeLlmServer::Options options;
        options.reply = u"An answer."_s;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        MessageView *view = tab->messageView();
        UiFixture::typeAndSend(tab, u"first wording"_s);
        QTRY_VERIFY(!tab->session()->isBusy() && tab->session()->messages().size() == 2);

        QTRY_VERIFY(clickAnchorIn(view, ViewAnchor::href(ViewAnchor::Kind::Action, 0, int(MessageAction::Edit))));
        QCOMPARE(tab->editingIndex(), 0);
        QCOMPARE(tab->composer()->toPlainText(), u"first wording"_s);
        QVERIFY(tab->findChild<QLabel *>(u"editNote"_s)->isVisible());
        tab->composer()->clear();
        UiFixture::typeAndSend(tab, u"second wording"_s);
        QTRY_VERIFY(!tab->session()->isBusy() && tab->session()->messages().size() == 2
                    && tab->session()->messages().first().content == u"second wording"_s);
        QCOMPARE(tab->editingIndex(), -1);
        QCOMPARE(tab->session()->versionsOf(0).current, 2);
        QCOMPARE(tab->session()->versionsOf(0).count, 2);
        QCOMPARE(tab->session()->messages().constLast().status, MessageStatus::Done);

        // The old branch is still there.
        QTRY_VERIFY(clickAnchorIn(view, ViewAnchor::href(ViewAnchor::Kind::Version, 0, 1)));
        QTRY_COMPARE(tab->session()->messages().first().content, u"first wording"_s);

        // Esc leaves editing without sending.
        QTRY_VERIFY(clickAnchorIn(view, ViewAnchor::href(ViewAnchor::Kind::Action, 0, int(MessageAction::Edit))));
        QCOMPARE(tab->editingIndex(), 0);
        QTest::keyClick(tab->composer(), Qt::Key_Escape);
        QCOMPARE(tab->editingIndex(), -1);
        QVERIFY(tab->composer()->toPlainText().isEmpty());
    }

    void deleteAsksThenRemovesTheTurn()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"one"_s);
        QTRY_VERIFY(!tab->session()->isBusy() && tab->session()->messages().size() == 2);
        UiFixture::typeAndSend(tab, u"two"_s);
        QTRY_VERIFY(!tab->session()->isBusy() && tab->session()->messages().size() == 4);

        QTRY_VERIFY(clickAnchorIn(tab->messageView(), ViewAnchor::href(ViewAnchor::Kind::Action, 2, int(MessageAction::Delete))));
        QTRY_VERIFY(tab->deleteConfirmation());
        tab->deleteConfirmation()->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!tab->deleteConfirmation());
        QCOMPARE(tab->session()->messages().size(), 4);

        QVERIFY(clickAnchorIn(tab->messageView(), ViewAnchor::href(ViewAnchor::Kind::Action, 2, int(MessageAction::Delete))));
        QTRY_VERIFY(tab->deleteConfirmation());
        const auto buttons = tab->deleteConfirmation()->buttons();
        const auto remove = std::ranges::find_if(buttons, [](QAbstractButton *b) { return b->text() == u"Delete"_s; });
        QVERIFY(remove != buttons.end());
        (*remove)->click();
        QTRY_COMPARE(tab->session()->messages().size(), 2);
        QTRY_COMPARE(fixture.storedMessages(tab->session()->conversationId()).size(), 2);
    }

};

QTEST_MAIN(TestChatTab)
#include "tst_chattab.moc"
