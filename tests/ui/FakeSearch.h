#pragma once

#include "core/retrieval/RetrievalTypes.h"
#include "ui/SearchFunction.h"

#include <QList>
#include <QPromise>

#include <memory>

namespace ragdesk::testing {

/// A SearchFunction the test controls: every call is recorded with its query, options and
/// CancelToken, and resolves only when the test calls complete(). It ignores cancellation on
/// purpose, so a test can deliver a stale query's late answer and check nobody shows it.
class FakeSearch
{
public:
    struct Call {
        QString query;
        RetrievalOptions options;
        CancelToken cancel;
        std::shared_ptr<QPromise<Result<RetrievalResult>>> promise;
        bool completed = false;
    };

    FakeSearch();
    ~FakeSearch();

    [[nodiscard]] SearchFunction function() const;
    [[nodiscard]] int count() const { return int(m_calls->size()); }
    [[nodiscard]] const Call &call(int index) const { return m_calls->at(index); }
    /// Resolves call @p index with @p result (once; later calls are ignored).
    void complete(int index, Result<RetrievalResult> result);

private:
    std::shared_ptr<QList<Call>> m_calls;
};

/// A result for @p query with @p count hits: titles, headings, pages, snippets with the query's
/// first word marked, scores of both stages, timings and a vector notice.
RetrievalResult sampleResult(const QString &query, int count = 5);

} // namespace ragdesk::testing
