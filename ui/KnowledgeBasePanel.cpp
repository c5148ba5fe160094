#include "ui/KnowledgeBasePanel.h"

#include "core/foundation/Detach.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/storage/DocumentStore.h"
#include "ui/DocumentListView.h"
#include "ui/KnowledgeBaseDialog.h"
#include "ui/VectorStatusLine.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDir>
#include <QDropEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace ragdesk {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr auto kCountInterval = 500ms;

QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}
} // namespace

KnowledgeBasePanel::KnowledgeBasePanel(KnowledgeBaseLibrary *library, std::shared_ptr<ChunkStore> chunks,
                                       EmbeddingBackfill *embeddings, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_stack(new QStackedWidget(this))
    , m_list(new QListWidget(this))
    , m_documents(new DocumentListView(library, std::move(chunks), this))
    , m_vectors(new VectorStatusLine(embeddings, this))
    , m_rename(new QPushButton(tr("Rename"), this))
    , m_settings(new QPushButton(tr("Settings…"), this))
    , m_delete(new QPushButton(tr("Delete"), this))
{
    setObjectName(u"knowledgeBasePanel"_s);
    setAcceptDrops(true);
    m_documents->addStatusLine(m_vectors);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createListSide());
    splitter->addWidget(m_documents);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 230, 800 });
    splitter->setChildrenCollapsible(false);
    m_stack->addWidget(createEmptyState());
    m_stack->addWidget(splitter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_library, &KnowledgeBaseLibrary::knowledgeBasesChanged, this, &KnowledgeBasePanel::refresh);
    connect(m_library, &KnowledgeBaseLibrary::documentsChanged, this, [this](qint64 id) {
        m_staleCounts.insert(id);
        if (!m_countTimer.isActive())
            m_countTimer.start();
    });
    connect(m_library->queue(), &IngestQueue::progressChanged, this, &KnowledgeBasePanel::onProgress);
    connect(m_documents, &DocumentListView::message, this, &KnowledgeBasePanel::message);
    addActions(m_documents->fileActions());
    m_countTimer.setSingleShot(true);
    m_countTimer.setInterval(kCountInterval);
    connect(&m_countTimer, &QTimer::timeout, this, [this] {
        ragdesk::detach(loadCounts(QList<qint64>(m_staleCounts.cbegin(), m_staleCounts.cend())),
            "KnowledgeBasePanel::loadCounts");
        m_staleCounts.clear();
    });
    refresh();
}

QWidget *KnowledgeBasePanel::createEmptyState()
{
    auto *page = new QWidget(this);
    page->setObjectName(u"knowledgeBaseEmptyState"_s);
    auto *title = new QLabel(tr("Knowledge bases"), page);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    title->setFont(font);
    auto *text = new QLabel(tr("A knowledge base is a collection of your own files (PDFs, Markdown, text, "
                               "web pages, office documents) that ragdesk indexes on this computer. Chats "
                               "can then answer from them and cite the passages they used.\n\n"
                               "Create one, then add files or folders, or drop them here. Folders are "
                               "watched, so new and changed files are indexed as you work."),
        page);
    text->setWordWrap(true);
    text->setMaximumWidth(560);
    auto *create = new QPushButton(tr("Create Knowledge Base"), page);
    create->setObjectName(u"createKnowledgeBaseButton"_s);
    create->setDefault(true);
    connect(create, &QPushButton::clicked, this, [this] { createKnowledgeBase(); });
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(title, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(16);
    layout->addWidget(create, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    return page;
}

QWidget *KnowledgeBasePanel::createListSide()
{
    auto *side = new QWidget(this);
    auto *newButton = new QPushButton(tr("New…"), side);
    newButton->setObjectName(u"newKnowledgeBaseButton"_s);
    newButton->setToolTip(tr("Create a knowledge base (Ctrl+N)"));
    m_rename->setObjectName(u"renameKnowledgeBaseButton"_s);
    m_rename->setToolTip(tr("Rename the knowledge base (F2)"));
    m_settings->setObjectName(u"knowledgeBaseSettingsButton"_s);
    m_settings->setToolTip(tr("Chunk size, overlap and language"));
    m_delete->setObjectName(u"deleteKnowledgeBaseButton"_s);
    m_delete->setToolTip(tr("Delete the knowledge base and its index; your files stay untouched (Del)"));
    m_list->setObjectName(u"knowledgeBaseList"_s);
    m_list->setUniformItemSizes(true);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_list->setSpacing(2);

    const auto addAction = [this](QWidget *owner, const QString &text, const QKeySequence &key, Qt::ShortcutContext context, auto slot) {
        auto *action = new QAction(text, owner);
        action->setShortcut(key);
        action->setShortcutContext(context);
        connect(action, &QAction::triggered, this, slot);
        owner->addAction(action);
        return action;
    };
    // Ctrl+N works anywhere in the panel; F2 and Del only on the list (Del on the table removes files).
    addAction(this, tr("&New Knowledge Base…"), QKeySequence::New, Qt::WidgetWithChildrenShortcut,
        [this] { createKnowledgeBase(); });
    QAction *actions[] = {
        addAction(m_list, tr("&New Knowledge Base…"), QKeySequence::New, Qt::WidgetShortcut, [this] { createKnowledgeBase(); }),
        addAction(m_list, tr("&Rename…"), QKeySequence(Qt::Key_F2), Qt::WidgetShortcut, &KnowledgeBasePanel::editKnowledgeBase),
        addAction(m_list, tr("&Settings…"), QKeySequence(), Qt::WidgetShortcut, &KnowledgeBasePanel::editKnowledgeBase),
        addAction(m_list, tr("&Delete…"), QKeySequence::Delete, Qt::WidgetShortcut, &KnowledgeBasePanel::deleteKnowledgeBase),
    };
    Q_UNUSED(actions);

    connect(newButton, &QPushButton::clicked, this, [this] { createKnowledgeBase(); });
    connect(m_rename, &QPushButton::clicked, this, &KnowledgeBasePanel::editKnowledgeBase);
    connect(m_settings, &QPushButton::clicked, this, &KnowledgeBasePanel::editKnowledgeBase);
    connect(m_delete, &QPushButton::clicked, this, &KnowledgeBasePanel::deleteKnowledgeBase);
    connect(m_list, &QListWidget::currentItemChanged, this, &KnowledgeBasePanel::showSelected);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    buttons->addWidget(m_rename);
    buttons->addWidget(m_settings);
    buttons->addWidget(m_delete);
    auto *heading = new QLabel(tr("Knowledge bases"), side);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(12, 12, 4, 12);
    layout->setSpacing(8);
    auto *top = new QHBoxLayout;
    top->addWidget(heading, 1);
    top->addWidget(newButton);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    side->setMinimumWidth(200);
    return side;
}

void KnowledgeBasePanel::refresh()
{
    // One load at a time; a change during a load triggers one more.
    if (m_loading) {
        m_loadAgain = true;
        return;
    }
    ragdesk::detach(load(), "KnowledgeBasePanel::load");
}

QCoro::Task<> KnowledgeBasePanel::load()
{
    QPointer<KnowledgeBasePanel> self(this);
    m_loading = true;
    const auto listed = co_await m_library->list();
    if (!self)
        co_return;
    m_loading = false;
    if (!listed) {
        Q_EMIT message(tr("Could not list the knowledge bases: %1").arg(listed.error().message));
    } else {
        const qint64 selected = m_pendingSelection ? std::exchange(m_pendingSelection, 0) : currentKnowledgeBaseId();
        m_knowledgeBases = *listed;
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        QList<qint64> ids;
        for (const KnowledgeBase &knowledgeBase : std::as_const(m_knowledgeBases)) {
            auto *item = new QListWidgetItem(m_list);
            item->setData(kIdRole, knowledgeBase.id);
            ids.append(knowledgeBase.id);
            updateItemText(knowledgeBase.id);
        }
        m_stack->setCurrentIndex(m_knowledgeBases.isEmpty() ? 0 : 1);
        // Focus lands where the keyboard user can act: the list, or the Create button.
        setFocusProxy(m_knowledgeBases.isEmpty() ? static_cast<QWidget *>(m_stack->widget(0)->findChild<QPushButton *>())
                                               : static_cast<QWidget *>(m_list));
        int row = 0;
        for (int i = 0; i < m_list->count(); ++i) {
            if (m_list->item(i)->data(kIdRole).toLongLong() == selected)
                row = i;
        }
        if (m_list->count() > 0)
            m_list->setCurrentRow(row);
        showSelected();
        Q_EMIT knowledgeBasesLoaded();
        ragdesk::detach(loadCounts(ids), "KnowledgeBasePanel::loadCounts");
    }
    if (std::exchange(m_loadAgain, false))
        refresh();
}

QCoro::Task<> KnowledgeBasePanel::loadCounts(QList<qint64> ids)
{
    QPointer<KnowledgeBasePanel> self(this);
    std::shared_ptr<DocumentStore> documents = m_library->documents();
    for (qint64 id : std::as_const(ids)) {
        const auto progress = co_await documents->progress(id);
        if (!self)
            co_return;
        if (!progress)
            continue;
        m_fileCounts.insert(id, progress->queued + progress->extracting + progress->indexed + progress->failed
                + progress->skipped);
        m_chunkCounts.insert(id, progress->chunks);
        updateItemText(id);
    }
}

void KnowledgeBasePanel::onProgress(qint64 knowledgeBaseId, const IngestProgress &progress)
{
    if (knowledgeBaseId == 0)
        return;
    m_fileCounts.insert(knowledgeBaseId, progress.filesTotal());
    m_chunkCounts.insert(knowledgeBaseId, progress.counts.chunks);
    updateItemText(knowledgeBaseId);
}

void KnowledgeBasePanel::updateItemText(qint64 id)
{
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        if (item->data(kIdRole).toLongLong() != id)
            continue;
        for (const KnowledgeBase &knowledgeBase : std::as_const(m_knowledgeBases)) {
            if (knowledgeBase.id != id)
                continue;
            const auto count = m_fileCounts.constFind(id);
            const QString files = count == m_fileCounts.cend()
                ? QString()
                : tr("%1 files").arg(QLocale().toString(*count));
            item->setText(files.isEmpty() ? knowledgeBase.name : u"%1\n%2"_s.arg(knowledgeBase.name, files));
            item->setToolTip(tr("%1 · chunks of %2 tokens, %3 overlap · language %4 · %5")
                                 .arg(knowledgeBase.name)
                                 .arg(knowledgeBase.chunking.targetTokens)
                                 .arg(knowledgeBase.chunking.overlapTokens)
                                 .arg(knowledgeBase.language,
                                     knowledgeBase.embeddingModel.isEmpty()
                                         ? tr("keyword search only")
                                         : tr("vectors from %1").arg(knowledgeBase.embeddingModel)));
        }
    }
}

KnowledgeBase KnowledgeBasePanel::current() const
{
    const qint64 id = currentKnowledgeBaseId();
    for (const KnowledgeBase &knowledgeBase : m_knowledgeBases) {
        if (knowledgeBase.id == id)
            return knowledgeBase;
    }
    return {};
}

qint64 KnowledgeBasePanel::currentKnowledgeBaseId() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(kIdRole).toLongLong() : 0;
}

void KnowledgeBasePanel::selectKnowledgeBase(qint64 id)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kIdRole).toLongLong() == id)
            m_list->setCurrentRow(i);
    }
}

KnowledgeBaseDialog *KnowledgeBasePanel::dialog() const
{
    return m_dialog.data();
}

QMessageBox *KnowledgeBasePanel::confirmation() const
{
    return m_confirmation.data();
}

bool KnowledgeBasePanel::showsEmptyState() const
{
    return m_stack->currentIndex() == 0;
}

void KnowledgeBasePanel::showSelected()
{
    const KnowledgeBase selected = current();
    m_documents->setKnowledgeBase(selected);
    m_vectors->setKnowledgeBase(selected.id, selected.embeddingModel);
    const bool any = selected.id != 0;
    m_rename->setEnabled(any);
    m_settings->setEnabled(any);
    m_delete->setEnabled(any);
}

void KnowledgeBasePanel::createKnowledgeBase(const QString &suggestedName, const QStringList &addAfter)
{
    if (m_dialog) {
        m_dialog->raise();
        return;
    }
    KnowledgeBaseDialog::Values initial;
    initial.name = suggestedName;
    m_dialog = new KnowledgeBaseDialog(KnowledgeBaseDialog::Mode::Create, initial, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &KnowledgeBaseDialog::submitted, this, [this, addAfter](const KnowledgeBaseDialog::Values &values) {
        ragdesk::detach(save({}, values, addAfter), "KnowledgeBasePanel::save");
    });
    // open(), not exec(): window-modal without a nested event loop.
    m_dialog->open();
}

void KnowledgeBasePanel::editKnowledgeBase()
{
    const KnowledgeBase selected = current();
    if (selected.id == 0 || m_dialog)
        return;
    m_dialog = new KnowledgeBaseDialog(KnowledgeBaseDialog::Mode::Edit,
        { selected.name, selected.chunking, selected.language, selected.embeddingModel }, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &KnowledgeBaseDialog::submitted, this, [this, selected](const KnowledgeBaseDialog::Values &values) {
        // Choosing the first model for an empty knowledge base costs nothing; anything else re-embeds.
        const bool reembeds = values.embeddingModel != selected.embeddingModel
            && (!selected.embeddingModel.isEmpty() || m_chunkCounts.value(selected.id) > 0);
        if (reembeds)
            confirmModelChange(selected, values);
        else
            ragdesk::detach(save(selected, values, {}), "KnowledgeBasePanel::save");
    });
    m_dialog->open();
}

void KnowledgeBasePanel::confirmModelChange(const KnowledgeBase &original, const KnowledgeBaseDialog::Values &values)
{
    if (m_confirmation)
        return;
    const bool keywordsOnly = values.embeddingModel.isEmpty();
    // Parented to the dialog so it is modal over it; open(), never exec().
    m_confirmation = new QMessageBox(QMessageBox::Question, tr("Change Embedding Model"),
        keywordsOnly ? tr("Search “%1” by keywords only?").arg(original.name)
                     : tr("Embed “%1” with %2?").arg(original.name, values.embeddingModel),
        QMessageBox::Yes | QMessageBox::Cancel, m_dialog ? static_cast<QWidget *>(m_dialog) : this);
    const QString meanwhile = tr("Until that is done, search works by keywords.");
    m_confirmation->setInformativeText(keywordsOnly
            ? tr("Search stops using vectors. The existing ones are kept, so switching back is quick.")
            : original.embeddingModel.isEmpty()
            ? tr("Every chunk is embedded with the model, in the background.") + u' ' + meanwhile
            : tr("Every chunk is embedded again with the new model, in the background.") + u' ' + meanwhile);
    m_confirmation->button(QMessageBox::Yes)->setText(keywordsOnly ? tr("Use Keywords Only") : tr("Re-embed"));
    m_confirmation->setDefaultButton(QMessageBox::Yes);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->setWindowModality(Qt::WindowModal);
    connect(m_confirmation, &QMessageBox::finished, this, [this, original, values](int result) {
        if (result == QMessageBox::Yes)
            ragdesk::detach(save(original, values, {}), "KnowledgeBasePanel::save");
        else if (m_dialog)
            m_dialog->showError({}); // back to editing: re-enables Save
    });
    m_confirmation->open();
}

QCoro::Task<> KnowledgeBasePanel::save(KnowledgeBase original, KnowledgeBaseDialog::Values values,
                                       QStringList addAfter)
{
    const QString &name = values.name;
    const ChunkingOptions &chunking = values.chunking;
    const QString &language = values.language;
    QPointer<KnowledgeBasePanel> self(this);
    QString error;
    qint64 id = original.id;
    if (id == 0) {
        const auto created = co_await m_library->create(name, chunking, language);
        if (!self)
            co_return;
        if (created)
            id = created->id;
        else
            error = created.error().message;
    } else {
        if (name != original.name) {
            const auto renamed = co_await m_library->rename(id, name);
            if (!self)
                co_return;
            if (!renamed)
                error = renamed.error().message;
        }
        const bool changed = chunking.targetTokens != original.chunking.targetTokens
            || chunking.overlapTokens != original.chunking.overlapTokens || language != original.language;
        if (error.isEmpty() && changed) {
            const auto updated = co_await m_library->updateSettings(id, chunking, language);
            if (!self)
                co_return;
            if (!updated)
                error = updated.error().message;
        }
    }
    // After create too: a new knowledge base starts without a model. A failure goes to the status
    // bar, not the dialog: the rest is saved, and saving again would create a second one.
    if (error.isEmpty() && id != 0 && values.embeddingModel != original.embeddingModel) {
        const auto switched = co_await m_library->setEmbeddingModel(id, values.embeddingModel);
        if (!self)
            co_return;
        if (!switched)
            Q_EMIT message(tr("Could not set the embedding model: %1").arg(switched.error().message));
    }
    if (!error.isEmpty()) {
        if (m_dialog)
            m_dialog->showError(error);
        else
            Q_EMIT message(error);
        co_return;
    }
    if (m_dialog)
        m_dialog->finish();
    m_pendingSelection = id;
    refresh();
    if (!addAfter.isEmpty())
        m_documents->setKnowledgeBase(KnowledgeBase { .id = id, .name = name, .chunking = chunking, .language = language, .createdAt = {}, .embeddingModel = values.embeddingModel });
    if (!addAfter.isEmpty())
        m_documents->addPaths(addAfter);
}

void KnowledgeBasePanel::deleteKnowledgeBase()
{
    const KnowledgeBase selected = current();
    if (selected.id == 0 || m_confirmation)
        return;
    m_confirmation = new QMessageBox(QMessageBox::Warning, tr("Delete Knowledge Base"),
        tr("Delete “%1”?").arg(selected.name), QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirmation->setInformativeText(
        tr("Its index and chunk edits are removed. Your files on disk are not touched."));
    m_confirmation->button(QMessageBox::Yes)->setText(tr("Delete"));
    m_confirmation->setDefaultButton(QMessageBox::Cancel);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->setWindowModality(Qt::WindowModal);
    const qint64 id = selected.id;
    connect(m_confirmation, &QMessageBox::finished, this, [this, id](int result) {
        if (result == QMessageBox::Yes)
            ragdesk::detach(remove(id), "KnowledgeBasePanel::remove");
    });
    m_confirmation->open();
}

QCoro::Task<> KnowledgeBasePanel::remove(qint64 id)
{
    QPointer<KnowledgeBasePanel> self(this);
    const auto removed = co_await m_library->remove(id);
    if (!self)
        co_return;
    if (!removed)
        Q_EMIT message(tr("Could not delete the knowledge base: %1").arg(removed.error().message));
    refresh();
}

void KnowledgeBasePanel::addPaths(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    if (currentKnowledgeBaseId() != 0) {
        m_documents->addPaths(paths);
        return;
    }
    // No knowledge base yet: offer one named after the dropped folder (or the file's folder).
    const QFileInfo first(paths.first());
    const QString name = first.isDir() ? first.fileName() : first.absoluteDir().dirName();
    createKnowledgeBase(name, paths);
}

void KnowledgeBasePanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void KnowledgeBasePanel::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

} // namespace ragdesk
