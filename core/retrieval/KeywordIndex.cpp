#include "core/retrieval/KeywordIndex.h"

#include "core/retrieval/DocumentScope.h"
#include "core/retrieval/QueryAnalyzer.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/SqlStatement.h"

#include <QCache>
#include <QCoroFuture>
#include <QDateTime>
#include <QMutex>

using namespace Qt::StringLiterals;

namespace ragdesk {

KeywordIndex::KeywordIndex(std::shared_ptr<IndexDatabase> database)
    : m_database(std::move(database))
{
}

QString KeywordIndex::searchSql(const DocumentScope &scope)
{
    // FTS5 drives: it finds and BM25-ranks the matches (ORDER BY rank is handed to it), and the
    // scope is a materialized list probed once per match in rank order, until the limit is
    // reached. A filter SQLite could start from instead (documents, then a MATCH per chunk)
    // is what made such queries orders of magnitude slower elsewhere.
    if (scope.isUnrestricted())
        return u"SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?"_s;
    return u"WITH "_s + scope.cte()
           + u" SELECT chunks_fts.rowid, chunks_fts.rank FROM chunks_fts"
             " JOIN chunks ON chunks.id = chunks_fts.rowid"
             " WHERE chunks_fts MATCH ? AND chunks.document_id IN scope"
             " ORDER BY chunks_fts.rank LIMIT ?"_s;
}

Result<QList<StageHit>> KeywordIndex::search(QSqlDatabase &db, const QString &matchExpression,
                                             const DocumentScope &scope, int limit)
{
    QList<StageHit> hits;
    if (matchExpression.isEmpty() || limit <= 0)
        return hits;
    SqlStatement select(db, u"Could not search the keyword index"_s);
    QVariantList values = scope.values();
    values << matchExpression << limit;
    if (auto done = select.exec(searchSql(scope), values); !done)
        return std::unexpected(done.error());
    while (select.next()) {
        // FTS5's bm25() is negative, more negative for better matches.
        hits.append(StageHit{select.query().value(0).toLongLong(), -select.query().value(1).toDouble()});
    }
    return hits;
}

QCoro::Task<Result<QList<StageHit>>> KeywordIndex::search(QString matchExpression, RetrievalOptions options,
                                                          int limit)
{
    const auto database = m_database;
    co_return co_await database->readers().run(
        [matchExpression = std::move(matchExpression), options = std::move(options), limit](QSqlDatabase &db) {
            return search(db, matchExpression, DocumentScope(options), limit);
        });
}


Result<QStringList> KeywordIndex::commonWords(QSqlDatabase &db, const QStringList &words, const QStringList &languages,
                                              int limit)
{
    // Shared by the reader threads; the count behind an entry is the same whichever thread asks.
    // Keyed by database too (a benchmark searches several), and forgotten after a while, so a
    // word that became common through a large ingestion is recognised as such.
    struct Known {
        bool common = false;
        qint64 checkedAtMs = 0;
    };
    static constexpr qint64 validForMs = 10 * 60 * 1000;
    static QMutex mutex;
    static QCache<QString, Known> known(4096);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList common;
    SqlStatement count(db, u"Could not analyse the query"_s);
    if (auto prepared = count.prepare(u"SELECT count(*) FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)"_s);
        !prepared)
        return std::unexpected(prepared.error());
    const QStringList searched = languages.isEmpty() ? QStringList{QString()} : languages;
    for (const QString &word : words) {
        bool isCommon = false;
        for (const QString &language : searched) {
            const QString expression = QueryAnalyzer::termExpression(word, language);
            const QString key = db.databaseName() + u'\x1f' + expression + u'\x1f' + QString::number(limit);
            {
                QMutexLocker locker(&mutex);
                const Known *cached = known.object(key);
                if (cached && now - cached->checkedAtMs < validForMs) {
                    isCommon = isCommon || cached->common;
                    continue;
                }
            }
            if (auto done = count.run({expression, limit + 1}); !done)
                return std::unexpected(done.error());
            const bool many = count.next() && count.value(0).toInt() > limit;
            QMutexLocker locker(&mutex);
            known.insert(key, new Known{many, now});
            isCommon = isCommon || many;
        }
        if (isCommon)
            common.append(word);
    }
    return common;
}

} // namespace ragdesk
