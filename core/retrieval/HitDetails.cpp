#include "core/retrieval/HitDetails.h"

#include "core/retrieval/PassageHighlighter.h"
#include "core/storage/SqlStatement.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace ragdesk {

Result<QList<RetrievalHit>> HitDetails::load(QSqlDatabase &db, QList<RetrievalHit> hits, const QStringList &queryWords,
                                             const QStringList &languages)
{
    if (hits.isEmpty())
        return hits;
    QList<qint64> ids;
    for (const RetrievalHit &hit : std::as_const(hits))
        ids.append(hit.chunkId);
    SqlStatement select(db, u"Could not read the search results"_s);
    if (auto done = select.exec(u"SELECT c.id, c.document_id, d.knowledge_base_id, d.title, d.path, c.heading_path,"
                                " c.page, c.start_offset, c.end_offset, c.text"
                                " FROM chunks c JOIN documents d ON d.id = c.document_id"
                                " WHERE c.enabled AND c.id IN (SELECT value FROM json_each(?))"_s,
                                {SqlStatement::jsonIds(ids)});
        !done)
        return std::unexpected(done.error());
    QHash<qint64, RetrievalHit> details;
    while (select.next()) {
        const QSqlQuery &row = select.query();
        RetrievalHit hit;
        hit.chunkId = row.value(0).toLongLong();
        hit.documentId = row.value(1).toLongLong();
        hit.knowledgeBaseId = row.value(2).toLongLong();
        hit.documentTitle = row.value(3).toString();
        hit.documentPath = row.value(4).toString();
        hit.headingPath = row.value(5).toString();
        hit.page = row.value(6).toInt();
        hit.startOffset = row.value(7).toLongLong();
        hit.endOffset = row.value(8).toLongLong();
        hit.text = row.value(9).toString();
        details.insert(hit.chunkId, std::move(hit));
    }
    const PassageHighlighter highlighter(queryWords, languages);

    QList<RetrievalHit> loaded;
    loaded.reserve(hits.size());
    for (RetrievalHit &hit : hits) {
        const auto found = details.constFind(hit.chunkId);
        if (found == details.constEnd())
            continue;
        hit.documentId = found->documentId;
        hit.knowledgeBaseId = found->knowledgeBaseId;
        hit.documentTitle = found->documentTitle;
        hit.documentPath = found->documentPath;
        hit.headingPath = found->headingPath;
        hit.page = found->page;
        hit.startOffset = found->startOffset;
        hit.endOffset = found->endOffset;
        hit.text = found->text;
        hit.snippet = highlighter.excerpt(hit.text);
        loaded.append(std::move(hit));
    }
    return loaded;
}

} // namespace ragdesk
