#include "core/retrieval/HybridRetriever.h"

#include "core/retrieval/DocumentScope.h"
#include "core/retrieval/EmbeddingBackfill.h"
#include "core/retrieval/EmbeddingService.h"
#include "core/retrieval/HitDetails.h"
#include "core/retrieval/HitFusion.h"
#include "core/retrieval/KeywordIndex.h"
#include "core/retrieval/QueryAnalyzer.h"
#include "core/retrieval/VectorIndex.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseStore.h"

#include <QCoroFuture>
#include <QElapsedTimer>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
std::unexpected<Error> cancelled()
{
    return fail(Error::Kind::Cancelled, u"The search was cancelled."_s);
}

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

/// What the keyword job hands back: its hits and the analysis that produced them.
struct KeywordStage {
    AnalyzedQuery analyzed;
    QList<StageHit> hits;
    double analysisMs = 0;
    double keywordMs = 0;
};

/// What the vector stage found, or why it did not run.
struct VectorStage {
    bool ran = false;
    QList<float> queryVector;
    QList<StageHit> hits;
    QString notice;
    double embedMs = 0;
    double scanMs = 0;
};

/// The knowledge bases a search covers and the one embedding model its vector stage uses.
struct SearchPlan {
    QStringList languages;
    QString model;                 ///< empty: no knowledge base in scope has one
    QList<qint64> modelKnowledgeBases; ///< those in scope that use the model
    bool otherModels = false;      ///< some in scope use another model (searched by keywords only)
    bool everyKnowledgeBaseUsesModel = false;
};

SearchPlan plan(const QList<KnowledgeBase> &all, const RetrievalOptions &options)
{
    SearchPlan result;
    QHash<QString, int> modelUse;
    QList<KnowledgeBase> inScope;
    for (const KnowledgeBase &knowledgeBase : all) {
        if (!options.knowledgeBaseIds.isEmpty() && !options.knowledgeBaseIds.contains(knowledgeBase.id))
            continue;
        inScope.append(knowledgeBase);
        result.languages.append(knowledgeBase.language);
        if (!knowledgeBase.embeddingModel.isEmpty())
            ++modelUse[knowledgeBase.embeddingModel];
    }
    result.languages.removeDuplicates();
    // One model per search: vectors of different models do not compare. The most used wins.
    for (auto it = modelUse.cbegin(); it != modelUse.cend(); ++it) {
        if (result.model.isEmpty() || it.value() > modelUse.value(result.model))
            result.model = it.key();
    }
    for (const KnowledgeBase &knowledgeBase : std::as_const(inScope)) {
        if (knowledgeBase.embeddingModel == result.model && !result.model.isEmpty())
            result.modelKnowledgeBases.append(knowledgeBase.id);
        else if (!knowledgeBase.embeddingModel.isEmpty())
            result.otherModels = true;
    }
    result.everyKnowledgeBaseUsesModel = !inScope.isEmpty() && result.modelKnowledgeBases.size() == inScope.size();
    return result;
}

/// "Vectors cover 312 of 900 chunks so far", when the backfill is not done with the model.
QString coverageNotice(const EmbeddingBackfill *backfill, const QList<qint64> &knowledgeBases)
{
    if (!backfill)
        return {};
    EmbeddingCoverage sum;
    bool pending = false;
    for (qint64 id : knowledgeBases) {
        const auto coverage = backfill->coverage(id);
        if (!coverage) {
            pending = true;
            continue;
        }
        sum.embedded += coverage->embedded;
        sum.total += coverage->total;
    }
    const QLocale locale;
    if (sum.total > 0 && !sum.isComplete()) {
        return u"Vectors cover %1 of %2 chunks so far; the rest are found by keywords only."_s.arg(
            locale.toString(sum.embedded), locale.toString(sum.total));
    }
    if (pending && backfill->isRunning())
        return u"Vectors are still being counted; some chunks may be found by keywords only."_s;
    return {};
}

QCoro::Task<VectorStage> runVectorStage(HybridRetriever::Parts parts, SearchPlan searchPlan, QString query,
                                        RetrievalOptions options, int candidates, CancelToken cancel)
{
    VectorStage stage;
    if (!options.useVectors)
        co_return stage;
    if (!parts.vectors || !parts.embeddings || searchPlan.model.isEmpty()) {
        stage.notice = u"Keyword search only: no embedding model is set for these knowledge bases."_s;
        co_return stage;
    }
    QElapsedTimer timer;
    timer.start();
    auto vector = co_await parts.embeddings->embedQuery(searchPlan.model, query, cancel);
    stage.embedMs = elapsedMs(timer);
    if (cancel.isCancelled())
        co_return stage;
    if (!vector) {
        stage.notice = u"Keyword search only: the query could not be embedded (%1)"_s.arg(vector.error().message);
        co_return stage;
    }

    timer.restart();
    // Only documents of knowledge bases with this model, and the tab's own filters.
    RetrievalOptions scoped = options;
    scoped.knowledgeBaseIds = searchPlan.modelKnowledgeBases;
    const bool unrestricted = searchPlan.everyKnowledgeBaseUsesModel && options.knowledgeBaseIds.isEmpty()
                              && options.documentIds.isEmpty() && options.fileSuffixes.isEmpty();
    std::optional<QSet<qint64>> allowed;
    if (!unrestricted) {
        auto ids = co_await parts.index->readers().run(
            [scoped](QSqlDatabase &db) { return DocumentScope(scoped).documentIds(db); });
        if (cancel.isCancelled())
            co_return stage;
        if (!ids) {
            stage.notice = u"Keyword search only: %1"_s.arg(ids.error().message);
            co_return stage;
        }
        allowed = std::move(*ids);
    }
    auto hits = co_await parts.vectors->search(searchPlan.model, *vector, std::move(allowed), candidates);
    stage.scanMs = elapsedMs(timer);
    if (!hits) {
        stage.notice = u"Keyword search only: %1"_s.arg(hits.error().message);
        co_return stage;
    }
    stage.ran = true;
    stage.queryVector = *vector;
    stage.hits = std::move(*hits);
    stage.notice = coverageNotice(parts.backfill, searchPlan.modelKnowledgeBases);
    if (searchPlan.otherModels && stage.notice.isEmpty())
        stage.notice = u"Some knowledge bases use another embedding model; they are searched by keywords only."_s;
    co_return stage;
}

/// Reorders @p hits by the reranker's scores; hits it did not score keep their order after
/// the scored ones. Returns why it could not, or an empty string.
QCoro::Task<QString> rerank(HybridRetriever::Parts parts, QString query, QList<RetrievalHit> &hits,
                            CancelToken cancel)
{
    const std::optional<RerankSettings> settings = parts.rerankSettings ? parts.rerankSettings() : std::nullopt;
    if (!settings || !parts.network)
        co_return u"Rerank is not set up: choose a rerank endpoint in the settings."_s;
    QStringList texts;
    for (const RetrievalHit &hit : std::as_const(hits))
        texts.append(hit.text);
    RerankClient client(parts.network, *settings);
    auto scores = co_await client.rerank(query, texts, cancel);
    if (!scores)
        co_return u"Not reranked: %1"_s.arg(scores.error().message);
    for (qsizetype i = 0; i < hits.size() && i < scores->size(); ++i)
        hits[i].rerankScore = scores->at(i);
    std::stable_sort(hits.begin(), hits.end(), [](const RetrievalHit &a, const RetrievalHit &b) {
        return a.rerankScore.value_or(-1e9) > b.rerankScore.value_or(-1e9);
    });
    co_return QString();
}
} // namespace

HybridRetriever::HybridRetriever(Parts parts)
    : m_parts(std::move(parts))
{
}

QCoro::Task<Result<RetrievalResult>> HybridRetriever::search(QString query, RetrievalOptions options,
                                                             CancelToken cancel)
{
    const Parts parts = m_parts; // the frame keeps the databases alive, whatever happens to this
    RetrievalResult result;
    result.query = query;

    auto knowledgeBases = co_await parts.knowledgeBases->list();
    if (cancel.isCancelled())
        co_return cancelled();
    if (!knowledgeBases)
        co_return std::unexpected(knowledgeBases.error());
    const SearchPlan searchPlan = plan(*knowledgeBases, options);

    // Both stages start now and run side by side: the keyword job on a reader thread, the
    // vector stage on the network and then the CPU pool.
    const int candidates = std::max(options.candidatesPerStage, options.topN);
    QFuture<Result<KeywordStage>> keywordJob = parts.index->readers().run(
        [query, languages = searchPlan.languages, options, candidates](QSqlDatabase &db) -> Result<KeywordStage> {
            KeywordStage stage;
            QElapsedTimer timer;
            timer.start();
            stage.analyzed = QueryAnalyzer::analyze(query, languages);
            if (options.useKeywords && stage.analyzed.words.size() > 1) {
                auto common = KeywordIndex::commonWords(db, stage.analyzed.words, languages);
                if (!common)
                    return std::unexpected(common.error());
                if (!common->isEmpty()) {
                    stage.analyzed.matchExpression =
                        QueryAnalyzer::matchExpression(stage.analyzed.words, languages, *common);
                }
            }
            stage.analysisMs = elapsedMs(timer);
            if (!options.useKeywords)
                return stage;
            timer.restart();
            auto hits = KeywordIndex::search(db, stage.analyzed.matchExpression, DocumentScope(options), candidates);
            if (!hits)
                return std::unexpected(hits.error());
            stage.hits = std::move(*hits);
            stage.keywordMs = elapsedMs(timer);
            return stage;
        });
    VectorStage vector = co_await runVectorStage(parts, searchPlan, query, options, candidates, cancel);
    auto keyword = co_await keywordJob;
    if (cancel.isCancelled())
        co_return cancelled();
    if (!keyword)
        co_return std::unexpected(keyword.error());
    result.matchExpression = keyword->analyzed.readableExpression();
    result.timings.analysisMs = keyword->analysisMs;
    result.timings.keywordMs = keyword->keywordMs;
    result.timings.embedQueryMs = vector.embedMs;
    result.timings.vectorMs = vector.scanMs;
    result.usedVectors = vector.ran;
    result.vectorNotice = vector.notice;

    QElapsedTimer timer;
    timer.start();
    // Keyword hits outside the vector stage's top k still have a similarity; the weighted sum
    // and the threshold need it, not a zero.
    QHash<qint64, double> otherSimilarities;
    if (vector.ran && !keyword->hits.isEmpty()) {
        QSet<qint64> ranked;
        for (const StageHit &hit : std::as_const(vector.hits))
            ranked.insert(hit.chunkId);
        QList<qint64> missing;
        for (const StageHit &hit : std::as_const(keyword->hits)) {
            if (!ranked.contains(hit.chunkId))
                missing.append(hit.chunkId);
        }
        otherSimilarities = co_await parts.vectors->similarities(searchPlan.model, vector.queryVector, missing);
        if (cancel.isCancelled())
            co_return cancelled();
    }
    QList<RetrievalHit> hits = HitFusion::fuse(keyword->hits, vector.hits, vector.ran, options, otherSimilarities);
    // A reranker gets a wider pool to choose from than the final top-n.
    const int keep = std::max(0, options.rerank ? options.topN * 3 : options.topN);
    if (hits.size() > keep)
        hits.resize(keep);
    result.timings.fusionMs = elapsedMs(timer);

    timer.restart();
    auto detailed = co_await parts.index->readers().run(
        [hits = std::move(hits), words = keyword->analyzed.words, languages = searchPlan.languages](
            QSqlDatabase &db) mutable { return HitDetails::load(db, std::move(hits), words, languages); });
    if (cancel.isCancelled())
        co_return cancelled();
    if (!detailed)
        co_return std::unexpected(detailed.error());
    result.timings.fetchMs = elapsedMs(timer);

    if (options.rerank && !detailed->isEmpty()) {
        timer.restart();
        result.rerankNotice = co_await rerank(parts, query, *detailed, cancel);
        result.timings.rerankMs = elapsedMs(timer);
        if (cancel.isCancelled())
            co_return cancelled();
    }
    if (detailed->size() > options.topN)
        detailed->resize(std::max(0, options.topN));
    result.hits = std::move(*detailed);
    co_return result;
}

} // namespace ragdesk
