#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class IndexDatabase;
class KnowledgeBaseStore;

/// One search from query text to the hits a tab shows or a prompt cites: query analysis and
/// the keyword stage on a reader thread, fusion, threshold and top-n, then titles, text and
/// highlighted excerpts of the hits that remain. Every stage is timed for the inspector.
/// Lives on the UI thread and only awaits there; all work runs on reader threads.
class HybridRetriever
{
public:
    struct Parts {
        std::shared_ptr<IndexDatabase> index;
        std::shared_ptr<KnowledgeBaseStore> knowledgeBases; ///< for each knowledge base's language
    };

    explicit HybridRetriever(Parts parts);

    /// Resolves with Error::Kind::Cancelled once @p cancel fires, without waiting for stages
    /// still running (their results are dropped).
    QCoro::Task<Result<RetrievalResult>> search(QString query, RetrievalOptions options, CancelToken cancel = {});

private:
    Parts m_parts;
};

} // namespace ragdesk
