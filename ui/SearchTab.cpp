#include "ui/SearchTab.h"

#include "core/chat/AssistantCatalog.h"
#include "core/foundation/Detach.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "ui/ErrorBanner.h"
#include "ui/FileTypeFilter.h"
#include "ui/FileViewerLauncher.h"
#include "ui/PassagePreviewDialog.h"
#include "ui/RetrievalInspector.h"
#include "ui/SearchOptionsPopup.h"
#include "ui/SearchResultDelegate.h"
#include "ui/SearchResultModel.h"
#include "ui/SearchSummaryPanel.h"
#include "ui/StageTimingChart.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidgetAction>

using namespace Qt::StringLiterals;

namespace ragdesk {

SearchTab::SearchTab(Services services, QWidget *parent)
    : QWidget(parent)
    , m_services(std::move(services))
    , m_query(new QLineEdit(this))
    , m_knowledgeBases(new QComboBox(this))
    , m_fileTypes(new QComboBox(this))
    , m_optionsButton(new QToolButton(this))
    , m_inspectorButton(new QToolButton(this))
    , m_busy(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_banner(new ErrorBanner(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_stack(new QStackedWidget(m_splitter))
    , m_empty(new QLabel(m_stack))
    , m_list(new QListView(m_stack))
    , m_model(new SearchResultModel(this))
    , m_inspector(new RetrievalInspector(m_splitter))
    , m_summarizeButton(new QPushButton(this))
    , m_resultsSplitter(new QSplitter(Qt::Vertical, this))
    , m_summary(new SearchSummary(m_services.openProvider, m_services.retryPolicy, this))
    , m_summaryPanel(new SearchSummaryPanel(m_summary, m_services.syntax, m_services.assistants, m_resultsSplitter))
{
    setObjectName(u"searchTab"_s);
    m_query->setObjectName(u"searchQuery"_s);
    m_query->setPlaceholderText(tr("Search your documents…"));
    m_query->setClearButtonEnabled(true);
    m_query->installEventFilter(this);
    setFocusProxy(m_query);

    m_knowledgeBases->setObjectName(u"searchKnowledgeBases"_s);
    m_knowledgeBases->addItem(tr("All knowledge bases"), qint64(0));
    m_knowledgeBases->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_fileTypes->setObjectName(u"searchFileTypes"_s);
    m_fileTypes->addItem(tr("All file types"));
    for (const FileTypeGroup &group : fileTypeGroups())
        m_fileTypes->addItem(group.label);

    m_optionsButton->setObjectName(u"searchOptions"_s);
    m_optionsButton->setText(tr("Options ▾"));
    // The style's own arrow overlaps the text of a text-only tool button; the label carries one.
    m_optionsButton->setStyleSheet(u"QToolButton::menu-indicator { image: none; width: 0px; }"_s);
    m_optionsButton->setToolTip(tr("How many results, and how keyword and vector hits are merged"));
    m_optionsButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_optionsButton);
    auto *popup = new QWidgetAction(menu);
    m_options = new SearchOptionsPopup(menu);
    popup->setDefaultWidget(m_options);
    connect(m_options, &SearchOptionsPopup::changed, this, &SearchTab::scheduleSearch);
    menu->addAction(popup);
    m_optionsButton->setMenu(menu);

    m_inspectorButton->setObjectName(u"searchInspectorToggle"_s);
    m_inspectorButton->setText(tr("Inspector"));
    m_inspectorButton->setCheckable(true);
    m_inspectorButton->setToolTip(tr("Show how each hit was found and scored, and where the time went (Ctrl+I)"));

    m_summarizeButton->setObjectName(u"searchSummarize"_s);
    m_summarizeButton->setText(tr("✦ Summarize with AI"));
    m_summarizeButton->setToolTip(tr("Have the assistant's model summarise the top results, with citations (Ctrl+Enter)"));
    m_summarizeButton->setVisible(bool(m_services.openProvider));
    m_summarizeButton->setEnabled(false);

    m_busy->setObjectName(u"searchBusy"_s);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setFixedHeight(3);
    // Keeps its row when hidden, so results do not jump each time a search starts and ends.
    QSizePolicy busyPolicy = m_busy->sizePolicy();
    busyPolicy.setRetainSizeWhenHidden(true);
    m_busy->setSizePolicy(busyPolicy);
    m_busy->hide();
    m_status->setObjectName(u"searchStatus"_s);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_banner->setSettingsVisible(false);

    m_empty->setObjectName(u"searchEmptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setMargin(24);
    m_empty->setAutoFillBackground(true);
    m_empty->setBackgroundRole(QPalette::Base);
    m_list->setObjectName(u"searchResults"_s);
    m_list->setModel(m_model);
    m_list->setItemDelegate(new SearchResultDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setMouseTracking(true);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->installEventFilter(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_list);
    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_inspector);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_inspector->setMinimumWidth(420);
    m_inspector->hide();
    m_resultsSplitter->addWidget(m_splitter);
    m_resultsSplitter->addWidget(m_summaryPanel);
    m_resultsSplitter->setChildrenCollapsible(false);
    m_resultsSplitter->setStretchFactor(0, 1);
    m_resultsSplitter->setStretchFactor(1, 1);
    m_summaryPanel->setMinimumHeight(140);
    m_summaryPanel->hide();

    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(m_query, 1);
    bar->addWidget(m_knowledgeBases);
    bar->addWidget(m_fileTypes);
    bar->addWidget(m_optionsButton);
    bar->addWidget(m_inspectorButton);
    bar->addWidget(m_summarizeButton);
    auto *header = new QVBoxLayout;
    header->setContentsMargins(10, 10, 10, 4);
    header->setSpacing(4);
    header->addLayout(bar);
    header->addWidget(m_status);
    header->addWidget(m_banner);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_busy);
    layout->addWidget(m_resultsSplitter, 1);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounce);
    connect(&m_debounce, &QTimer::timeout, this, &SearchTab::search);
    connect(m_query, &QLineEdit::textEdited, this, &SearchTab::scheduleSearch);
    // The clear button empties the field without textEdited.
    connect(m_query, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            scheduleSearch();
    });
    connect(m_knowledgeBases, &QComboBox::currentIndexChanged, this, &SearchTab::search);
    connect(m_fileTypes, &QComboBox::currentIndexChanged, this, &SearchTab::search);
    connect(m_inspectorButton, &QToolButton::toggled, this, &SearchTab::setInspectorVisible);
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) { openPreview(index.row()); });
    connect(m_banner, &ErrorBanner::retryRequested, this, &SearchTab::search);
    connect(m_summarizeButton, &QPushButton::clicked, this, &SearchTab::summarize);
    connect(m_summaryPanel, &SearchSummaryPanel::retryRequested, this, &SearchTab::summarize);
    // Another assistant on screen: the summary shown is redone with it, as a chat's Regenerate would.
    connect(m_summaryPanel, &SearchSummaryPanel::assistantChanged, this, [this] {
        if (!m_summary->isEmpty())
            summarize();
    });
    connect(m_summaryPanel, &SearchSummaryPanel::assistantsRequested, this, &SearchTab::assistantsRequested);
    connect(m_summaryPanel, &SearchSummaryPanel::closeRequested, this, &SearchTab::clearSummary);
    connect(m_summaryPanel, &SearchSummaryPanel::inspectRequested, this, [this] { setInspectorVisible(true); });
    connect(m_summaryPanel, &SearchSummaryPanel::passageChosen, this, &SearchTab::selectChunk);
    connect(m_summaryPanel, &SearchSummaryPanel::openDocumentRequested, this,
        [this](const CitationSnapshot &source) { openPath(source.documentPath, source.page); });
    // The inspector follows the result the user is on, so its scores are found at a glance.
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex &current) {
            if (current.isValid())
                m_inspector->table()->selectRow(current.row());
        });

    auto *inspectorShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_I), this);
    inspectorShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(inspectorShortcut, &QShortcut::activated, m_inspectorButton, &QToolButton::toggle);
    auto *openShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_O), this);
    openShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(openShortcut, &QShortcut::activated, this, [this] { openFile(currentRow()); });

    if (m_services.library) {
        connect(m_services.library, &KnowledgeBaseLibrary::knowledgeBasesChanged, this,
            [this] { ragdesk::detach(loadKnowledgeBases(), "SearchTab::loadKnowledgeBases"); });
        ragdesk::detach(loadKnowledgeBases(), "SearchTab::loadKnowledgeBases");
    } else {
        m_knowledgeBases->hide();
    }
    QString hint = tr("Type to search your knowledge bases.\n"
                      "Enter opens a passage in its document, Ctrl+O the file itself, Ctrl+I the inspector.");
    if (m_services.openProvider)
        hint += u'\n' + tr("Ctrl+Enter in the search field summarizes the results with AI.");
    showEmptyState(hint);
}

SearchTab::~SearchTab()
{
    // The engine may still be working for us; let it stop early. Its answer finds us gone.
    cancelInFlight();
}

QString SearchTab::title() const
{
    return m_title.isEmpty() ? tr("Search") : tr("Search: %1").arg(m_title);
}

QString SearchTab::statusText() const
{
    return m_status->text();
}

RetrievalOptions SearchTab::options() const
{
    RetrievalOptions options;
    if (const qint64 id = m_knowledgeBases->currentData().toLongLong(); id > 0)
        options.knowledgeBaseIds = { id };
    const QList<FileTypeGroup> groups = fileTypeGroups();
    if (const int type = m_fileTypes->currentIndex(); type > 0 && type <= groups.size())
        options.fileSuffixes = groups.at(type - 1).suffixes;
    m_options->applyTo(options);
    return options;
}

void SearchTab::setQuery(const QString &query)
{
    m_query->setText(query);
    search();
}

void SearchTab::scheduleSearch()
{
    // Restarted on every keystroke: only a pause in typing reaches the engine.
    m_debounce.start();
}

void SearchTab::cancelInFlight()
{
    if (m_inFlight)
        m_inFlight->cancel();
    m_inFlight.reset();
}

void SearchTab::search()
{
    m_debounce.stop();
    const QString query = m_query->text().trimmed();
    ++m_generation;
    // Stale queries are cancelled, never queued: the newest one is the only one that counts.
    cancelInFlight();
    // A summary belongs to the results it was made from; new results make it stale.
    clearSummary();
    m_shown = {};
    updateSummarizeButton();
    m_banner->hide();
    if (query != m_title) {
        m_title = query;
        Q_EMIT titleChanged();
    }
    if (query.isEmpty()) {
        m_summarizeWhenFound = false;
        setBusy(false);
        m_model->clear();
        m_inspector->clear();
        m_status->clear();
        showEmptyState(tr("Type to search your knowledge bases."));
        return;
    }
    if (!m_services.search) {
        m_summarizeWhenFound = false;
        setBusy(false);
        m_banner->showError(tr("Search is not available: the index could not be opened."), false);
        return;
    }
    CancelToken cancel;
    m_inFlight = cancel;
    setBusy(true);
    ragdesk::detach(run(m_generation, query, options(), cancel), "SearchTab::run");
}

QCoro::Task<> SearchTab::run(quint64 generation, QString query, RetrievalOptions options, CancelToken cancel)
{
    QPointer<SearchTab> self(this);
    // A copy in the frame: the callable must outlive its task even if the tab closes meanwhile.
    const SearchFunction searchFunction = m_services.search;
    QElapsedTimer clock;
    clock.start();
    const Result<RetrievalResult> result = co_await searchFunction(query, std::move(options), cancel);
    // A newer query or a closed tab cancelled this one: its answer never reaches the screen.
    if (!self || generation != m_generation || cancel.isCancelled())
        co_return;
    m_inFlight.reset();
    setBusy(false);
    if (!result) {
        m_summarizeWhenFound = false;
        if (result.error().isCancelled())
            co_return;
        m_model->clear();
        m_inspector->clear();
        m_status->clear();
        m_banner->showError(tr("Search for “%1” failed: %2").arg(query, result.error().message), true);
        showEmptyState({});
        Q_EMIT searchFinished();
        co_return;
    }
    // The status line says what the user waited; the stages overlap, so the inspector's
    // per-stage times add up to more.
    showResult(*result, double(clock.nsecsElapsed()) / 1e6);
    if (std::exchange(m_summarizeWhenFound, false))
        summarize();
    Q_EMIT searchFinished();
}

void SearchTab::showResult(const RetrievalResult &result, double waitedMs)
{
    m_model->setHits(result.hits);
    m_inspector->setResult(result);
    m_shown = result;
    updateSummarizeButton();
    const QString time = StageTimingChart::formatMs(waitedMs);
    QString status = result.hits.size() == 1 ? tr("1 result in %1").arg(time)
                                             : tr("%1 results in %2").arg(result.hits.size()).arg(time);
    if (!result.vectorNotice.isEmpty())
        status += u" · "_s + result.vectorNotice;
    m_status->setText(status);
    if (result.hits.isEmpty()) {
        showEmptyState(tr("No passages match “%1”.\nTry other or fewer words, or widen the filters.")
                           .arg(result.query.isEmpty() ? m_title : result.query));
        return;
    }
    m_stack->setCurrentWidget(m_list);
    m_list->setCurrentIndex(m_model->index(0));
}

void SearchTab::showEmptyState(const QString &text)
{
    m_empty->setText(text);
    m_stack->setCurrentWidget(m_empty);
}

void SearchTab::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    if (busy)
        m_status->setText(tr("Searching…"));
}

void SearchTab::setInspectorVisible(bool visible)
{
    if (m_inspectorButton->isChecked() != visible)
        m_inspectorButton->setChecked(visible); // re-enters through toggled
    m_inspector->setVisible(visible);
    if (visible && m_splitter->width() > 0) {
        const int side = std::max(m_inspector->minimumWidth(), m_splitter->width() * 9 / 20);
        m_splitter->setSizes({ m_splitter->width() - side, side });
    }
}

bool SearchTab::isInspectorVisible() const
{
    return m_inspectorButton->isChecked();
}

int SearchTab::currentRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : (m_model->rowCount() > 0 ? 0 : -1);
}

PassagePreviewDialog *SearchTab::openPreview(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return nullptr;
    auto *dialog = new PassagePreviewDialog(m_services.documentText, m_model->hit(row), this);
    connect(dialog, &PassagePreviewDialog::openFileRequested, this,
        [this](const RetrievalHit &hit) { openPath(hit.documentPath, hit.page); });
    dialog->show();
    return dialog;
}

void SearchTab::openFile(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    openPath(m_model->hit(row).documentPath, m_model->hit(row).page);
}

void SearchTab::openPath(const QString &path, int page)
{
    if (const QString error = FileViewerLauncher().open(path, page); !error.isEmpty())
        m_banner->showError(error, false);
}

void SearchTab::summarize()
{
    if (!m_services.openProvider)
        return;
    // Results for an older text than the field's would be summarised under the wrong question.
    if (m_debounce.isActive() || isSearching() || m_query->text().trimmed() != m_title) {
        m_summarizeWhenFound = true;
        if (!isSearching() || m_debounce.isActive())
            search();
        return;
    }
    if (m_shown.hits.isEmpty())
        return;
    const Assistant assistant = m_summaryPanel->assistant();
    if (!m_summaryPanel->isVisible()) {
        m_summaryPanel->show();
        const int height = m_resultsSplitter->height();
        if (height > 0)
            m_resultsSplitter->setSizes({ height / 2, height - height / 2 });
    }
    m_summary->start(m_title, m_shown, assistant);
}

void SearchTab::clearSummary()
{
    m_summary->clear();
    m_summaryPanel->hide();
}

void SearchTab::updateSummarizeButton()
{
    m_summarizeButton->setEnabled(bool(m_services.openProvider) && !m_shown.hits.isEmpty());
}

void SearchTab::selectChunk(qint64 chunkId)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->hit(row).chunkId == chunkId) {
            m_stack->setCurrentWidget(m_list);
            m_list->setCurrentIndex(m_model->index(row));
            m_list->scrollTo(m_model->index(row));
            return;
        }
    }
}

bool SearchTab::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (watched == m_query) {
        if (key->key() == Qt::Key_Down && m_model->rowCount() > 0) {
            m_stack->setCurrentWidget(m_list);
            if (!m_list->currentIndex().isValid())
                m_list->setCurrentIndex(m_model->index(0));
            m_list->setFocus();
            return true;
        }
        if (enter && (key->modifiers() & Qt::ControlModifier) && m_services.openProvider) {
            summarize();
            return true;
        }
        if (enter) {
            search();
            return true;
        }
    } else if (watched == m_list) {
        if (key->key() == Qt::Key_Escape || (key->key() == Qt::Key_Up && m_list->currentIndex().row() <= 0)) {
            m_query->setFocus();
            return true;
        }
        if (enter && (key->modifiers() & Qt::ControlModifier)) {
            openFile(currentRow());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QCoro::Task<> SearchTab::loadKnowledgeBases()
{
    QPointer<SearchTab> self(this);
    KnowledgeBaseLibrary *library = m_services.library;
    const auto list = co_await library->list();
    if (!self)
        co_return;
    if (!list) {
        m_knowledgeBases->setToolTip(tr("Could not list the knowledge bases: %1").arg(list.error().message));
        co_return;
    }
    const qint64 selected = m_knowledgeBases->currentData().toLongLong();
    // Refilling is not a user choice; only a vanished selection should trigger a new search.
    const QSignalBlocker blocker(m_knowledgeBases);
    m_knowledgeBases->clear();
    m_knowledgeBases->addItem(tr("All knowledge bases"), qint64(0));
    for (const KnowledgeBase &knowledgeBase : *list)
        m_knowledgeBases->addItem(knowledgeBase.name, knowledgeBase.id);
    const int index = m_knowledgeBases->findData(selected);
    m_knowledgeBases->setCurrentIndex(std::max(index, 0));
    m_knowledgeBases->setToolTip(tr("Search one knowledge base, or all"));
    if (index < 0 && selected != 0 && !m_title.isEmpty())
        search();
}

} // namespace ragdesk
