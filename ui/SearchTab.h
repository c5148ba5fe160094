#pragma once

#include "core/chat/SearchSummary.h"
#include "core/foundation/CancelToken.h"
#include "core/retrieval/RetrievalTypes.h"
#include "ui/SearchFunction.h"

#include <QCoroTask>
#include <QTimer>
#include <QWidget>

#include <chrono>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace KSyntaxHighlighting {
class Repository;
}

namespace ragdesk {

class AssistantCatalog;
class ErrorBanner;
class KnowledgeBaseLibrary;
class PassagePreviewDialog;
class RetrievalInspector;
class SearchOptionsPopup;
class SearchResultModel;
class SearchSummaryPanel;

/// One search: a query field that searches as you type (debounced), knowledge-base and file-type
/// filters, the hits as cards, and a toggleable retrieval inspector. A newer query cancels the one
/// in flight and a stale answer is dropped, so at most one live query runs per tab. Enter opens a
/// passage preview, Ctrl+O (or Ctrl+Enter) the file itself. "Summarize with AI" (Ctrl+Enter in
/// the query field) has the assistant's model summarise the top results under the list; a new
/// search or closing the tab cancels it.
class SearchTab : public QWidget
{
    Q_OBJECT
public:
    struct Services {
        SearchFunction search;
        DocumentTextFunction documentText; ///< optional; previews then show the chunk alone
        KnowledgeBaseLibrary *library = nullptr; ///< optional; fills the knowledge-base filter
        /// Opens the summary's provider; empty: no Summarize button.
        SearchSummary::OpenProvider openProvider = {};
        /// The assistants the summary panel offers (the one for new chats first); null: no
        /// picker, the built-in default summarises.
        AssistantCatalog *assistants = nullptr;
        /// When a failed summary request is sent again.
        RetryPolicy retryPolicy = {};
        /// The app's one syntax Repository, for code in summaries; null: code shown plain.
        const KSyntaxHighlighting::Repository *syntax = nullptr;
    };
    static constexpr std::chrono::milliseconds kDebounce { 180 };

    explicit SearchTab(Services services, QWidget *parent = nullptr);
    ~SearchTab() override;

    /// "Search: <query>", or "Search" before the first query.
    [[nodiscard]] QString title() const;
    [[nodiscard]] bool isSearching() const { return m_inFlight.has_value(); }
    /// What the next search sends: filters, top N and fusion from the options popup.
    [[nodiscard]] RetrievalOptions options() const;
    /// The result summary under the query ("8 results in 42 ms"), or the busy text.
    [[nodiscard]] QString statusText() const;

    [[nodiscard]] QLineEdit *queryEdit() const { return m_query; }
    [[nodiscard]] QListView *resultList() const { return m_list; }
    [[nodiscard]] SearchResultModel *results() const { return m_model; }
    [[nodiscard]] RetrievalInspector *inspector() const { return m_inspector; }
    [[nodiscard]] ErrorBanner *errorBanner() const { return m_banner; }
    [[nodiscard]] QComboBox *knowledgeBaseFilter() const { return m_knowledgeBases; }
    [[nodiscard]] QComboBox *fileTypeFilter() const { return m_fileTypes; }
    [[nodiscard]] QLabel *emptyState() const { return m_empty; }
    [[nodiscard]] SearchOptionsPopup *optionsPopup() const { return m_options; }
    [[nodiscard]] QPushButton *summarizeButton() const { return m_summarizeButton; }
    [[nodiscard]] SearchSummary *summary() const { return m_summary; }
    [[nodiscard]] SearchSummaryPanel *summaryPanel() const { return m_summaryPanel; }

    /// Sets the query and searches at once, skipping the debounce.
    void setQuery(const QString &query);
    /// Searches for the current query now: cancels the one in flight first.
    void search();
    void setInspectorVisible(bool visible);
    [[nodiscard]] bool isInspectorVisible() const;
    /// Opens the passage preview of result @p row (a non-modal window); null if there is none.
    PassagePreviewDialog *openPreview(int row);
    /// Opens result @p row's file in the system viewer; failures show in the banner.
    void openFile(int row);
    /// Summarises the results on screen under the list. A query typed but not searched yet is
    /// searched first and summarised when its results arrive.
    void summarize();

Q_SIGNALS:
    void titleChanged();
    /// A search's results (or its error) are on screen. Not emitted for stale or cancelled ones.
    void searchFinished();
    /// "Manage assistants…" in the summary's assistant picker.
    void assistantsRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QCoro::Task<> run(quint64 generation, QString query, RetrievalOptions options, CancelToken cancel);
    QCoro::Task<> loadKnowledgeBases();
    void scheduleSearch();
    void cancelInFlight();
    void setBusy(bool busy);
    void showResult(const RetrievalResult &result, double waitedMs);
    void showEmptyState(const QString &text);
    void clearSummary();
    void updateSummarizeButton();
    void selectChunk(qint64 chunkId);
    void openPath(const QString &path, int page);
    [[nodiscard]] int currentRow() const;

    Services m_services;
    QLineEdit *m_query;
    QComboBox *m_knowledgeBases;
    QComboBox *m_fileTypes;
    QToolButton *m_optionsButton;
    QToolButton *m_inspectorButton;
    SearchOptionsPopup *m_options = nullptr;
    QProgressBar *m_busy;
    QLabel *m_status;
    ErrorBanner *m_banner;
    QSplitter *m_splitter;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QListView *m_list;
    SearchResultModel *m_model;
    RetrievalInspector *m_inspector;
    QPushButton *m_summarizeButton;
    QSplitter *m_resultsSplitter; ///< the results (and inspector) above, the summary below
    SearchSummary *m_summary;
    SearchSummaryPanel *m_summaryPanel;
    RetrievalResult m_shown; ///< the result on screen, what a summary summarises
    bool m_summarizeWhenFound = false;
    QTimer m_debounce;
    /// Bumped by every search; an answer for an older generation is stale and dropped.
    quint64 m_generation = 0;
    std::optional<CancelToken> m_inFlight;
    QString m_title;
};

} // namespace ragdesk
