#pragma once

#include "core/foundation/Error.h"

#include <QCoroTask>
#include <QTextStream>

namespace ragdesk {
class IngestionStack;
}

namespace ragdesk::cli {

class SyntheticChunks;

/// Fills a profile with the benchmarks' knowledge bases: four of them, documents of 20 chunks
/// of SyntheticChunks text, the keyword index, and a vector per chunk for the model `modelName`
/// (written straight to the vector store: the benchmarks measure search, not embedding).
/// Shared by bench-retrieval and bench-chat's RAG turns.
class SyntheticKnowledgeBases
{
public:
    static constexpr int knowledgeBaseCount = 4;
    static constexpr int chunksPerDocument = 20;
    static const QString modelName;

    /// Writes @p chunks chunks (rounded down to whole documents); progress goes to @p progress.
    static QCoro::Task<Result<void>> build(IngestionStack &stack, qint64 chunks, const SyntheticChunks &corpus,
                                           QTextStream &progress);

    SyntheticKnowledgeBases() = delete;
};

} // namespace ragdesk::cli
