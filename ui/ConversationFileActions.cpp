#include "ui/ConversationFileActions.h"

#include "core/foundation/Detach.h"
#include "ui/ConversationListPanel.h"

#include <QDir>
#include <QFileDialog>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// The dialogs' callers show the outcome themselves; nobody awaits it.
template<typename T>
QCoro::Task<> ignoreResult(QCoro::Task<T> task)
{
    co_await std::move(task);
}
} // namespace

ConversationFileActions::ConversationFileActions(std::shared_ptr<ConversationStore> store, QWidget *window,
    ConversationListPanel *list)
    : QObject(window)
    , m_archive(std::move(store))
    , m_window(window)
    , m_list(list)
{
}

void ConversationFileActions::askForFile(bool save, const QString &caption, const QString &suggestedName,
    const QString &filter, std::function<void(QString)> chosen)
{
    auto *dialog = new QFileDialog(m_window, caption, QDir::home().filePath(suggestedName), filter);
    dialog->setAcceptMode(save ? QFileDialog::AcceptSave : QFileDialog::AcceptOpen);
    dialog->setFileMode(save ? QFileDialog::AnyFile : QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [chosen = std::move(chosen)](const QString &path) { chosen(path); });
    // open(), not exec(): chats keep streaming while the user picks a file.
    dialog->open();
}

void ConversationFileActions::exportConversation(qint64 id, ConversationArchive::Format format, const QString &title)
{
    const bool markdown = format == ConversationArchive::Format::Markdown;
    QString name = title.isEmpty() ? tr("conversation") : title;
    // A title can hold anything; a file name cannot.
    name.replace(QRegularExpression(u"[\\\\/:*?\"<>|\\n]"_s), u"-"_s);
    askForFile(true, tr("Export Conversation"), name + (markdown ? u".md"_s : u".json"_s),
        markdown ? tr("Markdown (*.md)") : tr("ragdesk conversation (*.json)"), [this, id, format](QString path) {
            ragdesk::detach(ignoreResult(exportConversationTo(id, format, std::move(path))),
                "ConversationFileActions::exportConversationTo");
        });
}

void ConversationFileActions::exportAll()
{
    askForFile(true, tr("Export All Conversations"), u"ragdesk-conversations.json"_s,
        tr("ragdesk conversations (*.json)"), [this](QString path) {
            ragdesk::detach(ignoreResult(exportAllTo(std::move(path))), "ConversationFileActions::exportAllTo");
        });
}

void ConversationFileActions::importConversations()
{
    askForFile(false, tr("Import Conversations"), QString(), tr("ragdesk conversations (*.json)"), [this](QString path) {
        ragdesk::detach(ignoreResult(importFrom(std::move(path))), "ConversationFileActions::importFrom");
    });
}

QCoro::Task<Result<void>> ConversationFileActions::exportConversationTo(qint64 id, ConversationArchive::Format format,
    QString path)
{
    const QPointer<ConversationListPanel> list = m_list;
    ConversationArchive archive = m_archive;
    auto exported = co_await archive.exportConversation(id, format, path);
    if (list) {
        list->showNotice(exported ? tr("Exported to %1.").arg(QDir::toNativeSeparators(path))
                                  : tr("Export failed: %1").arg(exported.error().message));
    }
    co_return exported;
}

QCoro::Task<Result<int>> ConversationFileActions::exportAllTo(QString path)
{
    const QPointer<ConversationListPanel> list = m_list;
    ConversationArchive archive = m_archive;
    auto exported = co_await archive.exportAll(path);
    if (list) {
        list->showNotice(exported
                ? tr("Exported %n conversation(s) to %1.", nullptr, *exported).arg(QDir::toNativeSeparators(path))
                : tr("Export failed: %1").arg(exported.error().message));
    }
    co_return exported;
}

QCoro::Task<Result<int>> ConversationFileActions::importFrom(QString path)
{
    const QPointer<ConversationListPanel> list = m_list;
    ConversationArchive archive = m_archive;
    auto imported = co_await archive.importFile(path);
    if (list) {
        list->showNotice(imported ? tr("Imported %n conversation(s).", nullptr, int(imported->size()))
                                  : tr("Import failed: %1").arg(imported.error().message));
        list->refresh(); // a partial import shows what was stored
    }
    if (!imported)
        co_return std::unexpected(imported.error());
    co_return int(imported->size());
}

} // namespace ragdesk
