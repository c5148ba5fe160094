#include "ui/DocumentListView.h"

#include "core/foundation/Detach.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/storage/DocumentStore.h"
#include "ui/ChunkBrowserDialog.h"
#include "ui/DocumentActions.h"
#include "ui/DocumentTableModel.h"
#include "ui/IngestProgressBanner.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

namespace {
/// Status changes are applied at most this often, however fast files finish.
constexpr auto kRefreshInterval = 250ms;
/// Above this many changed documents, one reload of the list beats fetching each.
constexpr int kMaxSingleFetches = 32;

IngestProgress progressOf(const QList<DocumentRecord> &documents)
{
    IngestProgress progress;
    KnowledgeBaseProgress &counts = progress.counts;
    for (const DocumentRecord &document : documents) {
        counts.bytesTotal += document.size;
        switch (document.status) {
        case DocumentStatus::Queued:
            ++counts.queued;
            continue;
        case DocumentStatus::Extracting:
            ++counts.extracting;
            continue;
        case DocumentStatus::Indexed:
            ++counts.indexed;
            counts.chunks += document.chunkCount;
            break;
        case DocumentStatus::Failed:
            ++counts.failed;
            break;
        case DocumentStatus::Skipped:
            ++counts.skipped;
            break;
        }
        counts.bytesDone += document.size;
    }
    return progress;
}
} // namespace

DocumentListView::DocumentListView(KnowledgeBaseLibrary *library, std::shared_ptr<ChunkStore> chunks, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_chunks(std::move(chunks))
    , m_model(new DocumentTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_title(new QLabel(this))
    , m_banner(new IngestProgressBanner(this))
    , m_addFiles(new QPushButton(tr("Add &Files…"), this))
    , m_addFolder(new QPushButton(tr("Add F&older…"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_filter(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_details(new QLabel(this))
{
    setObjectName(u"documentListView"_s);
    m_title->setObjectName(u"knowledgeBaseTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_addFiles->setObjectName(u"addFilesButton"_s);
    m_addFiles->setToolTip(tr("Add files to this knowledge base (Ctrl+O)"));
    m_addFolder->setObjectName(u"addFolderButton"_s);
    m_addFolder->setToolTip(tr("Add a folder and everything below it; it is watched for changes (Ctrl+Shift+O)"));
    m_cancel->setObjectName(u"cancelIngestButton"_s);
    m_cancel->setToolTip(tr("Stop indexing the files still queued in this knowledge base"));
    m_filter->setObjectName(u"documentFilter"_s);
    m_filter->addItem(tr("All files"), QString());
    for (DocumentStatus status : { DocumentStatus::Failed, DocumentStatus::Skipped, DocumentStatus::Queued,
             DocumentStatus::Extracting, DocumentStatus::Indexed })
        m_filter->addItem(DocumentTableModel::statusText(status), documentStatusName(status));
    m_filter->setToolTip(tr("Show only files with this status"));

    m_model->setPalette(palette());
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DocumentTableModel::SortRole);
    m_proxy->setFilterRole(DocumentTableModel::StatusRole);
    m_proxy->setFilterKeyColumn(DocumentTableModel::Status);
    m_table->setObjectName(u"documentTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DocumentTableModel::Name, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(DocumentTableModel::Name, 240);
    header->resizeSection(DocumentTableModel::Status, 90);
    header->resizeSection(DocumentTableModel::Pages, 60);
    header->resizeSection(DocumentTableModel::Chunks, 70);
    header->resizeSection(DocumentTableModel::Size, 80);
    header->resizeSection(DocumentTableModel::Folder, 240);
    m_details->setObjectName(u"documentDetails"_s);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setMinimumHeight(m_details->fontMetrics().height() * 2 + 4);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    m_actions = new DocumentActions(m_library, m_table, [this] { return selectedDocuments(); }, this);
    connect(m_actions, &DocumentActions::showChunksRequested, this, &DocumentListView::showChunks);
    connect(m_actions, &DocumentActions::changed, this, &DocumentListView::scheduleRefresh);
    connect(m_actions, &DocumentActions::message, this, &DocumentListView::message);

    // Ctrl+O and Ctrl+Shift+O anywhere in the panel (which adds them), not in the chat tabs.
    auto *addFilesAction = new QAction(tr("Add &Files…"), this);
    addFilesAction->setShortcut(QKeySequence::Open);
    addFilesAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(addFilesAction, &QAction::triggered, this, [this] { chooseFiles(false); });
    auto *addFolderAction = new QAction(tr("Add F&older…"), this);
    addFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    addFolderAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(addFolderAction, &QAction::triggered, this, [this] { chooseFiles(true); });
    m_addActions = { addFilesAction, addFolderAction };

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addFiles);
    buttons->addWidget(m_addFolder);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    buttons->addWidget(new QLabel(tr("Show:"), this));
    buttons->addWidget(m_filter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(8);
    layout->addWidget(m_title);
    layout->addWidget(m_banner);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_details);
    setTabOrder(m_addFiles, m_addFolder);
    setTabOrder(m_addFolder, m_cancel);
    setTabOrder(m_cancel, m_filter);
    setTabOrder(m_filter, m_table);

    connect(m_addFiles, &QPushButton::clicked, this, [this] { chooseFiles(false); });
    connect(m_addFolder, &QPushButton::clicked, this, [this] { chooseFiles(true); });
    connect(m_cancel, &QPushButton::clicked, m_actions, &DocumentActions::cancelAll);
    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] {
        const QString status = m_filter->currentData().toString();
        m_proxy->setFilterRegularExpression(
            status.isEmpty() ? QString() : u"^%1$"_s.arg(QRegularExpression::escape(status)));
    });
    connect(m_table, &QTableView::activated, this, &DocumentListView::showChunks);
    connect(m_table, &QTableView::customContextMenuRequested, this,
        [this](const QPoint &position) { m_actions->showMenu(m_table->viewport()->mapToGlobal(position)); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &DocumentListView::updateDetails);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshInterval);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (m_refreshing) {
            // One refresh at a time; the next one picks up what arrived meanwhile.
            m_refreshTimer.start();
            return;
        }
        const QList<qint64> changed(m_changed.cbegin(), m_changed.cend());
        const bool all = m_reloadAll || changed.size() > kMaxSingleFetches;
        m_changed.clear();
        m_reloadAll = false;
        if (all)
            ragdesk::detach(reload(m_knowledgeBase.id, m_generation), "DocumentListView::reload");
        else if (!changed.isEmpty())
            ragdesk::detach(refreshChanged(m_knowledgeBase.id, changed, m_generation), "DocumentListView::refresh");
    });
    connect(m_library->queue(), &IngestQueue::documentChanged, this, [this](qint64 knowledgeBaseId, qint64 id) {
        if (knowledgeBaseId == m_knowledgeBase.id)
            scheduleRefresh(id);
    });
    // fileFinished comes after the commit (documentChanged can precede it), and idle settles the
    // list once more, so the rows end in the stored state.
    connect(m_library->queue(), &IngestQueue::fileFinished, this, [this](const IngestOutcome &outcome) {
        if (outcome.knowledgeBaseId == m_knowledgeBase.id)
            scheduleRefresh(outcome.documentId);
    });
    connect(m_library->queue(), &IngestQueue::idle, this, [this] {
        if (m_knowledgeBase.id != 0)
            scheduleRefresh(0);
    });
    connect(m_library->queue(), &IngestQueue::progressChanged, this, &DocumentListView::onProgress);
    connect(m_library, &KnowledgeBaseLibrary::documentsChanged, this, [this](qint64 knowledgeBaseId) {
        if (knowledgeBaseId == m_knowledgeBase.id)
            scheduleRefresh(0);
    });
    updateActions();
    updateDetails();
}

void DocumentListView::setKnowledgeBase(const KnowledgeBase &knowledgeBase)
{
    const bool same = knowledgeBase.id == m_knowledgeBase.id;
    m_knowledgeBase = knowledgeBase;
    m_actions->setKnowledgeBaseId(knowledgeBase.id);
    m_title->setText(knowledgeBase.name);
    if (same)
        return;
    ++m_generation;
    m_changed.clear();
    m_reloadAll = false;
    m_model->clear();
    m_banner->setProgress({});
    updateActions();
    if (knowledgeBase.id != 0)
        ragdesk::detach(reload(knowledgeBase.id, m_generation), "DocumentListView::reload");
}

void DocumentListView::scheduleRefresh(qint64 documentId)
{
    if (documentId == 0)
        m_reloadAll = true;
    else
        m_changed.insert(documentId);
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void DocumentListView::onProgress(qint64 knowledgeBaseId, const IngestProgress &)
{
    if (knowledgeBaseId != 0 && knowledgeBaseId == m_knowledgeBase.id)
        updateBanner();
}

void DocumentListView::updateBanner()
{
    // Counts come from the rows themselves (refreshed every 250 ms), so the banner never
    // disagrees with the table; the queue adds what only it knows: throughput and ETA.
    IngestProgress progress = progressOf(m_model->documents());
    const IngestProgress queue = m_library->queue()->progress(m_knowledgeBase.id);
    if (progress.counts.queued + progress.counts.extracting > 0) {
        progress.etaSeconds = queue.etaSeconds;
        progress.bytesPerSecond = queue.bytesPerSecond;
    }
    m_banner->setProgress(progress);
    updateActions();
}

QCoro::Task<> DocumentListView::reload(qint64 knowledgeBaseId, int generation)
{
    QPointer<DocumentListView> self(this);
    m_refreshing = true;
    const auto documents = co_await m_library->documents()->documents(knowledgeBaseId);
    if (!self)
        co_return;
    m_refreshing = false;
    if (generation != m_generation)
        co_return;
    if (!documents) {
        Q_EMIT message(tr("Could not list the documents: %1").arg(documents.error().message));
        co_return;
    }
    m_model->setDocuments(*documents);
    updateBanner();
    Q_EMIT documentsRefreshed();
}

QCoro::Task<> DocumentListView::refreshChanged(qint64 knowledgeBaseId, QList<qint64> documentIds, int generation)
{
    QPointer<DocumentListView> self(this);
    m_refreshing = true;
    QList<DocumentRecord> fresh;
    for (qint64 id : std::as_const(documentIds)) {
        const auto document = co_await m_library->documents()->document(id);
        if (!self)
            co_return;
        if (document && document->has_value() && (*document)->knowledgeBaseId == knowledgeBaseId)
            fresh.append(**document);
    }
    m_refreshing = false;
    if (generation != m_generation)
        co_return;
    m_model->upsert(fresh);
    updateBanner();
    Q_EMIT documentsRefreshed();
}

void DocumentListView::addPaths(const QStringList &paths)
{
    if (m_knowledgeBase.id == 0 || paths.isEmpty())
        return;
    ragdesk::detach(runAdd(m_knowledgeBase.id, paths), "DocumentListView::addPaths");
}

QCoro::Task<> DocumentListView::runAdd(qint64 knowledgeBaseId, QStringList paths)
{
    QPointer<DocumentListView> self(this);
    const auto added = co_await m_library->addPaths(knowledgeBaseId, paths);
    if (!self)
        co_return;
    if (!added)
        Q_EMIT message(tr("Could not add all files: %1").arg(added.error().message));
    else if (added->listed == 0)
        Q_EMIT message(tr("No files of a supported type were found."));
    else
        Q_EMIT message(tr("%n file(s) queued for indexing.", nullptr, added->queued));
}

void DocumentListView::chooseFiles(bool folder)
{
    if (m_knowledgeBase.id == 0)
        return;
    if (!m_nextPaths.isEmpty()) {
        addPaths(std::exchange(m_nextPaths, {}));
        return;
    }
    // open(), not getOpenFileNames(): the static helpers spin a nested event loop.
    auto *dialog = new QFileDialog(this, folder ? tr("Add Folder") : tr("Add Files"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(folder ? QFileDialog::Directory : QFileDialog::ExistingFiles);
    if (folder)
        dialog->setOption(QFileDialog::ShowDirsOnly);
    else
        dialog->setNameFilters({ tr("Documents (*.pdf *.md *.markdown *.txt *.html *.htm *.docx *.odt *.epub *.rst)"),
            tr("All files (*)") });
    connect(dialog, &QFileDialog::filesSelected, this, &DocumentListView::addPaths);
    dialog->open();
}

QList<DocumentRecord> DocumentListView::selectedDocuments() const
{
    QList<DocumentRecord> documents;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        documents.append(m_model->document(m_proxy->mapToSource(index).row()));
    return documents;
}

void DocumentListView::showChunks()
{
    const QList<DocumentRecord> selected = selectedDocuments();
    if (selected.isEmpty() || !m_chunks)
        return;
    if (m_chunkBrowser && m_chunkBrowser->documentId() != selected.first().id)
        m_chunkBrowser->close();
    if (!m_chunkBrowser) {
        m_chunkBrowser = new ChunkBrowserDialog(m_chunks, selected.first(), this);
        // A window of its own (not modal): the panel stays usable next to it.
        m_chunkBrowser->setWindowFlag(Qt::Window);
    }
    m_chunkBrowser->show();
    m_chunkBrowser->raise();
    m_chunkBrowser->activateWindow();
}

void DocumentListView::updateActions()
{
    m_actions->update(m_chunks != nullptr);
    const bool enabled = m_knowledgeBase.id != 0;
    m_addFiles->setEnabled(enabled);
    m_addFolder->setEnabled(enabled);
    m_cancel->setEnabled(enabled && m_banner->isBusy());
}

void DocumentListView::updateDetails()
{
    const QList<DocumentRecord> selected = selectedDocuments();
    if (selected.size() != 1) {
        m_details->setText(selected.isEmpty() ? tr("Select a file to see its details. Enter shows its chunks.")
                                              : tr("%n files selected", nullptr, int(selected.size())));
        m_details->setPalette(palette());
        m_details->setForegroundRole(QPalette::PlaceholderText);
        return;
    }
    const DocumentRecord &document = selected.first();
    QString text = u"%1 — %2"_s.arg(QDir::toNativeSeparators(document.path), DocumentTableModel::statusText(document.status));
    if (!document.error.isEmpty())
        text += u": "_s + document.error;
    m_details->setText(text);
    QPalette details = palette();
    if (document.status == DocumentStatus::Failed)
        details.setColor(QPalette::WindowText, DocumentTableModel::statusColor(document.status, palette()));
    m_details->setPalette(details);
    m_details->setForegroundRole(QPalette::WindowText);
}

ChunkBrowserDialog *DocumentListView::chunkBrowser() const
{
    return m_chunkBrowser.data();
}

void DocumentListView::addStatusLine(QWidget *line)
{
    auto *box = qobject_cast<QBoxLayout *>(layout());
    line->setParent(this);
    box->insertWidget(box->indexOf(m_banner) + 1, line);
}

QString DocumentListView::detailsText() const
{
    return m_details->text();
}

void DocumentListView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setPalette(palette());
    QWidget::changeEvent(event);
}

} // namespace ragdesk
