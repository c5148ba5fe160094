#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/retrieval/RerankClient.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QCoroTask>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace ragdesk {

class EmbeddingBackfill;
class EmbeddingService;
class IndexDatabase;
class KnowledgeBaseStore;
class VectorIndex;

/// One search from query text to the hits a tab shows or a prompt cites. The keyword stage
/// (query analysis and FTS5, on a reader thread) and the vector stage (the query's embedding
/// over the network, then the scan on the CPU pool) run at the same time; their rankings are
/// fused, cut by threshold and top-n, optionally reranked, and the survivors get titles, text
/// and highlighted excerpts. Every stage is timed for the inspector.
///
/// The vector stage is best effort: without a model, with vectors still being computed, or
/// with the embedding server down, the search still answers from keywords and says why in
/// RetrievalResult::vectorNotice. Lives on the UI thread and only awaits there.
class HybridRetriever
{
public:
    struct Parts {
        std::shared_ptr<IndexDatabase> index;
        std::shared_ptr<KnowledgeBaseStore> knowledgeBases; ///< languages and embedding models
        VectorIndex *vectors = nullptr;             ///< optional, with embeddings: no vector stage without
        EmbeddingService *embeddings = nullptr;
        const EmbeddingBackfill *backfill = nullptr; ///< optional: how far the vectors are
        QNetworkAccessManager *network = nullptr;   ///< for rerank requests
        /// Where rerank requests go; nullopt (or no function): rerank is not set up.
        std::function<std::optional<RerankSettings>()> rerankSettings;
    };

    explicit HybridRetriever(Parts parts);

    /// Resolves with Error::Kind::Cancelled once @p cancel fires, without waiting for stages
    /// still running (their results are dropped).
    QCoro::Task<Result<RetrievalResult>> search(QString query, RetrievalOptions options, CancelToken cancel = {});

private:
    Parts m_parts;
};

} // namespace ragdesk
