#include "core/ingest/IngestionStack.h"

#include "core/ingest/IngestQueue.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/ingest/extraction/ExtractorPool.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseStore.h"

namespace ragdesk {

IngestionStack::~IngestionStack() = default;

QCoro::Task<Result<std::unique_ptr<IngestionStack>>> IngestionStack::open(std::shared_ptr<ProfileDatabase> profile,
                                                                          QString profileDir, Options options)
{
    auto index = co_await IndexDatabase::open(profileDir);
    if (!index)
        co_return std::unexpected(index.error());

    std::unique_ptr<IngestionStack> stack(new IngestionStack);
    stack->m_index = *index;
    stack->m_knowledgeBases = std::make_shared<KnowledgeBaseStore>(std::move(profile));
    stack->m_documents = std::make_shared<DocumentStore>(stack->m_index);
    stack->m_chunks = std::make_shared<ChunkStore>(stack->m_index);
    const QString helper = options.helperPath.isEmpty() ? ExtractorPool::defaultHelperPath() : options.helperPath;
    stack->m_extractors = std::make_unique<ExtractorPool>(helper, options.extractorProcesses, options.limits);

    IngestQueue::Settings queueSettings;
    queueSettings.parallelFiles = options.parallelFiles;
    queueSettings.limits = options.limits;
    stack->m_queue = std::make_unique<IngestQueue>(stack->m_documents, stack->m_extractors.get(), queueSettings);
    stack->m_library = std::make_unique<KnowledgeBaseLibrary>(KnowledgeBaseLibrary::Parts{
        stack->m_knowledgeBases, stack->m_documents, stack->m_queue.get(), options.watchFolders});
    co_return stack;
}

void IngestionStack::shutdown()
{
    m_queue->stop();
    m_extractors->shutdown();
}

} // namespace ragdesk
