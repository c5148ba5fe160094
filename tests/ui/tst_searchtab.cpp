// SearchTab driven like a user would, offscreen, against a FakeSearch the test resolves by hand:
// debounce, cancellation of stale queries, concurrent tabs, highlighted snippets, the passage
// preview and the keyboard paths between query and results.

#include "core/chat/AssistantCatalog.h"
#include "core/chat/ChatSession.h"
#include "core/chat/SearchSummary.h"
#include "core/llm/OpenAiChatProvider.h"
#include "core/storage/AssistantStore.h"
#include "tests/support/OpenedProfile.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/ui/DocumentAnchors.h"
#include "tests/ui/FakeSearch.h"
#include "ui/AppTheme.h"
#include "ui/AssistantPicker.h"
#include "ui/CitationPopup.h"
#include "ui/MessageView.h"
#include "ui/ErrorBanner.h"
#include "ui/PassagePreviewDialog.h"
#include "ui/RetrievalInspector.h"
#include "ui/SearchOptionsPopup.h"
#include "ui/SearchResultModel.h"
#include "ui/SearchSummaryPanel.h"
#include "ui/SearchTab.h"
#include "ui/markdown/ViewAnchor.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QListView>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QRegularExpression>
#include <QTest>
#include <QToolButton>
#include <QToolTip>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ragdesk;
using namespace ragdesk::testing;
using QuoteSources = ragdesk::testing::FakeLlmOptions::QuoteSources;

namespace {

using Spans = QList<std::pair<qsizetype, qsizetype>>;

QCoro::Task<Result<QString>> fixedText(QString text)
{
    co_return text;
}

/// A shown, exposed tab on @p services.
std::unique_ptr<SearchTab> makeTab(SearchTab::Services services)
{
    auto tab = std::make_unique<SearchTab>(std::move(services));
    tab->resize(900, 600);
    tab->show();
    if (!QTest::qWaitForWindowExposed(tab.get()))
        return nullptr;
    // Focus and shortcuts only work in the active window.
    tab->activateWindow();
    if (!QTest::qWaitForWindowActive(tab.get()))
        return nullptr;
    return tab;
}

/// A shown, exposed tab on @p search.
std::unique_ptr<SearchTab> makeTab(const FakeSearch &search, DocumentTextFunction documentText = {})
{
    return makeTab(SearchTab::Services { search.function(), std::move(documentText), nullptr });
}

/// Five hits for "glaciers creep"; the third is the passage about glaciers the fake model quotes.
RetrievalResult glacierResult()
{
    RetrievalResult result = sampleResult(u"glaciers creep"_s, 5);
    result.hits[2].text = u"Glaciers creep downhill a few metres each day, sliding on meltwater under the ice."_s;
    return result;
}

/// The fake LLM server and an OpenAI-compatible provider on it, for the tab's summaries.
struct FakeModel {
    testing::FakeLlmServer server;
    QNetworkAccessManager network;
    std::shared_ptr<ChatProvider> provider;

    FakeModel()
    {
        ProviderSettings settings;
        settings.baseUrl = server.baseUrl();
        settings.model = u"fake-model"_s;
        settings.idleTimeout = 2s;
        provider = std::make_shared<OpenAiChatProvider>(&network, settings);
        pace(QuoteSources::WithMarker, 200);
    }
    void pace(FakeLlmOptions::QuoteSources quote, int tokensPerSecond, int tokens = 24)
    {
        auto options = server.options();
        options.quoteSources = quote;
        options.tokensPerSecond = tokensPerSecond;
        options.tokens = tokens;
        server.setOptions(options);
    }
    SearchTab::Services services(const FakeSearch &search)
    {
        SearchTab::Services services { search.function(), {}, nullptr };
        services.openProvider = ChatServices::fixed({ provider, {} });
        RetryPolicy::Settings once;
        once.maxAttempts = 1;
        services.retryPolicy = RetryPolicy(once);
        return services;
    }
};

/// Searches @p query in @p tab and answers with @p result.
bool showResults(SearchTab &tab, FakeSearch &search, const QString &query, const RetrievalResult &result)
{
    const int call = search.count();
    tab.setQuery(query);
    if (search.count() != call + 1)
        return false;
    search.complete(call, result);
    return QTest::qWaitFor([&] { return tab.results()->rowCount() == result.hits.size() && !tab.isSearching(); });
}

/// A tab whose slow summary of glacierResult() has begun to stream; null if it did not.
std::unique_ptr<SearchTab> tabSummarizing(FakeSearch &search, FakeModel &model)
{
    model.pace(QuoteSources::Off, 30, 400);
    auto tab = makeTab(model.services(search));
    if (!tab || !showResults(*tab, search, u"glaciers creep"_s, glacierResult()))
        return nullptr;
    tab->summarizeButton()->click();
    if (!QTest::qWaitFor([&] { return !tab->summary()->message().content.isEmpty(); }))
        return nullptr;
    return tab;
}

QStringList shownTitles(const SearchTab &tab)
{
    QStringList titles;
    for (int row = 0; row < tab.results()->rowCount(); ++row)
        titles.append(tab.results()->index(row).data(SearchResultModel::TitleRole).toString());
    return titles;
}

RetrievalResult oneHit(const QString &query, const QString &title)
{
    RetrievalResult result = sampleResult(query, 1);
    result.hits[0].documentTitle = title;
    return result;
}

/// Whether @p image has a pixel of exactly @p colour.
bool containsColour(const QImage &image, const QColor &colour)
{
    const QRgb wanted = colour.rgb();
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if ((line[x] | 0xff000000) == wanted)
                return true;
        }
    }
    return false;
}

} // namespace

class TestSearchTab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { AppTheme().apply(ThemeMode::Light); }

    void typingFastIssuesOneQueryAfterTheDebounce()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        QTest::keyClicks(tab->queryEdit(), u"covering index"_s);
        // Every keystroke restarted the timer: nothing reached the engine while typing.
        QCOMPARE(search.count(), 0);
        QTRY_COMPARE(search.count(), 1);
        QCOMPARE(search.call(0).query, u"covering index"_s);
        QVERIFY(tab->isSearching());
        QCOMPARE(tab->statusText(), u"Searching…"_s);
        // A pause well past the debounce brings no second query for the same text.
        QTest::qWait(int(SearchTab::kDebounce.count()) * 2);
        QCOMPARE(search.count(), 1);

        search.complete(0, sampleResult(u"covering index"_s, 3));
        QTRY_COMPARE(tab->results()->rowCount(), 3);
        QVERIFY(!tab->isSearching());
        // The time is what this test waited for its fake engine, so only its shape is fixed.
        const QString status = tab->statusText();
        static const QRegularExpression shape(
            u"^3 results in [0-9.,]+ m?s · Vectors partly ready \\(312 of 900 chunks embedded\\)$"_s);
        QVERIFY2(shape.match(status).hasMatch(), qPrintable(status));
        QCOMPARE(tab->title(), u"Search: covering index"_s);
    }

    void aStaleQueryIsCancelledAndItsLateAnswerNeverShown()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        QTest::keyClicks(tab->queryEdit(), u"alpha"_s);
        QTRY_COMPARE(search.count(), 1);
        QVERIFY(!search.call(0).cancel.isCancelled());

        QTest::keyClicks(tab->queryEdit(), u" beta"_s);
        QTRY_COMPARE(search.count(), 2);
        QCOMPARE(search.call(1).query, u"alpha beta"_s);
        // The first query was cancelled the moment the second one started, not queued behind it.
        QVERIFY(search.call(0).cancel.isCancelled());
        QVERIFY(!search.call(1).cancel.isCancelled());

        // The stale answer arrives first: it must not flash on screen.
        search.complete(0, oneHit(u"alpha"_s, u"Stale alpha"_s));
        QTest::qWait(50);
        QCOMPARE(tab->results()->rowCount(), 0);
        QVERIFY(tab->isSearching());

        search.complete(1, oneHit(u"alpha beta"_s, u"Fresh alpha beta"_s));
        QTRY_COMPARE(shownTitles(*tab), QStringList { u"Fresh alpha beta"_s });

        // A third query, and now the previous one's answer comes after the newest: still ignored.
        QTest::keyClicks(tab->queryEdit(), u" gamma"_s);
        QTRY_COMPARE(search.count(), 3);
        search.complete(2, oneHit(u"alpha beta gamma"_s, u"Newest"_s));
        QTRY_COMPARE(shownTitles(*tab), QStringList { u"Newest"_s });
        search.complete(1, oneHit(u"alpha beta"_s, u"Late again"_s));
        QTest::qWait(50);
        QCOMPARE(shownTitles(*tab), QStringList { u"Newest"_s });
    }

    void closingTheTabCancelsItsQuery()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        tab->setQuery(u"anything"_s);
        QCOMPARE(search.count(), 1);
        tab.reset();
        QVERIFY(search.call(0).cancel.isCancelled());
        // The late answer resumes into a dead tab's QPointer and must not crash.
        search.complete(0, sampleResult(u"anything"_s));
        QTest::qWait(20);
    }

    void twoTabsSearchAtTheSameTime()
    {
        FakeSearch search;
        auto first = makeTab(search);
        auto second = makeTab(search);
        QVERIFY(first && second);
        QTest::keyClicks(first->queryEdit(), u"sqlite"_s);
        QTest::keyClicks(second->queryEdit(), u"vectors"_s);
        QTRY_COMPARE(search.count(), 2);
        // Both run at once: neither tab's query cancelled the other's.
        QVERIFY(!search.call(0).cancel.isCancelled());
        QVERIFY(!search.call(1).cancel.isCancelled());
        QVERIFY(first->isSearching() && second->isSearching());

        const int sqliteCall = search.call(0).query == u"sqlite"_s ? 0 : 1;
        // Answers arrive in the opposite order.
        search.complete(1 - sqliteCall, oneHit(u"vectors"_s, u"Vector result"_s));
        search.complete(sqliteCall, oneHit(u"sqlite"_s, u"SQLite result"_s));
        QTRY_COMPARE(shownTitles(*first), QStringList { u"SQLite result"_s });
        QTRY_COMPARE(shownTitles(*second), QStringList { u"Vector result"_s });
        QCOMPARE(first->title(), u"Search: sqlite"_s);
        QCOMPARE(second->title(), u"Search: vectors"_s);
    }

    void resultsShowTitleLocationAndHighlightedSnippet()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        tab->setQuery(u"covering"_s);
        search.complete(0, sampleResult(u"covering"_s, 4));
        QTRY_COMPARE(tab->results()->rowCount(), 4);

        const QModelIndex first = tab->results()->index(0);
        QCOMPARE(first.data(SearchResultModel::TitleRole).toString(), u"SQLite Query Planner"_s);
        QCOMPARE(first.data(SearchResultModel::LocationRole).toString(), u"Indexes > Covering indexes · p. 14"_s);
        // No page for an EPUB: the heading path alone.
        QCOMPARE(tab->results()->index(1).data(SearchResultModel::LocationRole).toString(),
            u"Storage and Retrieval > B-Trees"_s);
        const QString snippet = first.data(SearchResultModel::SnippetRole).toString();
        const auto spans = first.data(SearchResultModel::HighlightSpansRole).value<Spans>();
        QCOMPARE(spans.size(), 2);
        for (const auto &[start, length] : spans)
            QCOMPARE(snippet.mid(start, length), u"covering"_s);

        // And the row as painted carries the mark colour behind those words.
        const QRect row = tab->resultList()->visualRect(first);
        QVERIFY(!row.isEmpty());
        const QImage image = tab->resultList()->viewport()->grab(row).toImage();
        QVERIFY(containsColour(image, AppTheme::markColor(tab->palette())));
        // A result without spans paints no mark.
        RetrievalResult plain = sampleResult(u"x"_s, 1);
        plain.hits[0].snippet.spans.clear();
        tab->setQuery(u"plain"_s);
        search.complete(1, plain);
        QTRY_COMPARE(tab->results()->rowCount(), 1);
        const QImage unmarked =
            tab->resultList()->viewport()->grab(tab->resultList()->visualRect(tab->results()->index(0))).toImage();
        QVERIFY(!containsColour(unmarked, AppTheme::markColor(tab->palette())));
    }

    void spansOutsideTheSnippetAreClamped()
    {
        SearchResultModel model;
        RetrievalHit hit;
        hit.snippet.text = u"short"_s;
        hit.snippet.spans = { { 2, 10 }, { 9, 2 }, { -1, 3 } };
        model.setHits({ hit });
        const auto spans = model.index(0).data(SearchResultModel::HighlightSpansRole).value<Spans>();
        QCOMPARE(spans, (Spans { { 2, 3 } }));
    }

    void enterOpensThePreviewWithThePassageSelected()
    {
        QString document = u"Chapter one.\n\n"_s;
        for (int line = 0; line < 200; ++line)
            document += u"Line %1 of the text before the passage.\n"_s.arg(line);
        RetrievalResult result = sampleResult(u"covering"_s, 2);
        QString text = document + result.hits[0].text + u"\n\nAnd words after it."_s;
        result.hits[0].startOffset = document.size();
        result.hits[0].endOffset = document.size() + result.hits[0].text.size();
        qint64 requested = 0;
        FakeSearch search;
        auto tab = makeTab(search, [text, &requested](qint64 documentId) {
            requested = documentId;
            return fixedText(text);
        });
        QVERIFY(tab);
        QTest::keyClicks(tab->queryEdit(), u"covering"_s);
        QTRY_COMPARE(search.count(), 1);
        search.complete(0, result);
        QTRY_COMPARE(tab->results()->rowCount(), 2);

        tab->queryEdit()->setFocus();
        QTest::keyClick(tab->queryEdit(), Qt::Key_Down);
        QVERIFY(tab->resultList()->hasFocus());
        QCOMPARE(tab->resultList()->currentIndex().row(), 0);
        QTest::keyClick(tab->resultList(), Qt::Key_Return);
        auto *preview = tab->findChild<PassagePreviewDialog *>();
        QVERIFY(preview);
        QTRY_VERIFY(preview->isLoaded());
        QCOMPARE(requested, result.hits[0].documentId);
        QCOMPARE(preview->textView()->toPlainText(), text);
        QCOMPARE(preview->textView()->textCursor().selectedText(), result.hits[0].text);
        QCOMPARE(preview->passageRange(), std::pair(int(document.size()), int(document.size() + result.hits[0].text.size())));
        QCOMPARE(preview->findChild<QLabel *>(u"previewLocation"_s)->text(), u"Indexes > Covering indexes · p. 14"_s);
        // Two hundred lines down, and still in view.
        QVERIFY(preview->textView()->verticalScrollBar()->value() > 0);
        QVERIFY(preview->textView()->viewport()->rect().contains(preview->textView()->cursorRect().center()));
        preview->close();

        // Esc goes back to the query; Down again returns to the row the user left.
        QTest::keyClick(tab->resultList(), Qt::Key_Down);
        QCOMPARE(tab->resultList()->currentIndex().row(), 1);
        QTest::keyClick(tab->resultList(), Qt::Key_Escape);
        QVERIFY(tab->queryEdit()->hasFocus());
        QTest::keyClick(tab->queryEdit(), Qt::Key_Down);
        QCOMPARE(tab->resultList()->currentIndex().row(), 1);
        // The inspector's row follows.
        QCOMPARE(tab->inspector()->table()->currentIndex().row(), 1);
    }

    void openingAMissingFileExplainsWhy()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        tab->setQuery(u"covering"_s);
        RetrievalResult result = sampleResult(u"covering"_s, 1);
        result.hits[0].documentPath = u"/nonexistent/ragdesk/moved.pdf"_s;
        search.complete(0, result);
        QTRY_COMPARE(tab->results()->rowCount(), 1);
        tab->resultList()->setFocus();
        QTest::keyClick(tab->resultList(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(tab->errorBanner()->isVisible());
        QVERIFY(tab->errorBanner()->message().contains(u"moved.pdf"_s));
        QVERIFY(tab->errorBanner()->message().contains(u"no longer there"_s));
        // Ctrl+Enter opened no preview.
        QVERIFY(!tab->findChild<PassagePreviewDialog *>());
    }

    void previewFallsBackToThePassageWhenTheDocumentFails()
    {
        FakeSearch search;
        auto tab = makeTab(search, [](qint64) -> QCoro::Task<Result<QString>> {
            return []() -> QCoro::Task<Result<QString>> { co_return fail(Error::Kind::Database, u"disk gone"_s); }();
        });
        QVERIFY(tab);
        tab->setQuery(u"covering"_s);
        search.complete(0, sampleResult(u"covering"_s, 1));
        QTRY_COMPARE(tab->results()->rowCount(), 1);
        PassagePreviewDialog *preview = tab->openPreview(0);
        QVERIFY(preview);
        QTRY_VERIFY(preview->isLoaded());
        QCOMPARE(preview->textView()->toPlainText(), tab->results()->hit(0).text);
        QVERIFY(preview->findChild<QLabel *>(u"previewStatus"_s)->text().contains(u"disk gone"_s));
    }

    void aFailedSearchShowsTheBannerAndRetries()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        tab->setQuery(u"broken"_s);
        search.complete(0, fail(Error::Kind::Database, u"index.db is locked"_s));
        QTRY_VERIFY(tab->errorBanner()->isVisible());
        QVERIFY(tab->errorBanner()->message().contains(u"index.db is locked"_s));
        QVERIFY(tab->errorBanner()->message().contains(u"broken"_s));
        QVERIFY(!tab->isSearching());
        Q_EMIT tab->errorBanner()->retryRequested();
        QCOMPARE(search.count(), 2);
        QVERIFY(tab->errorBanner()->isHidden());
        RetrievalResult nothing;
        nothing.query = u"broken"_s;
        search.complete(1, nothing);
        QTRY_VERIFY(tab->emptyState()->text().contains(u"No passages match"_s));
        QVERIFY(tab->emptyState()->isVisible());
    }

    void filtersAndOptionsReachTheEngine()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        tab->fileTypeFilter()->setCurrentIndex(1); // PDF; no query yet, so nothing is sent
        QCOMPARE(search.count(), 0);
        tab->setQuery(u"planner"_s);
        QCOMPARE(search.count(), 1);
        QCOMPARE(search.call(0).options.fileSuffixes, QStringList { u"pdf"_s });
        QVERIFY(search.call(0).options.knowledgeBaseIds.isEmpty());
        // Changing a filter re-runs the query at once and cancels the running one.
        tab->fileTypeFilter()->setCurrentIndex(0);
        QCOMPARE(search.count(), 2);
        QVERIFY(search.call(0).cancel.isCancelled());
        QVERIFY(search.call(1).options.fileSuffixes.isEmpty());

        // The options popup: weighted sum with more keyword weight, top 3; debounced like typing.
        tab->optionsPopup()->fusion()->setCurrentIndex(tab->optionsPopup()->fusion()->findData(int(FusionMethod::WeightedSum)));
        tab->optionsPopup()->keywordWeight()->setValue(70);
        tab->optionsPopup()->topN()->setValue(3);
        QTRY_COMPARE(search.count(), 3);
        QCOMPARE(search.call(2).options.fusion, FusionMethod::WeightedSum);
        QCOMPARE(search.call(2).options.keywordWeight, 0.7);
        QCOMPARE(search.call(2).options.topN, 3);
    }

    void ctrlITogglesTheInspector()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        tab->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(tab.get()));
        tab->queryEdit()->setFocus();
        QVERIFY(!tab->isInspectorVisible());
        QVERIFY(tab->inspector()->isHidden());
        QTest::keyClick(tab->queryEdit(), Qt::Key_I, Qt::ControlModifier);
        QVERIFY(tab->isInspectorVisible());
        QVERIFY(tab->inspector()->isVisible());
        QTest::keyClick(tab->queryEdit(), Qt::Key_I, Qt::ControlModifier);
        QVERIFY(tab->inspector()->isHidden());
    }

    /// Not a check: writes light and dark screenshots when RAGDESK_SCREENSHOT_DIR is set.
    void summarizeStreamsUnderTheResultsWithChips()
    {
        FakeSearch search;
        FakeModel model;
        model.pace(QuoteSources::WithMarker, 60);
        auto tab = makeTab(model.services(search));
        QVERIFY(tab);
        QVERIFY(tab->summarizeButton()->isVisible());
        QVERIFY(!tab->summarizeButton()->isEnabled());
        QVERIFY(showResults(*tab, search, u"glaciers creep"_s, glacierResult()));
        QVERIFY(tab->summarizeButton()->isEnabled());
        QVERIFY(!tab->summaryPanel()->isVisible());

        QElapsedTimer clock;
        clock.start();
        tab->summarizeButton()->click();
        SearchSummaryPanel *panel = tab->summaryPanel();
        QSignalSpy appended(tab->summary(), &SearchSummary::textAppended);
        QVERIFY(panel->isVisible());
        // Under the list, not beside or over it.
        const QRect list(tab->resultList()->mapTo(tab.get(), QPoint()), tab->resultList()->size());
        QVERIFY(panel->mapTo(tab.get(), QPoint()).y() >= list.bottom());
        QVERIFY(panel->stopButton()->isVisible());
        QVERIFY2(panel->statusText().startsWith(u"Summarizing 5 passages with fake-model"_s), qPrintable(panel->statusText()));
        // It streams: part of the answer is on screen before the end.
        QTRY_VERIFY(!tab->summary()->message().content.isEmpty() && tab->summary()->isRunning());
        QTRY_VERIFY(panel->view()->toPlainText().contains(u"Glaciers"_s));
        QTRY_VERIFY(!tab->summary()->isRunning());
        QTRY_VERIFY(!panel->view()->hasPendingText());
        QCOMPARE(panel->statusText(), u"Summarized by fake-model from 5 passages"_s);
        // It names itself a summary, not a chat's assistant.
        QVERIFY2(panel->view()->toPlainText().trimmed().startsWith(u"AI summary\n"_s), qPrintable(panel->view()->toPlainText().left(80)));
        // Repaints are throttled to the view's frame rate, not one per token.
        const qint64 frames = clock.elapsed() / MessageView::kFrameInterval.count() + 3;
        QVERIFY2(panel->view()->renderPassCount() <= frames,
            qPrintable(u"%1 passes for %2 frames"_s.arg(panel->view()->renderPassCount()).arg(frames)));
        QVERIFY(panel->view()->renderPassCount() < appended.size());
        QVERIFY(!panel->stopButton()->isVisible());
        QVERIFY(!panel->retryButton()->isVisible());

        // The chip for source 3 is the glacier passage: hover shows it, a click opens the popup
        // and selects its result.
        tab->resultList()->setCurrentIndex(tab->results()->index(0));
        const QString chip = ViewAnchor::href(ViewAnchor::Kind::Cite, 0, 3);
        const QPoint at = anchorPointIn(panel->view(), chip);
        QVERIFY2(!at.isNull(), qPrintable(panel->view()->toPlainText()));
        QHelpEvent hover(QEvent::ToolTip, at, panel->view()->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(panel->view()->viewport(), &hover);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(u"Glaciers creep downhill"_s), qPrintable(QToolTip::text()));
        QToolTip::hideText();
        QVERIFY(clickAnchorIn(panel->view(), chip));
        auto *popup = panel->view()->findChild<CitationPopup *>();
        QVERIFY(popup);
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(popup->snapshot().chunkId, glacierResult().hits[2].chunkId);
        QCOMPARE(popup->findChild<QPlainTextEdit *>(u"citationText"_s)->toPlainText(), glacierResult().hits[2].text);
        QCOMPARE(tab->resultList()->currentIndex().row(), 2);
        popup->close();
    }

    void theSummaryUsesTheAssistantPicked()
    {
        // The panel offers the profile's assistants; picking another redoes the summary shown
        // with its settings (here: its top N passages) and "Manage assistants…" asks the window.
        testing::OpenedProfile profile;
        QVERIFY2(profile.isValid(), qPrintable(profile.errorText()));
        AssistantCatalog catalog(std::make_shared<AssistantStore>(profile.database()));
        QVERIFY(QCoro::waitFor(catalog.load()).has_value());
        Assistant brief;
        brief.name = u"Brief"_s;
        brief.topN = 2;
        QVERIFY(QCoro::waitFor(catalog.save({ catalog.assistants().first(), brief }, {})).has_value());

        FakeSearch search;
        FakeModel model;
        SearchTab::Services services = model.services(search);
        services.assistants = &catalog;
        auto tab = makeTab(std::move(services));
        QVERIFY(tab);
        QVERIFY(showResults(*tab, search, u"glaciers creep"_s, glacierResult()));
        tab->summarizeButton()->click();
        SearchSummaryPanel *panel = tab->summaryPanel();
        AssistantPicker *picker = panel->assistantPicker();
        QVERIFY(picker && picker->isVisible());
        QCOMPARE(picker->assistant().name, catalog.forNewChats().name);
        QTRY_COMPARE(tab->summary()->message().status, MessageStatus::Done);
        QCOMPARE(panel->statusText(), u"Summarized by fake-model from 5 passages"_s);

        QComboBox *combo = picker->combo();
        const int briefRow = combo->findText(u"Brief"_s);
        QVERIFY(briefRow > 0);
        combo->setCurrentIndex(briefRow);
        Q_EMIT combo->activated(briefRow);
        QTRY_COMPARE(tab->summary()->message().status, MessageStatus::Done);
        QTRY_COMPARE(panel->statusText(), u"Summarized by fake-model from 2 passages"_s);
        QCOMPARE(tab->summary()->message().sources.size(), 2);

        QSignalSpy manage(tab.get(), &SearchTab::assistantsRequested);
        const int manageRow = combo->count() - 1;
        combo->setCurrentIndex(manageRow);
        Q_EMIT combo->activated(manageRow);
        QCOMPARE(manage.count(), 1);
    }

    void ctrlReturnSearchesThenSummarizes()
    {
        FakeSearch search;
        FakeModel model;
        auto tab = makeTab(model.services(search));
        QVERIFY(tab);
        // Typed but not searched yet: Ctrl+Return searches at once and summarises what it finds.
        QTest::keyClicks(tab->queryEdit(), u"glaciers creep"_s);
        QTest::keyClick(tab->queryEdit(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(search.count(), 1);
        QVERIFY(!tab->summaryPanel()->isVisible());
        search.complete(0, glacierResult());
        QTRY_VERIFY(tab->summaryPanel()->isVisible());
        QTRY_COMPARE(tab->summary()->message().status, MessageStatus::Done);
        QCOMPARE(tab->summary()->query(), u"glaciers creep"_s);
        QVERIFY(tab->summary()->message().content.contains(u"[3]"_s));
        QCOMPARE(search.count(), 1);

        // On results already shown, it summarises them again without searching.
        QTest::keyClick(tab->queryEdit(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(tab->summary()->isRunning());
        QTRY_COMPARE(tab->summary()->message().status, MessageStatus::Done);
        QCOMPARE(search.count(), 1);
        QCOMPARE(model.server.requestCount(), 2);
    }

    void stopRetryAndANewSearchCancel()
    {
        FakeSearch search;
        FakeModel model;
        auto tab = tabSummarizing(search, model);
        QVERIFY(tab);
        SearchSummaryPanel *panel = tab->summaryPanel();
        QVERIFY(panel->stopButton()->isVisible());
        panel->stopButton()->click();
        QTRY_VERIFY(!tab->summary()->isRunning());
        QCOMPARE(tab->summary()->message().status, MessageStatus::Stopped);
        QTRY_COMPARE(model.server.abortedStreams(), 1);
        QVERIFY(panel->statusText().startsWith(u"Stopped"_s));
        QVERIFY(panel->retryButton()->isVisible());
        QVERIFY(!panel->stopButton()->isVisible());

        panel->retryButton()->click();
        QVERIFY(tab->summary()->isRunning());
        QTRY_VERIFY(!tab->summary()->message().content.isEmpty());
        // A new search makes the summary stale: it is cancelled and goes away.
        tab->setQuery(u"basalt"_s);
        QVERIFY(!tab->summary()->isRunning());
        QVERIFY(tab->summary()->isEmpty());
        QVERIFY(!panel->isVisible());
        QVERIFY(!tab->summarizeButton()->isEnabled());
        QTRY_COMPARE(model.server.abortedStreams(), 2);
    }

    void aFailedSummarySaysWhyAndRetries()
    {
        FakeSearch search;
        FakeModel model;
        auto options = model.server.options();
        options.failure = testing::FakeLlmServer::Failure::Http500;
        options.failureCount = 1;
        model.server.setOptions(options);
        auto tab = makeTab(model.services(search));
        QVERIFY(tab);
        QVERIFY(showResults(*tab, search, u"glaciers creep"_s, glacierResult()));
        tab->summarizeButton()->click();
        SearchSummaryPanel *panel = tab->summaryPanel();
        QTRY_VERIFY(!tab->summary()->isRunning());
        QVERIFY2(panel->statusText().startsWith(u"Could not summarize"_s), qPrintable(panel->statusText()));
        QTRY_VERIFY(panel->view()->toPlainText().contains(u"model crashed"_s));
        QVERIFY(panel->retryButton()->isVisible());
        panel->retryButton()->click();
        QTRY_COMPARE(tab->summary()->message().status, MessageStatus::Done);
        QCOMPARE(panel->statusText(), u"Summarized by fake-model from 5 passages"_s);
    }

    void closingTheTabCancelsItsSummary()
    {
        FakeSearch search;
        FakeModel model;
        auto tab = tabSummarizing(search, model);
        QVERIFY(tab);
        tab.reset();
        QTRY_COMPARE(model.server.abortedStreams(), 1);
    }

    void withoutAModelThereIsNoSummarizeButton()
    {
        FakeSearch search;
        auto tab = makeTab(search);
        QVERIFY(tab);
        QVERIFY(showResults(*tab, search, u"glaciers creep"_s, glacierResult()));
        QVERIFY(!tab->summarizeButton()->isVisible());
        QTest::keyClick(tab->queryEdit(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(!tab->summaryPanel()->isVisible());
    }

    void screenshots()
    {
        const QString dir = qEnvironmentVariable("RAGDESK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set RAGDESK_SCREENSHOT_DIR to write screenshots");
        for (const auto &[mode, name] : { std::pair { ThemeMode::Light, u"light"_s }, std::pair { ThemeMode::Dark, u"dark"_s } }) {
            AppTheme().apply(mode);
            FakeSearch search;
            const RetrievalResult sample = sampleResult(u"covering index"_s, 5);
            const QString context = u"Chapter 4. The query planner\n\nSQLite keeps each index as a separate B-tree. "
                                    "A lookup normally finds the rowid in the index and then the row in the table.\n\n"_s
                + sample.hits[0].text + u"\n\nThe next section explains partial indexes.\n"_s;
            auto tab = makeTab(search, [context](qint64) { return fixedText(context); });
            QVERIFY(tab);
            tab->resize(1180, 700);
            QTest::keyClicks(tab->queryEdit(), u"covering index"_s);
            QTRY_COMPARE(search.count(), 1);
            RetrievalResult result = sample;
            result.hits[0].startOffset = context.indexOf(sample.hits[0].text);
            result.hits[0].endOffset = result.hits[0].startOffset + sample.hits[0].text.size();
            search.complete(0, result);
            QTRY_COMPARE(tab->results()->rowCount(), 5);
            tab->setInspectorVisible(true);
            tab->resultList()->setCurrentIndex(tab->results()->index(1));
            QTest::qWait(50);
            QVERIFY(tab->grab().save(QDir(dir).filePath(u"search-tab-%1.png"_s.arg(name))));
            tab->setInspectorVisible(false);
            QTest::qWait(20);
            QVERIFY(tab->grab().save(QDir(dir).filePath(u"search-tab-plain-%1.png"_s.arg(name))));
            PassagePreviewDialog *preview = tab->openPreview(0);
            QTRY_VERIFY(preview->isLoaded());
            QTest::qWait(20);
            QVERIFY(preview->grab().save(QDir(dir).filePath(u"passage-preview-%1.png"_s.arg(name))));
            preview->close();
            tab->optionsPopup()->adjustSize();
            QVERIFY(tab->optionsPopup()->grab().save(QDir(dir).filePath(u"search-options-%1.png"_s.arg(name))));

            FakeModel model;
            model.pace(QuoteSources::WithMarker, 400);
            FakeSearch summarySearch;
            auto summarized = makeTab(model.services(summarySearch));
            QVERIFY(summarized);
            summarized->resize(1180, 760);
            QVERIFY(showResults(*summarized, summarySearch, u"glaciers creep"_s, glacierResult()));
            summarized->summarizeButton()->click();
            QTRY_COMPARE(summarized->summary()->message().status, MessageStatus::Done);
            QTest::qWait(80);
            QVERIFY(summarized->grab().save(QDir(dir).filePath(u"search-summary-%1.png"_s.arg(name))));
            auto options = model.server.options();
            options.failure = testing::FakeLlmServer::Failure::Http500;
            model.server.setOptions(options);
            summarized->summarize();
            QTRY_COMPARE(summarized->summary()->message().status, MessageStatus::Error);
            QTest::qWait(80);
            QVERIFY(summarized->grab().save(QDir(dir).filePath(u"search-summary-error-%1.png"_s.arg(name))));

            // A markdown answer caught mid-stream: Stop shows, chips are live before the end.
            options = model.server.options();
            options.failure = testing::FakeLlmServer::Failure::None;
            options.quoteSources = QuoteSources::Off;
            options.tokensPerSecond = 40;
            options.reply = u"**Covering indexes** answer a query from the index alone [1], which skips the table "
                            "lookup [2].\n\n- They make reads several times faster [1].\n- They cost a larger file "
                            "and slower writes [4].\n\n```sql\nCREATE INDEX idx ON t(a, b);\n```\n\nIn short, use "
                            "them for hot read paths [3]."_s;
            model.server.setOptions(options);
            summarized->summarize();
            QTRY_VERIFY(summarized->summary()->message().content.contains(u"larger file"_s));
            QTest::qWait(60);
            QVERIFY(summarized->grab().save(QDir(dir).filePath(u"search-summary-streaming-%1.png"_s.arg(name))));
            QTRY_VERIFY_WITH_TIMEOUT(!summarized->summary()->isRunning(), 10000);
            QTest::qWait(80);
            QVERIFY(summarized->grab().save(QDir(dir).filePath(u"search-summary-markdown-%1.png"_s.arg(name))));
        }
        AppTheme().apply(ThemeMode::Light);
    }
};

QTEST_MAIN(TestSearchTab)
#include "tst_searchtab.moc"
