#include "core/retrieval/HybridRetriever.h"

#include "core/retrieval/DocumentScope.h"
#include "core/retrieval/HitDetails.h"
#include "core/retrieval/HitFusion.h"
#include "core/retrieval/KeywordIndex.h"
#include "core/retrieval/QueryAnalyzer.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseStore.h"

#include <QCoroFuture>
#include <QElapsedTimer>

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
    QStringList languages;
    for (const KnowledgeBase &knowledgeBase : std::as_const(*knowledgeBases)) {
        if (options.knowledgeBaseIds.isEmpty() || options.knowledgeBaseIds.contains(knowledgeBase.id))
            languages.append(knowledgeBase.language);
    }
    languages.removeDuplicates();

    const int candidates = std::max(options.candidatesPerStage, options.topN);
    auto keyword = co_await parts.index->readers().run(
        [query, languages, options, candidates](QSqlDatabase &db) -> Result<KeywordStage> {
            KeywordStage stage;
            QElapsedTimer timer;
            timer.start();
            stage.analyzed = QueryAnalyzer::analyze(query, languages);
            stage.analysisMs = elapsedMs(timer);
            timer.restart();
            auto hits = KeywordIndex::search(db, stage.analyzed.matchExpression, DocumentScope(options), candidates);
            if (!hits)
                return std::unexpected(hits.error());
            stage.hits = std::move(*hits);
            stage.keywordMs = elapsedMs(timer);
            return stage;
        });
    if (cancel.isCancelled())
        co_return cancelled();
    if (!keyword)
        co_return std::unexpected(keyword.error());
    result.matchExpression = keyword->analyzed.readableExpression();
    result.timings.analysisMs = keyword->analysisMs;
    result.timings.keywordMs = keyword->keywordMs;
    result.vectorNotice = u"Keyword search only: no embedding model is set up for these knowledge bases."_s;

    QElapsedTimer timer;
    timer.start();
    QList<RetrievalHit> hits = HitFusion::fuse(keyword->hits, {}, false, options);
    if (hits.size() > options.topN)
        hits.resize(std::max(0, options.topN));
    result.timings.fusionMs = elapsedMs(timer);

    timer.restart();
    auto detailed = co_await parts.index->readers().run(
        [hits = std::move(hits), expression = keyword->analyzed.matchExpression](QSqlDatabase &db) mutable {
            return HitDetails::load(db, std::move(hits), expression);
        });
    if (cancel.isCancelled())
        co_return cancelled();
    if (!detailed)
        co_return std::unexpected(detailed.error());
    result.hits = std::move(*detailed);
    result.timings.fetchMs = elapsedMs(timer);
    co_return result;
}

} // namespace ragdesk
