#include "core/retrieval/RetrievalStack.h"

#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/retrieval/EmbeddingBackfill.h"
#include "core/retrieval/VectorIndex.h"
#include "core/storage/VectorStore.h"

namespace ragdesk {

RetrievalStack::RetrievalStack(IngestionStack &ingestion, Options options)
    : m_vectorStore(std::make_shared<VectorStore>(ingestion.index()))
    , m_vectors(std::make_unique<VectorIndex>(ingestion.index()))
{
    if (options.embeddingSettings && options.network) {
        m_embeddings = std::make_unique<EmbeddingService>(options.network, options.embeddingSettings);
        m_backfill = std::make_unique<EmbeddingBackfill>(
            EmbeddingBackfill::Parts{ingestion.knowledgeBases(), m_vectorStore, m_vectors.get(), m_embeddings.get()});
    }
    m_retriever = std::make_unique<HybridRetriever>(HybridRetriever::Parts{
        ingestion.index(), ingestion.knowledgeBases(), m_vectors.get(), m_embeddings.get(), m_backfill.get(),
        options.network, std::move(options.rerankSettings)});

    VectorIndex *vectors = m_vectors.get();
    EmbeddingBackfill *backfill = options.backfill ? m_backfill.get() : nullptr;
    QObject::connect(ingestion.queue(), &IngestQueue::fileFinished, &m_connections,
                     [vectors, backfill](const IngestOutcome &outcome) {
                         // Re-indexing replaced the document's chunks; their vectors went with them.
                         vectors->forgetDocuments({outcome.documentId});
                         if (backfill && outcome.status == DocumentStatus::Indexed)
                             backfill->schedule();
                     });
    if (backfill) {
        QObject::connect(ingestion.library(), &KnowledgeBaseLibrary::knowledgeBasesChanged, &m_connections,
                         [backfill] { backfill->schedule(); });
        backfill->schedule(); // what an earlier run left unembedded
    }
}

RetrievalStack::~RetrievalStack() = default;

void RetrievalStack::shutdown()
{
    if (m_backfill)
        m_backfill->stop();
}

} // namespace ragdesk
