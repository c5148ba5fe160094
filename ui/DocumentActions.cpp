#include "ui/DocumentActions.h"

#include "core/foundation/Detach.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/KnowledgeBaseLibrary.h"

#include <QAction>
#include <QDesktopServices>
#include <QFileInfo>
#include <QMenu>
#include <QPointer>
#include <QUrl>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
bool isRetryable(const DocumentRecord &document)
{
    return document.status == DocumentStatus::Failed || document.status == DocumentStatus::Skipped;
}

bool isCancellable(const DocumentRecord &document)
{
    return document.status == DocumentStatus::Queued || document.status == DocumentStatus::Extracting;
}
} // namespace

DocumentActions::DocumentActions(KnowledgeBaseLibrary *library, QWidget *view, Selection selection, QObject *parent)
    : QObject(parent)
    , m_library(library)
    , m_view(view)
    , m_selection(std::move(selection))
{
    const auto make = [this](const QString &text, const QKeySequence &key, const QString &name, auto slot) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(key);
        // Only while the table has focus: Del elsewhere in the panel deletes a knowledge base.
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, this, slot);
        m_view->addAction(action);
        return action;
    };
    m_showChunks = make(tr("Show &Chunks"), QKeySequence(Qt::Key_Return), u"showChunksAction"_s,
        [this] { Q_EMIT showChunksRequested(); });
    m_retry = make(tr("&Retry"), QKeySequence(Qt::CTRL | Qt::Key_R), u"retryDocumentAction"_s, &DocumentActions::retry);
    m_cancel = make(tr("&Cancel Indexing"), QKeySequence(), u"cancelDocumentAction"_s, &DocumentActions::cancel);
    m_remove = make(tr("Re&move from Knowledge Base"), QKeySequence::Delete, u"removeDocumentAction"_s,
        &DocumentActions::remove);
    m_open = make(tr("&Open File"), QKeySequence(), u"openDocumentAction"_s, [this] { open(false); });
    m_showInFolder = make(tr("Show in &Folder"), QKeySequence(), u"showInFolderAction"_s, [this] { open(true); });
}

void DocumentActions::update(bool canShowChunks)
{
    const QList<DocumentRecord> selected = m_selection();
    const bool one = selected.size() == 1;
    m_showChunks->setEnabled(one && canShowChunks);
    m_retry->setEnabled(std::any_of(selected.cbegin(), selected.cend(), isRetryable));
    m_cancel->setEnabled(std::any_of(selected.cbegin(), selected.cend(), isCancellable));
    m_remove->setEnabled(!selected.isEmpty());
    m_open->setEnabled(one);
    m_showInFolder->setEnabled(one);
}

void DocumentActions::showMenu(const QPoint &globalPosition)
{
    if (m_selection().isEmpty())
        return;
    // popup(), not exec(): no nested event loop; the menu deletes itself once closed.
    auto *menu = new QMenu(m_view);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_showChunks);
    menu->addSeparator();
    menu->addActions({ m_retry, m_cancel, m_remove });
    menu->addSeparator();
    menu->addActions({ m_open, m_showInFolder });
    menu->popup(globalPosition);
}

void DocumentActions::retry()
{
    QList<qint64> ids;
    for (const DocumentRecord &document : m_selection()) {
        if (isRetryable(document))
            ids.append(document.id);
    }
    if (!ids.isEmpty())
        ragdesk::detach(runRetry(ids), "DocumentActions::retry");
}

QCoro::Task<> DocumentActions::runRetry(QList<qint64> documentIds)
{
    QPointer<DocumentActions> self(this);
    const auto retried = co_await m_library->retry(documentIds);
    if (!self)
        co_return;
    if (!retried)
        Q_EMIT message(tr("Could not retry: %1").arg(retried.error().message));
    for (qint64 id : std::as_const(documentIds))
        Q_EMIT changed(id);
}

void DocumentActions::cancel()
{
    QList<qint64> ids;
    for (const DocumentRecord &document : m_selection()) {
        if (isCancellable(document))
            ids.append(document.id);
    }
    if (!ids.isEmpty())
        ragdesk::detach(runCancel(ids, 0), "DocumentActions::cancel");
}

void DocumentActions::cancelAll()
{
    if (m_knowledgeBaseId != 0)
        ragdesk::detach(runCancel({}, m_knowledgeBaseId), "DocumentActions::cancelAll");
}

QCoro::Task<> DocumentActions::runCancel(QList<qint64> documentIds, qint64 knowledgeBaseId)
{
    QPointer<DocumentActions> self(this);
    IngestQueue *queue = m_library->queue();
    const auto cancelled = knowledgeBaseId != 0 ? co_await queue->cancelKnowledgeBase(knowledgeBaseId)
                                                : co_await queue->cancelDocuments(documentIds);
    if (!self)
        co_return;
    if (!cancelled)
        Q_EMIT message(tr("Could not cancel: %1").arg(cancelled.error().message));
    Q_EMIT changed(0);
}

void DocumentActions::remove()
{
    QStringList paths;
    for (const DocumentRecord &document : m_selection())
        paths.append(document.path);
    if (!paths.isEmpty() && m_knowledgeBaseId != 0)
        ragdesk::detach(runRemove(m_knowledgeBaseId, paths), "DocumentActions::remove");
}

QCoro::Task<> DocumentActions::runRemove(qint64 knowledgeBaseId, QStringList paths)
{
    QPointer<DocumentActions> self(this);
    const auto removed = co_await m_library->removePaths(knowledgeBaseId, paths);
    if (!self)
        co_return;
    if (!removed)
        Q_EMIT message(tr("Could not remove: %1").arg(removed.error().message));
    Q_EMIT changed(0);
}

void DocumentActions::open(bool folder)
{
    const QList<DocumentRecord> selected = m_selection();
    if (selected.size() != 1)
        return;
    // Only local files: a stored path never turns into a network URL.
    const QFileInfo file(selected.first().path);
    const QUrl url = QUrl::fromLocalFile(folder ? file.absolutePath() : file.absoluteFilePath());
    if (!url.isLocalFile() || !QDesktopServices::openUrl(url))
        Q_EMIT message(tr("Could not open %1.").arg(url.toLocalFile()));
}

} // namespace ragdesk
