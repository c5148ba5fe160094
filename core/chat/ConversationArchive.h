#pragma once

#include "core/foundation/Error.h"
#include "core/storage/ConversationTypes.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class ConversationStore;

/// Conversations to and from files (ConversationExport's formats), for the File menu and the
/// sidebar. Reading, serialising and writing run on worker threads, the store calls on the
/// database threads; files are written through QSaveFile, so a crash never leaves half a file.
class ConversationArchive
{
public:
    enum class Format { Markdown, Json };

    /// Import refuses files larger than this before reading them: a conversation export is text,
    /// and a multi-gigabyte "export" is a mistake or hostile.
    static constexpr qint64 kMaxImportBytes = 512LL * 1024 * 1024;

    explicit ConversationArchive(std::shared_ptr<ConversationStore> store);

    /// One conversation: Markdown shows the branch on screen, JSON keeps the whole tree.
    QCoro::Task<Result<void>> exportConversation(qint64 conversationId, Format format, QString path);
    /// Every conversation as one JSON document; returns how many.
    QCoro::Task<Result<int>> exportAll(QString path);
    /// Reads an export (one or all) and stores each conversation as a new one. A file that is
    /// not an export is refused whole; if storing fails midway, the ones stored stay and the
    /// error says how many.
    QCoro::Task<Result<QList<Conversation>>> importFile(QString path);

private:
    std::shared_ptr<ConversationStore> m_store;
};

} // namespace ragdesk
