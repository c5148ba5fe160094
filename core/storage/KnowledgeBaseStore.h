#pragma once

#include "core/foundation/Error.h"
#include "core/storage/KnowledgeBaseTypes.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class ProfileDatabase;

/// Knowledge-base definitions and their sources in profile.db. Writes run on the writer thread,
/// reads on the reader pool; every call is awaited by the caller.
class KnowledgeBaseStore
{
public:
    explicit KnowledgeBaseStore(std::shared_ptr<ProfileDatabase> database);

    /// A blank name or one already taken (case-insensitively) is refused with a sentence saying so.
    QCoro::Task<Result<KnowledgeBase>> create(QString name, ChunkingOptions chunking, QString language);
    /// By name, case-insensitively.
    QCoro::Task<Result<QList<KnowledgeBase>>> list();
    /// std::nullopt when no knowledge base has that name (case-insensitive).
    QCoro::Task<Result<std::optional<KnowledgeBase>>> byName(QString name);
    QCoro::Task<Result<void>> rename(qint64 id, QString name);
    QCoro::Task<Result<void>> updateSettings(qint64 id, ChunkingOptions chunking, QString language);
    /// Removes the definition and its sources; index.db is cleaned by DocumentStore::removeKnowledgeBase.
    /// @p model empty: keyword search only. The vectors of the old model stay in index.db until
    /// the caller drops them (VectorStore::removeModel), so switching back is cheap.
    QCoro::Task<Result<void>> setEmbeddingModel(qint64 id, QString model);
    QCoro::Task<Result<void>> remove(qint64 id);

    /// Adding a path twice returns the existing source with the new flags.
    QCoro::Task<Result<KnowledgeBaseSource>> addSource(qint64 knowledgeBaseId, QString path, bool isFolder,
                                                       bool watched);
    /// Returns whether there was such a source.
    QCoro::Task<Result<bool>> removeSource(qint64 knowledgeBaseId, QString path);
    /// In the order they were added.
    QCoro::Task<Result<QList<KnowledgeBaseSource>>> sources(qint64 knowledgeBaseId);
    /// The watched folders of every knowledge base.
    QCoro::Task<Result<QList<KnowledgeBaseSource>>> watchedFolders();

private:
    std::shared_ptr<ProfileDatabase> m_database;
};

} // namespace ragdesk
