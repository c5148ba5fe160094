#include "core/chat/ConversationArchive.h"

#include "core/chat/ConversationExport.h"
#include "core/chat/MessageTree.h"
#include "core/storage/ConversationStore.h"

#include <QCoroFuture>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QtConcurrentRun>

#include <limits>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        return fail(Error::Kind::File, u"Could not write %1: %2. Choose another folder or free some space."_s.arg(
                                           QFileInfo(path).fileName(), file.errorString()));
    }
    return {};
}

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::File, u"Could not open %1: %2."_s.arg(name, file.errorString()));
    if (file.size() > ConversationArchive::kMaxImportBytes) {
        return fail(Error::Kind::File, u"%1 is %2 MB, more than any conversation export; nothing was imported."_s.arg(
                                           name).arg(file.size() / (1024 * 1024)));
    }
    return file.readAll();
}

/// The branch on screen: the path to the active leaf, or to the newest leaf for old rows.
QList<MessageRecord> shownPath(const Conversation &conversation, const QList<MessageRecord> &messages)
{
    const MessageTree tree(messages);
    const qint64 leaf = tree.contains(conversation.activeLeafId) ? conversation.activeLeafId : tree.latestLeaf();
    return tree.path(leaf);
}

} // namespace

ConversationArchive::ConversationArchive(std::shared_ptr<ConversationStore> store)
    : m_store(std::move(store))
{
}

QCoro::Task<Result<void>> ConversationArchive::exportConversation(qint64 conversationId, Format format, QString path)
{
    const auto store = m_store;
    auto conversation = co_await store->conversation(conversationId);
    if (!conversation)
        co_return std::unexpected(conversation.error());
    auto messages = co_await store->messages(conversationId);
    if (!messages)
        co_return std::unexpected(messages.error());
    co_return co_await QtConcurrent::run([conversation = *conversation, messages = std::move(*messages), format, path] {
        const QByteArray bytes = format == Format::Markdown
            ? ConversationExport::toMarkdown(conversation, shownPath(conversation, messages)).toUtf8()
            : ConversationExport::toJson(conversation, messages);
        return writeFile(path, bytes);
    });
}

QCoro::Task<Result<int>> ConversationArchive::exportAll(QString path)
{
    const auto store = m_store;
    auto conversations = co_await store->listConversations(std::numeric_limits<int>::max());
    if (!conversations)
        co_return std::unexpected(conversations.error());
    QList<ConversationWithMessages> all;
    for (const Conversation &conversation : std::as_const(*conversations)) {
        auto messages = co_await store->messages(conversation.id);
        if (!messages)
            co_return std::unexpected(messages.error());
        all.append({conversation, std::move(*messages)});
    }
    const int count = int(all.size());
    auto written = co_await QtConcurrent::run(
        [all = std::move(all), path] { return writeFile(path, ConversationExport::exportAllJson(all)); });
    if (!written)
        co_return std::unexpected(written.error());
    co_return count;
}

QCoro::Task<Result<QList<Conversation>>> ConversationArchive::importFile(QString path)
{
    const auto store = m_store;
    auto parsed = co_await QtConcurrent::run([path]() -> Result<QList<ConversationWithMessages>> {
        auto bytes = readFile(path);
        if (!bytes)
            return std::unexpected(bytes.error());
        auto read = ConversationExport::fromJson(*bytes);
        if (!read) {
            return fail(Error::Kind::File,
                        u"%1 is not a ragdesk conversation export: %2"_s.arg(QFileInfo(path).fileName(), read.error().message));
        }
        return read;
    });
    if (!parsed)
        co_return std::unexpected(parsed.error());
    QList<Conversation> imported;
    for (ConversationWithMessages &entry : *parsed) {
        auto stored = co_await store->importConversation(entry.conversation, std::move(entry.messages));
        if (!stored) {
            co_return fail(Error::Kind::Database, u"Imported %1 of %2 conversations, then: %3"_s.arg(imported.size())
                                                      .arg(parsed->size())
                                                      .arg(stored.error().message));
        }
        imported.append(*stored);
    }
    co_return imported;
}

} // namespace ragdesk
