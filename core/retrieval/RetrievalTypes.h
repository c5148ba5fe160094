#pragma once

#include <QFlags>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace ragdesk {

/// How keyword and vector hits are merged into one ranking.
enum class FusionMethod {
    /// keywordWeight * keyword similarity + (1 - keywordWeight) * vector similarity, both in [0, 1].
    WeightedSum,
    /// sum over stages of 1 / (k + rank): rank-based, so the two score scales never need to agree.
    ReciprocalRank,
};

/// What one search asks for. A value type: chat assistants and search tabs each keep their own.
struct RetrievalOptions {
    QList<qint64> knowledgeBaseIds; ///< empty: every knowledge base
    QList<qint64> documentIds;      ///< empty: every document of those knowledge bases
    QStringList fileSuffixes;       ///< lower-case, without the dot ("pdf", "md"); empty: all
    int topN = 8;                   ///< hits returned after fusion, threshold and rerank
    int candidatesPerStage = 50;    ///< keyword and vector hits each stage hands to fusion
    /// Hits whose weighted similarity is below it are dropped: a vector stage always returns its
    /// k nearest chunks, however unrelated, and this keeps the unrelated ones out.
    double similarityThreshold = 0.1;
    /// The weighted sum beat reciprocal-rank fusion on every keyword weight from 0.5 to 0.9 in the
    /// python-docs eval (docs/BENCHMARKS.md); 0.7 is within noise of the best weight there.
    FusionMethod fusion = FusionMethod::WeightedSum;
    double keywordWeight = 0.7;     ///< weighted sum: the keyword share; vectors get the rest
    int reciprocalRankK = 60;       ///< reciprocal-rank fusion's damping constant
    bool useKeywords = true;        ///< false: vector only (for evaluations)
    bool useVectors = true;         ///< false: keyword only, even where vectors exist
    bool rerank = false;            ///< send the fused candidates to the rerank endpoint
};

/// Which stage produced a hit; a hit found by both is where hybrid search pays off.
enum class RetrievalStage : quint8 {
    Keyword = 0x1,
    Vector = 0x2,
};
Q_DECLARE_FLAGS(RetrievalStages, RetrievalStage)
Q_DECLARE_OPERATORS_FOR_FLAGS(RetrievalStages)

/// Text with the spans that matched the query, for highlighting without parsing markup.
struct HighlightedText {
    QString text;
    QList<std::pair<qsizetype, qsizetype>> spans; ///< (start, length) into text, ascending
};

/// One retrieved chunk with everything the result list, the inspector and citations show.
struct RetrievalHit {
    qint64 chunkId = 0;
    qint64 documentId = 0;
    qint64 knowledgeBaseId = 0;
    QString documentTitle;
    QString documentPath;
    QString headingPath;  ///< "Chapter > Section"
    int page = 0;         ///< 1-based; 0 where the format has no pages
    qint64 startOffset = 0; ///< into the document's extracted text
    qint64 endOffset = 0;
    QString text;          ///< the whole chunk
    HighlightedText snippet; ///< a short excerpt around the matched terms

    RetrievalStages foundBy;
    int keywordRank = -1;  ///< 0-based rank within its stage; -1 if that stage missed it
    int vectorRank = -1;
    std::optional<double> keywordScore;      ///< BM25, higher is better
    std::optional<double> keywordSimilarity; ///< BM25 scaled into [0, 1] against the best hit
    std::optional<double> vectorSimilarity;  ///< cosine similarity
    std::optional<double> rerankScore;
    double weightedSimilarity = 0.0; ///< what the threshold compares against
    double fusedScore = 0.0;         ///< what the final order is by (before rerank)
};

/// Wall time of each stage in milliseconds, for the inspector and the benchmarks.
struct StageTimings {
    double analysisMs = 0;
    double keywordMs = 0;
    double embedQueryMs = 0;
    double vectorMs = 0;
    double fusionMs = 0;
    double rerankMs = 0;
    double fetchMs = 0; ///< loading titles, text and snippets of the final hits
    [[nodiscard]] double totalMs() const
    {
        return analysisMs + keywordMs + embedQueryMs + vectorMs + fusionMs + rerankMs + fetchMs;
    }
};

/// The answer to one search.
struct RetrievalResult {
    QString query;
    QString matchExpression; ///< the FTS5 query the analysis produced, for the inspector
    QList<RetrievalHit> hits;
    StageTimings timings;
    bool usedVectors = false;
    /// Why vectors were not used, or were only partly available ("312 of 900 chunks embedded");
    /// empty when the vector stage ran over everything.
    QString vectorNotice;
    QString rerankNotice; ///< why a requested rerank did not happen
};

} // namespace ragdesk
