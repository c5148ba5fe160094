#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractionLimits.h"

#include <QCoroTask>
#include <QString>

#include <memory>

namespace ragdesk {

class ChunkStore;
class DocumentStore;
class ExtractorPool;
class IndexDatabase;
class IngestQueue;
class KnowledgeBaseLibrary;
class KnowledgeBaseStore;
class ProfileDatabase;

/// Everything knowledge bases need for one profile, opened and wired the same way for the GUI,
/// the CLI, the benchmark and the tests: index.db, the stores, the extractor processes,
/// the queue and the library on top.
class IngestionStack
{
public:
    struct Options {
        QString helperPath;            ///< ragdesk-extract; empty: ExtractorPool::defaultHelperPath()
        int extractorProcesses = 2;    ///< parallel parsers; each is a process with its own memory cap
        int parallelFiles = 4;         ///< files in flight (hashing, extraction, chunking overlap)
        bool watchFolders = true;
        ExtractionLimits limits;
    };

    /// Opens <profileDir>/index.db next to @p profile's profile.db. Objects with a parent-less
    /// QObject life (queue, pool, library) belong to the stack and die with it.
    static QCoro::Task<Result<std::unique_ptr<IngestionStack>>> open(std::shared_ptr<ProfileDatabase> profile,
                                                                     QString profileDir, Options options);
    ~IngestionStack();

    IngestionStack(const IngestionStack &) = delete;
    IngestionStack &operator=(const IngestionStack &) = delete;

    /// Quitting: stops claiming, kills the extractor processes now. Files in flight stay queued
    /// in index.db and resume at the next start.
    void shutdown();

    [[nodiscard]] KnowledgeBaseLibrary *library() const { return m_library.get(); }
    [[nodiscard]] IngestQueue *queue() const { return m_queue.get(); }
    [[nodiscard]] ExtractorPool *extractors() const { return m_extractors.get(); }
    [[nodiscard]] std::shared_ptr<DocumentStore> documents() const { return m_documents; }
    [[nodiscard]] std::shared_ptr<ChunkStore> chunks() const { return m_chunks; }
    [[nodiscard]] std::shared_ptr<KnowledgeBaseStore> knowledgeBases() const { return m_knowledgeBases; }
    [[nodiscard]] std::shared_ptr<IndexDatabase> index() const { return m_index; }

private:
    IngestionStack() = default;

    std::shared_ptr<IndexDatabase> m_index;
    std::shared_ptr<KnowledgeBaseStore> m_knowledgeBases;
    std::shared_ptr<DocumentStore> m_documents;
    std::shared_ptr<ChunkStore> m_chunks;
    // Declared in dependency order so destruction runs library -> queue -> pool.
    std::unique_ptr<ExtractorPool> m_extractors;
    std::unique_ptr<IngestQueue> m_queue;
    std::unique_ptr<KnowledgeBaseLibrary> m_library;
};

} // namespace ragdesk
