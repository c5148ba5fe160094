#include "tests/ui/FakeSearch.h"

#include <QCoroFuture>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

QCoro::Task<Result<RetrievalResult>> awaitCompletion(std::shared_ptr<QPromise<Result<RetrievalResult>>> promise)
{
    const QFuture<Result<RetrievalResult>> future = promise->future();
    co_await qCoro(future).waitForFinished();
    if (future.resultCount() == 0)
        co_return fail(Error::Kind::Cancelled, u"dropped by the test"_s);
    co_return future.result();
}

} // namespace

FakeSearch::FakeSearch()
    : m_calls(std::make_shared<QList<Call>>())
{ }

FakeSearch::~FakeSearch()
{
    for (qsizetype i = 0; i < m_calls->size(); ++i)
        complete(int(i), fail(Error::Kind::Cancelled, u"test over"_s));
}

SearchFunction FakeSearch::function() const
{
    return [calls = m_calls](QString query, RetrievalOptions options, CancelToken cancel) {
        auto promise = std::make_shared<QPromise<Result<RetrievalResult>>>();
        promise->start();
        calls->append(Call { std::move(query), std::move(options), std::move(cancel), promise, false });
        return awaitCompletion(promise);
    };
}

void FakeSearch::complete(int index, Result<RetrievalResult> result)
{
    Call &call = (*m_calls)[index];
    if (call.completed)
        return;
    call.completed = true;
    call.promise->addResult(std::move(result));
    call.promise->finish();
}

RetrievalResult sampleResult(const QString &query, int count)
{
    struct Doc {
        QString title, path, heading;
        int page;
    };
    const QList<Doc> docs = {
        { u"SQLite Query Planner"_s, u"/docs/sqlite/queryplanner.pdf"_s, u"Indexes > Covering indexes"_s, 14 },
        { u"Designing Data-Intensive Applications"_s, u"/books/ddia.epub"_s, u"Storage and Retrieval > B-Trees"_s, 0 },
        { u"notes-on-fts5.md"_s, u"/notes/notes-on-fts5.md"_s, u"Ranking > bm25()"_s, 0 },
        { u"Vector search at small scale"_s, u"/papers/vector-small.pdf"_s, u"Evaluation"_s, 7 },
        { u"Team handbook"_s, u"/work/handbook.docx"_s, u"Engineering > Databases"_s, 0 },
    };
    const QString word = query.section(u' ', 0, 0);
    RetrievalResult result;
    result.query = query;
    result.matchExpression = u"\"%1\"* OR \"%2\""_s.arg(word, query.section(u' ', 1, 1));
    result.usedVectors = true;
    result.vectorNotice = u"Vectors partly ready (312 of 900 chunks embedded)"_s;
    result.timings = StageTimings { 0.4, 3.1, 11.8, 2.2, 0.1, 0, 1.6 };
    for (int i = 0; i < count; ++i) {
        const Doc &doc = docs.at(i % docs.size());
        RetrievalHit hit;
        hit.chunkId = 100 + i;
        hit.documentId = 10 + i;
        hit.knowledgeBaseId = 1;
        hit.documentTitle = doc.title;
        hit.documentPath = doc.path;
        hit.headingPath = doc.heading;
        hit.page = doc.page;
        const QString before = u"When the planner sees a query that can be answered from the "_s;
        hit.snippet.text = before + word + u" alone, it skips the table lookup entirely; that is why a "_s + word
            + u" that holds every needed column makes such queries several times faster on large tables, "
              "at the cost of a larger file and slower writes."_s;
        hit.snippet.spans = { { before.size(), word.size() },
            { hit.snippet.text.indexOf(word, before.size() + word.size()), word.size() } };
        hit.text = hit.snippet.text;
        hit.startOffset = 40;
        hit.endOffset = 40 + hit.text.size();
        const bool keyword = i % 3 != 2;
        const bool vector = i % 3 != 1;
        hit.foundBy = {};
        if (keyword) {
            hit.foundBy |= RetrievalStage::Keyword;
            hit.keywordRank = i;
            hit.keywordScore = 12.5 - i * 1.7;
            hit.keywordSimilarity = 1.0 - i * 0.13;
        }
        if (vector) {
            hit.foundBy |= RetrievalStage::Vector;
            hit.vectorRank = count - 1 - i;
            hit.vectorSimilarity = 0.84 - i * 0.04;
        }
        hit.fusedScore = 0.0325 - i * 0.002;
        hit.weightedSimilarity = 0.7 - i * 0.05;
        if (i == 0)
            hit.rerankScore = 0.912;
        result.hits.append(hit);
    }
    return result;
}

} // namespace ragdesk::testing
