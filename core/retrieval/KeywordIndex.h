#pragma once

#include "core/foundation/Error.h"
#include "core/retrieval/HitFusion.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QCoroTask>
#include <QHash>
#include <QSqlDatabase>

#include <memory>

namespace ragdesk {

class DocumentScope;
class IndexDatabase;

/// The keyword stage: BM25 over index.db's FTS5 table (chunks_fts), on a reader thread.
class KeywordIndex
{
public:
    explicit KeywordIndex(std::shared_ptr<IndexDatabase> database);

    /// The best @p limit chunks for @p matchExpression (see QueryAnalyzer) within @p options'
    /// knowledge bases, documents and file types; BM25 as a positive score, best first.
    QCoro::Task<Result<QList<StageHit>>> search(QString matchExpression, RetrievalOptions options, int limit);

    /// search() for a caller already on a reader thread with its connection.
    static Result<QList<StageHit>> search(QSqlDatabase &db, const QString &matchExpression,
                                          const DocumentScope &scope, int limit);
    /// Chunks a word may occur in before the keyword stage stops ranking it on its own.
    static constexpr int commonWordMatches = 5'000;
    /// Those of @p words that occur in more than commonWordMatches chunks (in any of
    /// @p languages). Counting stops at the limit, so it costs little, and answers are cached
    /// for ten minutes: a word's frequency changes slowly. Reader threads only.
    static Result<QStringList> commonWords(QSqlDatabase &db, const QStringList &words, const QStringList &languages,
                                           int limit = commonWordMatches);

    /// The SQL search() runs, for EXPLAIN QUERY PLAN in tests.
    static QString searchSql(const DocumentScope &scope);


private:
    std::shared_ptr<IndexDatabase> m_database;
};

} // namespace ragdesk
