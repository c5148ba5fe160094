#pragma once

// Shared by the index.db store tests: a stored document's worth of chunks, and looks into the
// keyword index that the stores deliberately do not expose.

#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseTypes.h"
#include "tests/support/AwaitFuture.h"

#include <QSqlQuery>

namespace ragdesk::testing {

/// @p texts become the chunks, in order; the document text is their concatenation.
inline IndexedDocument indexedDocument(qint64 documentId, const QStringList &texts)
{
    IndexedDocument document;
    document.documentId = documentId;
    document.title = QStringLiteral("Title %1").arg(documentId);
    document.mimeType = QStringLiteral("text/plain");
    document.contentHash = QByteArray::number(documentId, 16).rightJustified(8, '0');
    document.size = 100;
    document.modifiedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000);
    document.pageCount = 1;
    for (const QString &text : texts) {
        ChunkDraft chunk;
        chunk.ordinal = int(document.chunked.chunks.size());
        chunk.start = document.chunked.text.size();
        document.chunked.text += text;
        chunk.end = document.chunked.text.size();
        chunk.text = text;
        chunk.headingPath = QStringLiteral("Heading %1").arg(chunk.ordinal);
        chunk.tokenCount = int(text.size() / 4) + 1;
        document.chunked.chunks.append(chunk);
    }
    return document;
}

/// Rowids (= chunk ids) the keyword index finds for @p match, ascending; {-1} if the query failed.
inline QList<qint64> ftsMatches(IndexDatabase &database, const QString &match)
{
    return await(database.readers().run([match](QSqlDatabase &db) {
        QSqlQuery query(db);
        QList<qint64> ids;
        query.prepare(QStringLiteral("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid"));
        query.addBindValue(match);
        if (!query.exec())
            return QList<qint64>{-1};
        while (query.next())
            ids.append(query.value(0).toLongLong());
        return ids;
    }));
}

/// One number from a query on a reader, -1 on failure.
inline qint64 count(IndexDatabase &database, const QString &sql)
{
    return await(database.readers().run([sql](QSqlDatabase &db) {
        QSqlQuery query(db);
        return query.exec(sql) && query.next() ? query.value(0).toLongLong() : qint64(-1);
    }));
}

} // namespace ragdesk::testing
