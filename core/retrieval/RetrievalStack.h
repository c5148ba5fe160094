#pragma once

#include "core/retrieval/EmbeddingService.h"
#include "core/retrieval/HybridRetriever.h"

#include <QObject>

#include <memory>

namespace ragdesk {

class EmbeddingBackfill;
class IngestionStack;
class VectorIndex;
class VectorStore;

/// Search for one profile, wired the same way for the GUI, the CLI and the tests: vectors in
/// memory, the background embedding of new chunks, and the retriever over both. Follows the
/// ingestion stack: a finished file makes its old vectors stale and schedules the backfill; a
/// knowledge base with a new embedding model is backfilled too.
class RetrievalStack
{
public:
    struct Options {
        QNetworkAccessManager *network = nullptr;
        EmbeddingService::SettingsFor embeddingSettings; ///< empty: no vectors, keyword search only
        std::function<std::optional<RerankSettings>()> rerankSettings;
        bool backfill = true; ///< embed new chunks in the background (the CLI's search does not)
    };

    RetrievalStack(IngestionStack &ingestion, Options options);
    ~RetrievalStack();

    RetrievalStack(const RetrievalStack &) = delete;
    RetrievalStack &operator=(const RetrievalStack &) = delete;

    /// Quitting: the backfill stops after its batch in flight.
    void shutdown();

    [[nodiscard]] HybridRetriever *retriever() const { return m_retriever.get(); }
    [[nodiscard]] EmbeddingBackfill *backfill() const { return m_backfill.get(); }
    [[nodiscard]] VectorIndex *vectors() const { return m_vectors.get(); }
    [[nodiscard]] std::shared_ptr<VectorStore> vectorStore() const { return m_vectorStore; }
    [[nodiscard]] EmbeddingService *embeddings() const { return m_embeddings.get(); }

private:
    std::shared_ptr<VectorStore> m_vectorStore;
    std::unique_ptr<VectorIndex> m_vectors;
    std::unique_ptr<EmbeddingService> m_embeddings;
    std::unique_ptr<EmbeddingBackfill> m_backfill;
    std::unique_ptr<HybridRetriever> m_retriever;
    QObject m_connections; ///< receiver of the ingestion signals; disconnects them on destruction
};

} // namespace ragdesk
