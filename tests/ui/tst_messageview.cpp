// MessageView: the rendering budget (hidden views idle, visible ones at most ~30 frames a second,
// each frame re-rendering only the open tail), safe markdown, code, citations and the action row.

#include "core/chat/ChatSession.h"
#include "core/storage/ConversationStore.h"
#include "tests/ui/UiFixture.h"
#include "ui/ChatTab.h"
#include "tests/support/HostileMarkdown.h"
#include "ui/AppTheme.h"
#include "ui/CitationPopup.h"
#include "ui/MessageView.h"
#include "ui/markdown/LinkGuard.h"
#include "ui/markdown/ViewAnchor.h"

#include <KSyntaxHighlighting/Repository>

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>

#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QToolTip>
#include <QHelpEvent>
#include <QTextBlock>
#include <QTextDocument>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

FakeLlmServer::Options fastStream(int tokens, int tokensPerSecond)
{
    FakeLlmServer::Options options;
    options.ttft = std::chrono::milliseconds(20);
    options.tokens = tokens;
    options.tokensPerSecond = tokensPerSecond;
    return options;
}

QString answerText(ChatTab *tab)
{
    const auto &messages = tab->session()->messages();
    return messages.size() < 2 ? QString() : messages.at(1).content;
}

CitationSnapshot snapshot(int number, const QString &title, int page, const QString &text)
{
    CitationSnapshot source;
    source.number = number;
    source.chunkId = 100 + number;
    source.documentId = 10 + number;
    source.documentTitle = title;
    source.documentPath = u"/docs/"_s + title;
    source.page = page;
    source.headingPath = u"Guide › Install"_s;
    source.chunkText = text;
    return source;
}

MessageRecord question(const QString &text)
{
    MessageRecord message;
    message.role = u"user"_s;
    message.content = text;
    return message;
}

/// An answer with everything the view decorates: reasoning, a heading, a link, chips (one out of
/// range), a code block, a list, sources (one uncited) and metrics.
MessageRecord richAnswer()
{
    MessageRecord message;
    message.role = u"assistant"_s;
    message.reasoning = u"The sources cover installing with pip."_s;
    message.content = u"## Setup\n\nInstall it with pip [1]. See [the docs](https://example.org/docs) and [2, 7].\n\n"
                      u"```python\ndef hello():\n    return \"hi\"  # greet\n```\n\n- one\n- two [2]\n"_s;
    message.sources = { snapshot(1, u"Install guide"_s, 4, u"  Run pip install ragdesk to install it.  "_s),
        snapshot(2, u"FAQ"_s, 0, u"Questions and answers."_s), snapshot(3, u"Unused"_s, 2, u"Not cited."_s) };
    message.metrics = QJsonObject { { u"ttft_ms"_s, 212 }, { u"tokens_per_s"_s, 48.4 }, { u"retrieval_ms"_s, 31 } };
    return message;
}

/// A shown view over caller-owned messages, with the app's one syntax repository passed in.
struct ViewHarness {
    KSyntaxHighlighting::Repository repository;
    QList<MessageRecord> messages;
    MessageView view { &repository };

    explicit ViewHarness(QList<MessageRecord> list, std::function<MessageVersions(int)> versions = {})
        : messages(std::move(list))
    {
        view.resize(800, 600);
        view.setMessages(&messages, std::move(versions));
        view.show();
    }
    bool settle()
    {
        return QTest::qWaitFor([this] { return !view.hasPendingText(); }, 20000);
    }
};

/// Where the anchor @p href shows, scrolled into view; a null point if it is not in the document.
QPoint anchorPoint(MessageView *view, const QString &href)
{
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().anchorHref() != href)
                continue;
            QTextCursor cursor(view->document());
            cursor.setPosition(fragment.position() + fragment.length() / 2);
            view->setTextCursor(cursor);
            view->ensureCursorVisible();
            return view->cursorRect(cursor).center() + QPoint(1, 0);
        }
    }
    return {};
}

bool clickAnchor(MessageView *view, const QString &href)
{
    const QPoint at = anchorPoint(view, href);
    if (at.isNull())
        return false;
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    return true;
}

QStringList anchorsOf(QTextDocument *document)
{
    QStringList hrefs;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QString href = it.fragment().charFormat().anchorHref();
            if (!href.isEmpty() && (hrefs.isEmpty() || hrefs.last() != href))
                hrefs.append(href);
        }
    }
    return hrefs;
}

bool hasImageFormat(QTextDocument *document)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().charFormat().isImageFormat())
                return true;
        }
    }
    return false;
}

QString action(int index, MessageAction what)
{
    return ViewAnchor::href(ViewAnchor::Kind::Action, index, int(what));
}

} // namespace

class TestMessageView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void visibleViewRendersAtMostThirtyFramesASecond()
    {
        // 300 tokens a second: ten tokens arrive per frame, so coalescing is what keeps the rate.
        UiFixture fixture({ .server = fastStream(300, 300) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        MessageView *view = tab->messageView();
        QSignalSpy appended(tab->session(), &ChatSession::messageTextAppended);

        UiFixture::typeAndSend(tab, u"go"_s);
        QTRY_VERIFY(!answerText(tab).isEmpty());
        QElapsedTimer clock;
        clock.start();
        const int passesAtFirstToken = view->renderPassCount();
        QTRY_VERIFY_WITH_TIMEOUT(!tab->isStreaming(), 10000);
        const qint64 elapsedMs = clock.elapsed();
        QTRY_VERIFY(!view->hasPendingText());
        const int frames = view->renderPassCount() - passesAtFirstToken;

        QVERIFY(appended.count() > 100);
        QVERIFY2(frames <= elapsedMs / 33 + 3,
            qPrintable(u"%1 frames in %2 ms for %3 deltas"_s.arg(frames).arg(elapsedMs).arg(appended.count())));
        QVERIFY(frames >= 5); // it did animate, not just render once at the end
        QVERIFY(view->toPlainText().contains(fixture.server().options().replyText()));
    }

    void hiddenViewDoesNoRenderingWork()
    {
        UiFixture fixture({ .server = fastStream(200, 100) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        ChatTab *hidden = window->currentChatTab();
        UiFixture::typeAndSend(hidden, u"in the background"_s);
        window->newChat();
        QVERIFY(!hidden->messageView()->isVisible());
        const int passes = hidden->messageView()->renderPassCount();
        const int blocks = hidden->messageView()->document()->blockCount();

        QTRY_VERIFY_WITH_TIMEOUT(!hidden->isStreaming(), 10000);
        QVERIFY(answerText(hidden).size() > 500);
        QCOMPARE(hidden->messageView()->renderPassCount(), passes);
        QCOMPARE(hidden->messageView()->document()->blockCount(), blocks);

        window->tabs()->setCurrentWidget(hidden);
        QCOMPARE(hidden->messageView()->renderPassCount(), passes + 1);
        QVERIFY(hidden->messageView()->toPlainText().contains(fixture.server().options().replyText()));
    }

    void framesRewriteOnlyTheOpenTail()
    {
        UiFixture fixture({ .server = fastStream(200, 150) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"append only"_s);
        QTRY_VERIFY(
            answerText(tab).size() > 10 && tab->messageView()->toPlainText().contains(answerText(tab).left(10)));

        // From now on no change may touch what precedes the answer's open block: the question
        // and the header stay as they are; only the growing paragraph is written again.
        QTextDocument *document = tab->messageView()->document();
        const int answerStart = int(tab->messageView()->toPlainText().indexOf(answerText(tab).left(10)));
        int before = 0;
        int frames = 0;
        int maxBlocksPerFrame = 0;
        connect(document, &QTextDocument::contentsChange, this, [&](int from, int, int) {
            if (from < answerStart - 1)
                ++before;
        });
        while (tab->isStreaming() || tab->messageView()->hasPendingText()) {
            const int passes = tab->messageView()->renderPassCount();
            QTRY_VERIFY(tab->messageView()->renderPassCount() > passes || !tab->isStreaming());
            ++frames;
            maxBlocksPerFrame = qMax(maxBlocksPerFrame, tab->messageView()->lastFrameWork().markdownBlocks);
            if (!tab->isStreaming())
                QTRY_VERIFY(!tab->messageView()->hasPendingText());
        }
        QCOMPARE(before, 0);
        QVERIFY(frames > 2);
        QCOMPARE(maxBlocksPerFrame, 1); // one paragraph: only it, once a frame
    }

    void longLinesWrapInsteadOfScrollingSideways_data()
    {
        QTest::addColumn<int>("tokensPerSecond");
        QTest::addColumn<bool>("newTab");
        QTest::newRow("all at once") << 0 << false;
        QTest::newRow("streamed") << 150 << false;
        // A tab's view is laid out while still hidden: it once kept the unmargined width.
        QTest::newRow("in a new tab") << 150 << true;
    }

    void longLinesWrapInsteadOfScrollingSideways()
    {
        QFETCH(int, tokensPerSecond);
        QFETCH(bool, newTab);
        UiFixture fixture({ .server = fastStream(200, tokensPerSecond) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = newTab ? fixture.window()->newChat() : fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"one very long paragraph please"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!tab->isStreaming() && !tab->messageView()->hasPendingText(), 10000);
        QCOMPARE(tab->messageView()->horizontalScrollBar()->maximum(), 0);
        // Wider than the readable column: the text stays in the column, which is centred.
        fixture.window()->resize(1600, 800);
        QTRY_COMPARE(tab->messageView()->viewport()->width(), MessageView::kMaxColumnWidth);
        QCOMPARE(tab->messageView()->horizontalScrollBar()->maximum(), 0);
    }

    void followsTheAnswerUnlessScrolledUp()
    {
        FakeLlmServer::Options options = fastStream(600, 200);
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        MainWindow *window = fixture.window();
        window->resize(700, 400);
        ChatTab *follower = window->currentChatTab();
        UiFixture::typeAndSend(follower, u"follow me"_s);
        QScrollBar *bar = follower->messageView()->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 5);
        QVERIFY(bar->value() == bar->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(!follower->isStreaming() && !follower->messageView()->hasPendingText(), 10000);
        QCOMPARE(bar->value(), bar->maximum());

        ChatTab *reader = window->newChat();
        UiFixture::typeAndSend(reader, u"let me read"_s);
        QScrollBar *readerBar = reader->messageView()->verticalScrollBar();
        QTRY_VERIFY(readerBar->maximum() > 5);
        readerBar->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(!reader->isStreaming() && !reader->messageView()->hasPendingText(), 10000);
        QCOMPARE(readerBar->value(), 0);
    }

    void reasoningIsCollapsedAboveTheAnswer()
    {
        FakeLlmServer::Options options = fastStream(12, 0);
        options.reasoning = true;
        UiFixture fixture({ .server = options });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"think first"_s);
        QTRY_VERIFY(!tab->isStreaming() && !tab->messageView()->hasPendingText());

        MessageView *view = tab->messageView();
        const QString reasoning = options.reasoningTexts().join(QString()).trimmed();
        QString text = view->toPlainText();
        QVERIFY2(text.contains(u"▸ Reasoning (6 words)"_s), qPrintable(text));
        QVERIFY(!text.contains(reasoning)); // collapsed
        QVERIFY(text.indexOf(u"Reasoning"_s) < text.indexOf(options.replyText()));

        QVERIFY(clickAnchor(view, ViewAnchor::href(ViewAnchor::Kind::Reasoning, 1)));
        text = view->toPlainText();
        const qsizetype reasoningAt = text.indexOf(reasoning);
        const qsizetype answerAt = text.indexOf(options.replyText());
        QVERIFY(text.contains(u"▾ Reasoning"_s));
        QVERIFY(reasoningAt > 0);
        QVERIFY(answerAt > reasoningAt);
        // Separate blocks, the reasoning in italics.
        const QTextBlock reasoningBlock = view->document()->findBlock(int(reasoningAt));
        QVERIFY(!reasoningBlock.contains(int(answerAt)));
        QVERIFY(reasoningBlock.begin().fragment().charFormat().fontItalic());

        QVERIFY(clickAnchor(view, ViewAnchor::href(ViewAnchor::Kind::Reasoning, 1)));
        QVERIFY(!view->toPlainText().contains(reasoning));
    }

    void interruptedAnswersSayWhy()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        // An answer left `streaming` by a crashed run, as the next start finds it.
        ConversationStore *store = fixture.store();
        const auto conversation = QCoro::waitFor(store->createConversation(u"cut short"_s));
        QVERIFY(conversation);
        MessageRecord question;
        question.conversationId = conversation->id;
        question.role = u"user"_s;
        question.content = u"cut short"_s;
        QVERIFY(QCoro::waitFor(store->appendMessage(question)));
        MessageRecord answer = question;
        answer.role = u"assistant"_s;
        answer.content = u"half an ans"_s;
        answer.status = MessageStatus::Streaming;
        QVERIFY(QCoro::waitFor(store->appendMessage(answer)));
        QCOMPARE(QCoro::waitFor(store->markInterrupted()).value_or(0), 1);

        fixture.window()->openConversation(conversation->id, conversation->title);
        MessageView *view = fixture.window()->currentChatTab()->messageView();
        QTRY_VERIFY(view->toPlainText().contains(u"half an ans"_s));
        const QString text = view->toPlainText();
        const qsizetype note = text.indexOf(u"Interrupted — ragdesk closed before this answer finished"_s);
        QVERIFY(note > text.indexOf(u"half an ans"_s));
        QVERIFY(text.indexOf(u"Regenerate"_s) > note); // the action row comes last
    }

    void themeChangeRerendersWithNewColours()
    {
        UiFixture fixture({ .server = fastStream(12, 0) });
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        ChatTab *tab = fixture.window()->currentChatTab();
        UiFixture::typeAndSend(tab, u"colours"_s);
        QTRY_VERIFY(!tab->isStreaming() && !tab->messageView()->hasPendingText());
        const QString before = tab->messageView()->toPlainText();
        const QColor textBefore
            = tab->messageView()->document()->lastBlock().begin().fragment().charFormat().foreground().color();
        QVERIFY(textBefore.lightnessF() < 0.5);

        const auto textColour = [view = tab->messageView()] {
            return view->document()->lastBlock().begin().fragment().charFormat().foreground().color();
        };
        fixture.window()->setTheme(ThemeMode::Dark);
        QTRY_VERIFY(textColour() != textBefore);
        QVERIFY(textColour().lightnessF() > 0.5);
        QCOMPARE(tab->messageView()->toPlainText(), before);
        fixture.window()->setTheme(ThemeMode::System);
    }

    void hostileMarkdownIsInert_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("mustShowAsText");
        QTest::addColumn<bool>("streamed");
        for (const HostileSample &sample : hostileMarkdown()) {
            QTest::newRow(qPrintable(sample.name + u" final"_s)) << sample.markdown << sample.mustShowAsText << false;
            QTest::newRow(qPrintable(sample.name + u" streamed"_s)) << sample.markdown << sample.mustShowAsText << true;
        }
    }

    void hostileMarkdownIsInert()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, mustShowAsText);
        QFETCH(bool, streamed);
        MessageRecord answer;
        answer.role = u"assistant"_s;
        answer.status = streamed ? MessageStatus::Streaming : MessageStatus::Done;
        answer.content = streamed ? QString() : markdown;
        ViewHarness harness({ question(u"q"_s), answer });
        MessageView &view = harness.view;
        QVERIFY(harness.settle());
        if (streamed) {
            // In 23 uneven pieces, a frame after each, then finished.
            const qsizetype piece = markdown.size() / 23 + 1;
            for (qsizetype at = 0; at < markdown.size(); at += piece) {
                harness.messages[1].content = markdown.left(at + piece);
                view.messageChanged(1);
                QVERIFY(harness.settle());
            }
            harness.messages[1].status = MessageStatus::Done;
            view.messageChanged(1);
            QVERIFY(harness.settle());
        }
        // Paint it all: a lazily loaded resource would be asked for now.
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() / 2);
        QVERIFY(!view.grab().isNull());

        QCOMPARE(view.resourceRequests(), 0);
        QVERIFY(!hasImageFormat(view.document()));
        const QString text = view.toPlainText();
        if (!mustShowAsText.isEmpty())
            QVERIFY2(text.contains(mustShowAsText), qPrintable(text.left(400)));
        if (markdown.contains(u"evil.example/pixel"_s))
            QVERIFY(text.contains(u"image: http://evil.example/pixel.png?u=1"_s));
        QCOMPARE(view.horizontalScrollBar()->maximum(), 0);

        // Every link in the text goes through LinkGuard, which refuses all but http(s).
        int refusedCount = 0;
        int opened = 0;
        view.linkGuard()->setConfirmer([&](const QUrl &) { return true; });
        view.linkGuard()->setOpener([&](const QUrl &) { ++opened; });
        connect(view.linkGuard(), &LinkGuard::refused, this, [&] { ++refusedCount; });
        int links = 0;
        for (const QString &href : anchorsOf(view.document())) {
            const ViewAnchor anchor = ViewAnchor::parse(href);
            QVERIFY2(anchor.kind != ViewAnchor::Kind::None, qPrintable(href));
            if (anchor.kind != ViewAnchor::Kind::Link)
                continue;
            ++links;
            const QString scheme = anchor.link.scheme();
            QCOMPARE(LinkGuard::classify(anchor.link) == LinkGuard::Verdict::Allowed,
                (scheme == u"http"_s || scheme == u"https"_s) && !anchor.link.host().isEmpty());
            if (links <= 3 && scheme != u"http"_s && scheme != u"https"_s) {
                const int before = refusedCount;
                QVERIFY(clickAnchor(&view, href));
                QCOMPARE(refusedCount, before + 1);
                auto *box = view.findChild<QMessageBox *>(u"linkRefusedBox"_s);
                QVERIFY(box);
                QVERIFY(box->text().contains(scheme + u':') || box->text().contains(u"no web address"_s));
                box->close();
            }
        }
        QCOMPARE(opened, 0);
        if (markdown.contains(u"javascript:alert(1))"_s))
            QVERIFY(refusedCount > 0);
    }

    void openTailIsAllAFrameRenders()
    {
        MessageRecord answer;
        answer.role = u"assistant"_s;
        answer.status = MessageStatus::Streaming;
        QString stable;
        for (int i = 0; i < 40; ++i)
            stable += u"Paragraph %1 with **bold** text [1].\n\n"_s.arg(i);
        answer.content = stable + u"The open paragraph"_s;
        ViewHarness harness({ question(u"q"_s), answer });
        QVERIFY(harness.settle());
        MessageView &view = harness.view;
        QCOMPARE(view.lastFrameWork().markdownBlocks, 42); // the question, 40 paragraphs, the open one

        harness.messages[1].content += u" grows"_s;
        view.messageChanged(1);
        QVERIFY(harness.settle());
        QCOMPARE(view.lastFrameWork().markdownBlocks, 1);

        // A code block: each frame writes the new lines and redoes only the unfinished one.
        harness.messages[1].content += u"\n\n```cpp\n"_s;
        for (int line = 0; line < 200; ++line)
            harness.messages[1].content += u"int x%1 = %1;\n"_s.arg(line);
        view.messageChanged(1);
        QVERIFY(harness.settle());
        harness.messages[1].content += u"int y = 1;\nint z"_s;
        view.messageChanged(1);
        QVERIFY(harness.settle());
        QCOMPARE(view.lastFrameWork().codeLines, 2);
        QCOMPARE(view.lastFrameWork().markdownBlocks, 0);
        harness.messages[1].content += u" = 2;\n```\n\nAfter."_s;
        harness.messages[1].status = MessageStatus::Done;
        view.messageChanged(1);
        QVERIFY(harness.settle());
        QCOMPARE(view.lastFrameWork().codeLines, 1);
        QCOMPARE(view.lastFrameWork().markdownBlocks, 1);
        QVERIFY(view.toPlainText().contains(u"int z = 2;"_s));
        QVERIFY(view.toPlainText().contains(u"After."_s));
    }

    void chipsOpenThePassage()
    {
        ViewHarness harness({ question(u"How do I install it?"_s), richAnswer() });
        QVERIFY(harness.settle());
        MessageView &view = harness.view;
        const QStringList anchors = anchorsOf(view.document());
        const QString cite1 = ViewAnchor::href(ViewAnchor::Kind::Cite, 1, 1);
        QVERIFY(anchors.contains(cite1));
        QVERIFY(anchors.contains(ViewAnchor::href(ViewAnchor::Kind::Cite, 1, 2)));
        // [7] has no source: shown, never linked.
        QVERIFY(!anchors.contains(ViewAnchor::href(ViewAnchor::Kind::Cite, 1, 7)));
        QVERIFY(view.toPlainText().contains(u"7"_s));
        QVERIFY(!view.toPlainText().contains(u"pip [1]"_s));

        // Hover: the passage, trimmed.
        const QPoint at = anchorPoint(&view, cite1);
        QHelpEvent hover(QEvent::ToolTip, at, view.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(view.viewport(), &hover);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(u"\nRun pip install ragdesk to install it."_s), qPrintable(QToolTip::text()));
        QToolTip::hideText();

        QSignalSpy open(&view, &MessageView::openDocumentRequested);
        QVERIFY(clickAnchor(&view, cite1));
        auto *popup = view.findChild<CitationPopup *>();
        QVERIFY(popup);
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(popup->findChild<QLabel *>(u"citationTitle"_s)->text(), u"[1] Install guide"_s);
        QVERIFY(popup->findChild<QLabel *>(u"citationLocation"_s)->text().contains(u"page 4"_s));
        QVERIFY(popup->findChild<QLabel *>(u"citationLocation"_s)->text().contains(u"Guide › Install"_s));
        QCOMPARE(popup->findChild<QPlainTextEdit *>(u"citationText"_s)->toPlainText(),
            harness.messages.at(1).sources.at(0).chunkText);
        popup->findChild<QPushButton *>(u"openDocumentButton"_s)->click();
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).value<CitationSnapshot>(), harness.messages.at(1).sources.at(0));
    }

    void inferredCitationsLookLikeAGuess()
    {
        MessageRecord answer = richAnswer();
        answer.content = u"Install it with pip. It is easy."_s;
        CitationMarker marker;
        marker.start = 0;
        marker.length = 20;
        marker.sources = { 1 };
        marker.inferred = true;
        answer.citations = { marker };
        ViewHarness harness({ question(u"q"_s), answer });
        QVERIFY(harness.settle());
        const QString text = harness.view.toPlainText();
        QVERIFY2(text.contains(u"pip.\u2009\u20091\u2009 It is easy."_s), qPrintable(text));
        const QPoint at = anchorPoint(&harness.view, ViewAnchor::href(ViewAnchor::Kind::Cite, 1, 1));
        QHelpEvent hover(QEvent::ToolTip, at, harness.view.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(harness.view.viewport(), &hover);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().startsWith(u"Inferred"_s));
        QToolTip::hideText();
    }

    void sourcesFooterListsCitedAndTogglesToAll()
    {
        ViewHarness harness({ question(u"q"_s), richAnswer() });
        QVERIFY(harness.settle());
        MessageView &view = harness.view;
        QString text = view.toPlainText();
        QVERIFY(text.contains(u"[1] Install guide, p. 4"_s));
        QVERIFY(text.contains(u"[2] FAQ\n"_s));
        QVERIFY(!text.contains(u"[3] Unused"_s));
        QVERIFY(text.contains(u"Show all 3 retrieved"_s));
        QVERIFY(text.contains(u"TTFT 212 ms · 48 tok/s · retrieval 31 ms"_s));

        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::SourcesToggle, 1)));
        text = view.toPlainText();
        QVERIFY(text.contains(u"[3] Unused, p. 2"_s));
        QVERIFY(text.contains(u"Show cited only"_s));

        // A source in the footer opens the same popup.
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Source, 1, 3)));
        auto *popup = view.findChild<CitationPopup *>();
        QVERIFY(popup);
        QCOMPARE(popup->snapshot().number, 3);
        popup->close();

        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::SourcesToggle, 1)));
        QVERIFY(!view.toPlainText().contains(u"[3] Unused"_s));
    }

    void aLongStoredConversationRendersOverSeveralFrames()
    {
        // Opening a stored conversation renders finished messages from scratch. A long one must
        // not be written in one frame (seconds for a megabyte): it goes on over several, and the
        // result is the same document, footers and all, in order.
        MessageRecord longAnswer = richAnswer();
        longAnswer.content.clear();
        for (int n = 0; n < 400; ++n)
            longAnswer.content += u"Paragraph %1 cites a source [1].\n\n```python\nx_%1 = %1\n```\n\n"_s.arg(n);
        longAnswer.content += u"The end of the long answer [2]."_s;
        ViewHarness harness({ question(u"first question"_s), longAnswer, question(u"later question"_s), richAnswer() });
        QVERIFY(harness.view.hasPendingText()); // the first frame, at show, could not do it all
        const int passesAtShow = harness.view.renderPassCount();
        harness.view.resync(); // a reload while half written starts over cleanly
        QVERIFY(harness.settle());
        QVERIFY(harness.view.renderPassCount() >= passesAtShow + 2);

        const QString text = harness.view.toPlainText();
        const QStringList inOrder { u"first question"_s, u"x_0 = 0"_s, u"x_199 = 199"_s, u"x_399 = 399"_s,
            u"The end of the long answer"_s, u"[1] Install guide, p. 4"_s, u"later question"_s, u"Setup"_s,
            u"def hello"_s };
        qsizetype at = 0;
        for (const QString &part : inOrder) {
            const qsizetype found = text.indexOf(part, at);
            QVERIFY2(found >= 0, qPrintable(u"missing or out of order: "_s + part));
            at = found + part.size();
        }
        QCOMPARE(text.count(u"Show all 3 retrieved"_s), 2); // both answers got their footer, once
        QCOMPARE(text.count(u"x_"_s), 400);
        // The user's messages got their background, the later one included.
        for (const QString &asked : { u"first question"_s, u"later question"_s }) {
            const QTextBlock block = harness.view.document()->find(asked).block();
            QVERIFY2(block.blockFormat().background().style() != Qt::NoBrush, qPrintable(asked));
        }
        QCOMPARE(harness.view.resourceRequests(), 0);
        // It stayed put while catching up, and shows the newest message once the text is there.
        QScrollBar *bar = harness.view.verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        QTRY_COMPARE(bar->value(), bar->maximum());
    }

    void aHugeFinishedCodeBlockIsWrittenOverSeveralFrames()
    {
        // One block can be the whole answer: a finished fence of thousands of lines is written a
        // few lines at a time across frames, each line once, in order, still highlighted.
        MessageRecord answer = richAnswer();
        answer.content = u"Here it is:\n\n```python\n"_s;
        for (int n = 0; n < 3000; ++n)
            answer.content += u"value_%1 = compute(%1)  # line %1\n"_s.arg(n);
        answer.content += u"```\n\nThat is all [1]."_s;
        ViewHarness harness({ question(u"show me"_s), answer });
        int mostLinesInAFrame = harness.view.lastFrameWork().codeLines;
        int frames = 1;
        QVERIFY(QTest::qWaitFor([&] {
            if (harness.view.renderPassCount() > frames) {
                frames = harness.view.renderPassCount();
                mostLinesInAFrame = qMax(mostLinesInAFrame, harness.view.lastFrameWork().codeLines);
            }
            return !harness.view.hasPendingText();
        }, 20000));
        QVERIFY2(mostLinesInAFrame < 3000, qPrintable(QString::number(mostLinesInAFrame)));
        QVERIFY(mostLinesInAFrame > 0);

        const QString text = harness.view.toPlainText();
        QCOMPARE(text.count(u"= compute("_s), 3000);
        qsizetype at = 0;
        for (const int n : { 0, 1, 31, 32, 33, 1500, 2999 }) {
            const qsizetype found = text.indexOf(u"value_%1 = compute(%1)  # line %1\n"_s.arg(n), at);
            QVERIFY2(found >= 0, qPrintable(u"line %1 missing or out of order"_s.arg(n)));
            at = found;
        }
        QVERIFY(text.indexOf(u"That is all"_s) > at);
        QCOMPARE(text.count(u"Show all 3 retrieved"_s), 1);
        // The comment of a late line is coloured like an early one's: the highlighter's state
        // carried over the frame boundaries.
        const auto commentColour = [&](int n) {
            QTextCursor cursor = harness.view.document()->find(u"# line %1"_s.arg(n));
            return cursor.isNull() ? QColor() : cursor.charFormat().foreground().color();
        };
        QVERIFY(commentColour(2).isValid());
        QCOMPARE(commentColour(2999), commentColour(2));
        QVERIFY(commentColour(2999) != harness.view.palette().color(QPalette::Text));
    }

    void togglesOnAnEarlierMessageKeepTheRest()
    {
        ViewHarness harness({ question(u"first"_s), richAnswer(), question(u"second"_s), richAnswer() });
        QVERIFY(harness.settle());
        MessageView &view = harness.view;
        const auto tail = [&view] {
            const QString text = view.toPlainText();
            return text.sliced(text.lastIndexOf(u"second"_s));
        };
        const QString before = tail();
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::SourcesToggle, 1)));
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Reasoning, 1)));
        QVERIFY(view.toPlainText().contains(u"The sources cover installing with pip."_s));
        QVERIFY(view.toPlainText().contains(u"[3] Unused"_s));
        QCOMPARE(tail(), before);
        // The later message's own anchors still act on it, its offsets moved along.
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::SourcesToggle, 3)));
        QVERIFY(tail().contains(u"[3] Unused"_s));
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Reasoning, 1)));
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::SourcesToggle, 3)));
        QCOMPARE(tail(), before);
        QVERIFY(!view.toPlainText().contains(u"The sources cover installing with pip."_s));
        QGuiApplication::clipboard()->clear();
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Copy, 3, 2)));
        QCOMPARE(QGuiApplication::clipboard()->text(), u"def hello():\n    return \"hi\"  # greet\n"_s);
    }

    void codeIsHighlightedAndCopiedExactly()
    {
        ViewHarness harness({ question(u"q"_s), richAnswer() });
        QVERIFY(harness.settle());
        MessageView &view = harness.view;
        const QString text = view.toPlainText();
        QVERIFY2(text.contains(u"Python  ·  Copy"_s), qPrintable(text));
        // The string literal is coloured unlike the plain name before it.
        QTextCursor cursor(view.document());
        cursor.setPosition(int(text.indexOf(u"\"hi\""_s)) + 2);
        const QColor literal = cursor.charFormat().foreground().color();
        cursor.setPosition(int(text.indexOf(u"hello"_s)) + 2);
        QVERIFY(literal != cursor.charFormat().foreground().color());

        QGuiApplication::clipboard()->clear();
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Copy, 1, 2)));
        QCOMPARE(QGuiApplication::clipboard()->text(), u"def hello():\n    return \"hi\"  # greet\n"_s);
    }

    void actionRowEmitsRequestsForItsMessage()
    {
        const auto versions = [](int index) { return index == 1 ? MessageVersions { 2, 3 } : MessageVersions {}; };
        ViewHarness harness({ question(u"first"_s), richAnswer(), question(u"second"_s), richAnswer() }, versions);
        QVERIFY(harness.settle());
        MessageView &view = harness.view;
        QSignalSpy actions(&view, &MessageView::messageActionRequested);
        QSignalSpy versionSpy(&view, &MessageView::versionRequested);

        QVERIFY(clickAnchor(&view, action(3, MessageAction::Regenerate)));
        QVERIFY(clickAnchor(&view, action(2, MessageAction::Edit)));
        QVERIFY(clickAnchor(&view, action(1, MessageAction::Inspect)));
        QVERIFY(clickAnchor(&view, action(0, MessageAction::Delete)));
        QCOMPARE(actions.count(), 4);
        QCOMPARE(actions.at(0).at(0).toInt(), 3);
        QCOMPARE(actions.at(0).at(1).value<MessageAction>(), MessageAction::Regenerate);
        QCOMPARE(actions.at(1).at(0).toInt(), 2);
        QCOMPARE(actions.at(1).at(1).value<MessageAction>(), MessageAction::Edit);
        QCOMPARE(actions.at(2).at(1).value<MessageAction>(), MessageAction::Inspect);
        QCOMPARE(actions.at(3).at(0).toInt(), 0);
        // User messages offer no Regenerate; answers no Edit.
        const QStringList anchors = anchorsOf(view.document());
        QVERIFY(!anchors.contains(action(0, MessageAction::Regenerate)));
        QVERIFY(!anchors.contains(action(1, MessageAction::Edit)));

        QVERIFY(view.toPlainText().contains(u"‹ 2/3 ›"_s));
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Version, 1, 3)));
        QVERIFY(clickAnchor(&view, ViewAnchor::href(ViewAnchor::Kind::Version, 1, 1)));
        QCOMPARE(versionSpy.count(), 2);
        QCOMPARE(versionSpy.at(0), (QList<QVariant> { 1, 3 }));
        QCOMPARE(versionSpy.at(1), (QList<QVariant> { 1, 1 }));

        QVERIFY(clickAnchor(&view, action(1, MessageAction::CopyMarkdown)));
        QCOMPARE(QGuiApplication::clipboard()->text(), harness.messages.at(1).content);
        QVERIFY(clickAnchor(&view, action(1, MessageAction::CopyText)));
        QVERIFY(QGuiApplication::clipboard()->text().startsWith(u"Setup\n"_s));
    }

    void screenshotsForReview()
    {
        // Set RAGDESK_SCREENSHOT_DIR to look at the result in both palettes.
        MessageRecord hostile = richAnswer();
        hostile.reasoning.clear();
        hostile.sources.clear();
        hostile.metrics = {};
        hostile.content = u"Raw <b>html</b> and <script>x()</script>, an image ![logo](http://evil.example/l.png), "
                          u"[a bad link](javascript:alert(1)) and <https://ok.example>.\n\n| a | b |\n|---|---|\n"
                          u"| 1 | 2 |\n\n~~~rust\nfn main() { println!(\"hi\"); }\n~~~\n"_s;
        ViewHarness harness({ question(u"How do I **install** it?"_s), richAnswer(), question(u"More?"_s), hostile });
        harness.view.resize(800, 900);
        QVERIFY(harness.settle());
        const QString dir = qEnvironmentVariable("RAGDESK_SCREENSHOT_DIR");
        for (const auto &[name, palette] : { std::pair { u"light"_s, AppTheme::lightPalette() },
                 std::pair { u"dark"_s, AppTheme::darkPalette() } }) {
            harness.view.setPalette(palette);
            QVERIFY(harness.settle());
            QVERIFY(harness.view.toPlainText().contains(u"Install guide"_s));
            if (!dir.isEmpty())
                harness.view.grab().save(dir + u"/messageview-"_s + name + u".png"_s);
        }
    }
};

QTEST_MAIN(TestMessageView)
#include "tst_messageview.moc"
