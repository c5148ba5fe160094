// MainWindow driven like a user would: real core objects, the fake LLM server, offscreen widgets.

#include "core/chat/ChatSession.h"
#include "core/llm/ChatProvider.h"
#include "core/storage/ConversationTypes.h"
#include "tests/support/EventLoopChecker.h"
#include "tests/ui/FakeSearch.h"
#include "tests/ui/UiFixture.h"
#include "ui/ChatTab.h"
#include "ui/Composer.h"
#include "ui/ConversationFileActions.h"
#include "ui/ConversationListPanel.h"
#include "ui/MessageView.h"
#include "ui/SearchResultModel.h"
#include "ui/SearchTab.h"

#include <QAction>
#include <QCoroTask>
#include <QFile>
#include <QTemporaryDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

/// Slow enough that three answers overlap for a while, fast enough for a unit test.
FakeLlmServer::Options streamingOptions(int tokens = 60, int tokensPerSecond = 60)
{
    FakeLlmServer::Options options;
    options.ttft = std::chrono::milliseconds(30);
    options.tokens = tokens;
    options.tokensPerSecond = tokensPerSecond;
    return options;
}

const MessageRecord &lastMessage(ChatTab *tab)
{
    return tab->session()->messages().constLast();
}

bool hasPartialAnswer(ChatTab *tab)
{
    const auto &messages = tab->session()->messages();
    return tab->isStreaming() && messages.size() == 2 && !messages.at(1).content.isEmpty();
}

bool answeredInFull(ChatTab *tab, const QString &reply)
{
    const auto &messages = tab->session()->messages();
    return !tab->isStreaming() && messages.size() == 2 && messages.at(1).status == MessageStatus::Done
        && messages.at(1).content == reply;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsWithOneEmptyChat()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QCOMPARE(fixture.window()->windowTitle(), u"ragdesk"_s);
        QCOMPARE(fixture.window()->tabs()->count(), 1);
        QVERIFY(fixture.window()->currentChatTab()->isPristine());
        QCOMPARE(fixture.window()->findChild<QLabel *>(u"streamingLabel"_s)->text(), u"Ready"_s);
    }

    void threeTabsStreamAtTheSameTime()
    {
        UiFixture fixture({ .server = streamingOptions() });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        const QString reply = fixture.server().options().replyText();
        EventLoopChecker loop;

        QList<ChatTab *> tabs { window->currentChatTab() };
        UiFixture::typeAndSend(tabs[0], u"first question"_s);
        // Through the real shortcut, as a user opens a tab.
        QTest::keyClick(window, Qt::Key_T, Qt::ControlModifier);
        QCOMPARE(window->tabs()->count(), 2);
        tabs.append(window->currentChatTab());
        UiFixture::typeAndSend(tabs[1], u"second question"_s);
        tabs.append(window->newChat());
        UiFixture::typeAndSend(tabs[2], u"third question"_s);

        // All three are mid-answer at one and the same moment.
        QTRY_VERIFY_WITH_TIMEOUT(std::ranges::all_of(tabs, hasPartialAnswer), 5000);
        QCOMPARE(window->streamingCount(), 3);
        QCOMPARE(window->findChild<QLabel *>(u"streamingLabel"_s)->text(), u"3 answers streaming"_s);
        QVERIFY(fixture.server().peakActiveStreams() >= 3);
        // Busy tabs are marked in the tab bar.
        QVERIFY(window->tabs()->tabText(0).endsWith(u"first question"_s));
        QVERIFY(window->tabs()->tabText(0) != u"first question"_s);

        QTRY_VERIFY_WITH_TIMEOUT(
            std::ranges::all_of(tabs, [&](ChatTab *tab) { return answeredInFull(tab, reply); }), 15000);
        QCOMPARE(window->tabs()->tabText(0), u"first question"_s);
        QTRY_COMPARE(window->findChild<QLabel *>(u"streamingLabel"_s)->text(), u"Ready"_s);
        // The visible tab shows the whole answer.
        QTRY_VERIFY(tabs[2]->messageView()->toPlainText().contains(reply));

        loop.stop();
        QVERIFY(loop);
        QVERIFY2(loop.maxGapMs() < 100, qPrintable(u"event loop stalled for %1 ms"_s.arg(loop.maxGapMs())));
    }

    void switchingTabsCatchesUpAtOnce()
    {
        UiFixture fixture({ .server = streamingOptions(120, 80) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ChatTab *first = window->currentChatTab();
        UiFixture::typeAndSend(first, u"hidden soon"_s);
        ChatTab *second = window->newChat();
        UiFixture::typeAndSend(second, u"visible"_s);

        // The first tab is hidden now: its view must not be rendering while text piles up.
        QTRY_VERIFY(hasPartialAnswer(first));
        const int passesWhileHidden = first->messageView()->renderPassCount();
        QTRY_VERIFY(lastMessage(first).content.size() > 80);
        QCOMPARE(first->messageView()->renderPassCount(), passesWhileHidden);
        QVERIFY(first->messageView()->hasPendingText());
        // Markdown drops the trailing space of a partial paragraph, so compare without it.
        QVERIFY(!first->messageView()->toPlainText().contains(lastMessage(first).content.trimmed()));

        window->tabs()->setCurrentWidget(first);
        // Shown means caught up, before the next paint, not 33 ms later.
        QVERIFY(first->messageView()->toPlainText().contains(lastMessage(first).content.trimmed()));
        QVERIFY(!first->messageView()->hasPendingText());

        const QString reply = fixture.server().options().replyText();
        QTRY_VERIFY_WITH_TIMEOUT(answeredInFull(first, reply) && answeredInFull(second, reply), 15000);
        QTRY_VERIFY(first->messageView()->toPlainText().contains(reply));
        window->tabs()->setCurrentWidget(second);
        QVERIFY(second->messageView()->toPlainText().contains(reply));
    }

    void closingAStreamingTabStopsAndSavesIt()
    {
        UiFixture fixture({ .server = streamingOptions(400, 40) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        QPointer<ChatTab> tab = window->currentChatTab();
        UiFixture::typeAndSend(tab, u"never mind"_s);
        QTRY_VERIFY(hasPartialAnswer(tab) && lastMessage(tab).id != 0);
        const qint64 conversationId = tab->session()->conversationId();
        QVERIFY(conversationId != 0);
        EventLoopChecker loop;

        QTest::keyClick(window, Qt::Key_W, Qt::ControlModifier);
        // The window always keeps a chat to type in.
        QCOMPARE(window->tabs()->count(), 1);
        QVERIFY(window->currentChatTab() != tab);
        QTRY_COMPARE(fixture.server().abortedStreams(), 1);
        QTRY_VERIFY(!tab);

        const QList<MessageRecord> stored = fixture.storedMessages(conversationId);
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.at(1).status, MessageStatus::Stopped);
        QVERIFY(!stored.at(1).content.isEmpty());
        loop.stop();
        QVERIFY(loop.maxGapMs() < 100);
    }

    void closingTheWindowStopsAndSavesEveryAnswerFirst()
    {
        UiFixture fixture({ .server = streamingOptions(400, 40) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ChatTab *first = window->currentChatTab();
        UiFixture::typeAndSend(first, u"one"_s);
        ChatTab *second = window->newChat();
        UiFixture::typeAndSend(second, u"two"_s);
        QTRY_VERIFY(hasPartialAnswer(first) && hasPartialAnswer(second));
        QTRY_VERIFY(lastMessage(first).id != 0 && lastMessage(second).id != 0);
        const qint64 ids[] = { first->session()->conversationId(), second->session()->conversationId() };

        // Ctrl+Q: the window waits (without blocking) until both answers are saved as stopped.
        QTest::keyClick(window, Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(!window->isVisible());
        QCOMPARE(fixture.server().abortedStreams(), 2);
        for (qint64 id : ids) {
            const QList<MessageRecord> stored = fixture.storedMessages(id);
            QCOMPARE(stored.size(), 2);
            QCOMPARE(stored.at(1).status, MessageStatus::Stopped);
        }
    }

    void stopButtonStopsTheAnswer()
    {
        UiFixture fixture({ .server = streamingOptions(400, 40) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        auto *button = tab->findChild<QPushButton *>(u"sendButton"_s);
        QCOMPARE(button->text(), u"Send"_s);
        UiFixture::typeAndSend(tab, u"stop me"_s);
        QTRY_VERIFY(hasPartialAnswer(tab));
        QCOMPARE(button->text(), u"Stop"_s);
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY(!tab->isStreaming());
        QCOMPARE(lastMessage(tab).status, MessageStatus::Stopped);
        QCOMPARE(button->text(), u"Send"_s);
        // The status note follows the partial text; the metrics and the action row come after it.
        QTRY_VERIFY(tab->messageView()->toPlainText().contains(lastMessage(tab).content.trimmed() + u"\nStopped\n"_s));
    }

    void escapeInTheComposerStops()
    {
        UiFixture fixture({ .server = streamingOptions(400, 40) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"escape"_s);
        QTRY_VERIFY(hasPartialAnswer(tab));
        QTest::keyClick(tab->composer(), Qt::Key_Escape);
        QTRY_VERIFY(!tab->isStreaming());
        QCOMPARE(lastMessage(tab).status, MessageStatus::Stopped);
    }

    void shiftEnterAddsALineInsteadOfSending()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        QTest::keyClicks(tab->composer(), u"line one"_s);
        QTest::keyClick(tab->composer(), Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(tab->composer(), u"line two"_s);
        QVERIFY(tab->session()->messages().isEmpty());
        QCOMPARE(tab->composer()->toPlainText(), u"line one\nline two"_s);
        QTest::keyClick(tab->composer(), Qt::Key_Return);
        QTRY_COMPARE(tab->session()->messages().size(), 2);
        QCOMPARE(tab->session()->messages().at(0).content, u"line one\nline two"_s);
        QVERIFY(tab->composer()->toPlainText().isEmpty());
    }

    void tabShortcutsSwitchAndClose()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        window->newChat();
        window->newChat();
        QCOMPARE(window->tabs()->currentIndex(), 2);
        QTest::keyClick(window, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(window->tabs()->currentIndex(), 0);
        QTest::keyClick(window, Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(window->tabs()->currentIndex(), 2);
        // Ctrl+Tab and Ctrl+Shift+Tab (which arrives as Backtab) from inside the composer.
        QTest::keyClick(window->currentChatTab()->composer(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(window->tabs()->currentIndex(), 0);
        QTest::keyClick(window->currentChatTab()->composer(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window->tabs()->currentIndex(), 2);
        QTest::keyClick(window, Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(window->tabs()->count(), 2);
        // Menu entries carry the shortcuts users can discover.
        QCOMPARE(window->findChild<QAction *>(u"actionNewChat"_s)->shortcut(), QKeySequence(QKeySequence::AddTab));
        QCOMPARE(window->findChild<QAction *>(u"actionSettings"_s)->shortcut(), QKeySequence(u"Ctrl+,"_s));
        QCOMPARE(window->findChild<QAction *>(u"actionQuit"_s)->shortcut(), QKeySequence(u"Ctrl+Q"_s));
    }

    void ctrlShiftFOpensSearchTabsThatCloseAgain()
    {
        FakeSearch search;
        UiFixture::Config config;
        config.search = search.function();
        UiFixture fixture(config);
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        QCOMPARE(window->findChild<QAction *>(u"actionNewSearch"_s)->shortcut(), QKeySequence(u"Ctrl+Shift+F"_s));

        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window->tabs()->count(), 2);
        auto *first = qobject_cast<SearchTab *>(window->tabs()->currentWidget());
        QVERIFY(first);
        QCOMPARE(window->tabs()->tabText(1), u"Search"_s);
        QTRY_VERIFY(first->queryEdit()->hasFocus());
        QTest::keyClicks(first->queryEdit(), u"a rather long query about covering indexes"_s);
        QTRY_COMPARE(search.count(), 1);
        QCOMPARE(window->tabs()->tabText(1), u"Search: a rather long query…"_s);
        search.complete(0, sampleResult(u"covering"_s, 2));
        QTRY_COMPARE(first->results()->rowCount(), 2);

        // A second one runs beside it, from inside the first tab's query field too.
        QTest::keyClick(first->queryEdit(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window->tabs()->count(), 3);
        QVERIFY(qobject_cast<SearchTab *>(window->tabs()->currentWidget()) != first);

        QTest::keyClick(window, Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(window->tabs()->count(), 2);
        QCOMPARE(window->tabs()->currentWidget(), first);
        window->closeTab(window->tabs()->indexOf(first));
        QCOMPARE(window->tabs()->count(), 1);
        QTRY_VERIFY(window->findChildren<SearchTab *>().isEmpty());
    }

    void searchTabsSummarizeThroughTheWindowsProvider()
    {
        FakeSearch search;
        UiFixture::Config config;
        config.search = search.function();
        UiFixture fixture(config);
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        SearchTab *tab = fixture.window()->newSearch();
        QVERIFY(tab);
        QVERIFY(tab->summarizeButton()->isVisible());
        tab->setQuery(u"covering"_s);
        search.complete(0, sampleResult(u"covering"_s, 2));
        QTRY_VERIFY(tab->summarizeButton()->isEnabled());
        tab->summarizeButton()->click();
        QTRY_COMPARE(tab->summary()->message().status, MessageStatus::Done);
        QCOMPARE(tab->summary()->message().content, fixture.server().options().replyText());
        QCOMPARE(tab->summary()->passageCount(), 2);
    }

    void searchWithoutAnEngineExplainsWhy()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        QCOMPARE(window->newSearch(), nullptr);
        QCOMPARE(window->tabs()->count(), 1);
        auto *box = window->findChild<QMessageBox *>();
        QVERIFY(box);
        QVERIFY(box->text().contains(u"not available"_s));
        box->close();
    }

    void conversationListOpensAndFocusesTabs()
    {
        UiFixture fixture({ .server = streamingOptions(8, 0) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ChatTab *tab = window->currentChatTab();
        UiFixture::typeAndSend(tab, u"remember this"_s);
        QTRY_VERIFY(!tab->isStreaming() && tab->session()->messages().size() == 2);
        const qint64 id = tab->session()->conversationId();

        QListWidget *list = window->conversationList()->list();
        QTRY_COMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), u"remember this"_s);
        QTRY_VERIFY(list->currentItem() == list->item(0));

        // Clicking the open conversation focuses its tab instead of opening it twice.
        window->newChat();
        QCOMPARE(window->tabs()->count(), 2);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(0)).center());
        QCOMPARE(window->tabs()->count(), 2);
        QCOMPARE(window->currentChatTab(), tab);

        // Closed, it opens again from the store, replacing the untouched empty chat.
        window->closeTab(window->tabs()->indexOf(tab));
        QCOMPARE(window->tabs()->count(), 1);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(0)).center());
        QCOMPARE(window->tabs()->count(), 1);
        ChatTab *reopened = window->currentChatTab();
        QTRY_COMPARE(reopened->session()->messages().size(), 2);
        QCOMPARE(reopened->session()->conversationId(), id);
        QCOMPARE(reopened->title(), u"remember this"_s);
        QTRY_VERIFY(reopened->messageView()->toPlainText().contains(fixture.server().options().replyText()));
    }

    void deletingAConversationClosesItsTab()
    {
        UiFixture fixture({ .server = streamingOptions(8, 0) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ChatTab *tab = window->currentChatTab();
        UiFixture::typeAndSend(tab, u"delete me"_s);
        QTRY_VERIFY(!tab->isStreaming() && tab->session()->conversationId() != 0);
        const qint64 id = tab->session()->conversationId();
        ConversationListPanel *panel = window->conversationList();
        QTRY_COMPARE(panel->conversationCount(), 1);

        Q_EMIT panel->deleteRequested(id, tab->title());
        QTRY_COMPARE(panel->conversationCount(), 0);
        QCOMPARE(window->tabs()->count(), 1);
        QVERIFY(window->currentChatTab()->isPristine());
        // Deleted softly: Undo brings it back, messages and all, until the next start purges it.
        QTRY_VERIFY(panel->undoButton()->isVisible());
        QCOMPARE(fixture.storedMessages(id).size(), 2);
        panel->undoButton()->click();
        QTRY_COMPARE(panel->conversationCount(), 1);
        QCOMPARE(panel->idAt(0), id);
        QVERIFY(!panel->undoButton()->isVisible());
    }

    void exportAndImportRoundTripThroughTheWindow()
    {
        UiFixture fixture({ .server = streamingOptions(8, 0) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ChatTab *tab = window->currentChatTab();
        UiFixture::typeAndSend(tab, u"keep this safe"_s);
        QTRY_VERIFY(!tab->isStreaming() && tab->session()->conversationId() != 0);
        const qint64 id = tab->session()->conversationId();
        ConversationListPanel *panel = window->conversationList();
        QTRY_COMPARE(panel->conversationCount(), 1);

        QTemporaryDir dir;
        const QString markdown = dir.filePath(u"one.md"_s);
        QVERIFY(QCoro::waitFor(window->conversationFiles()->exportConversationTo(id, ConversationArchive::Format::Markdown, markdown)));
        QFile file(markdown);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(u"keep this safe"_s) && text.contains(fixture.server().options().replyText()),
                 qPrintable(text));

        const QString all = dir.filePath(u"all.json"_s);
        const auto exported = QCoro::waitFor(window->conversationFiles()->exportAllTo(all));
        QVERIFY(exported.has_value());
        QCOMPARE(*exported, 1);
        const auto imported = QCoro::waitFor(window->conversationFiles()->importFrom(all));
        QVERIFY(imported.has_value());
        QCOMPARE(*imported, 1);
        QTRY_COMPARE(panel->conversationCount(), 2);

        // The imported copy opens with the same exchange.
        const qint64 copy = panel->idAt(0) == id ? panel->idAt(1) : panel->idAt(0);
        QVERIFY(copy != id);
        window->openConversation(copy);
        QTRY_COMPARE(window->currentChatTab()->session()->messages().size(), 2);
        QCOMPARE(window->currentChatTab()->session()->messages().first().content, u"keep this safe"_s);

        // A file that is not an export is refused and imports nothing.
        QFile junk(dir.filePath(u"junk.json"_s));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{ not json");
        junk.close();
        QVERIFY(!QCoro::waitFor(window->conversationFiles()->importFrom(junk.fileName())));
        QTRY_COMPARE(panel->conversationCount(), 2);
    }

    void eachApiFamilyStreamsIntoATab_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("openai") << int(ProviderKind::OpenAiCompatible);
        QTest::newRow("ollama") << int(ProviderKind::Ollama);
        QTest::newRow("anthropic") << int(ProviderKind::Anthropic);
    }
    void eachApiFamilyStreamsIntoATab()
    {
        QFETCH(int, kind);
        FakeLlmServer::Options options = streamingOptions(12, 120);
        options.reasoning = true;
        UiFixture fixture({ .server = options, .kind = ProviderKind(kind) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"hello"_s);
        QTRY_VERIFY_WITH_TIMEOUT(answeredInFull(tab, options.replyText()), 10000);
        QCOMPARE(tab->session()->messages().at(1).reasoning, options.reasoningTexts().join(QString()));
        const QByteArray path = fixture.server().requests().constLast().path();
        QCOMPARE(path, kind == int(ProviderKind::Ollama) ? QByteArray("/api/chat")
                     : kind == int(ProviderKind::Anthropic) ? QByteArray("/v1/messages")
                                                            : QByteArray("/v1/chat/completions"));
    }

    void settingsChangeTheProviderForTheNextTurn()
    {
        UiFixture fixture({ .server = streamingOptions(8, 0), .providerChosen = true, .deadProvider = true });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ProviderSettings settings = window->providerSettings();
        settings.baseUrl = fixture.server().baseUrl();
        settings.apiKey = u"sk-session-only"_s;
        window->applySettings(settings);
        QCOMPARE(window->providerSettings().baseUrl, fixture.server().baseUrl());

        ChatTab *tab = window->currentChatTab();
        UiFixture::typeAndSend(tab, u"works now?"_s);
        QTRY_VERIFY(answeredInFull(tab, fixture.server().options().replyText()));
        QCOMPARE(fixture.server().lastRequestHeader("Authorization"), QByteArray("Bearer sk-session-only"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
