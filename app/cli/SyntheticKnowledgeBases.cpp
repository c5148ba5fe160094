#include "app/cli/SyntheticKnowledgeBases.h"

#include "app/cli/SyntheticChunks.h"
#include "core/ingest/IngestionStack.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseStore.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/VectorStore.h"

#include <QCoroFuture>
#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

constexpr int documentsPerBatch = 250;
constexpr int vectorsPerBatch = 10'000;

int topicOf(const QString &path)
{
    // "/bench/kb2/t137-d99.txt": the topic is the number after "t".
    const QString name = path.section(u'/', -1);
    return name.mid(1, name.indexOf(u'-') - 1).toInt();
}

} // namespace

const QString SyntheticKnowledgeBases::modelName = u"bench-384"_s;

QCoro::Task<Result<void>> SyntheticKnowledgeBases::build(IngestionStack &stack, qint64 chunks,
                                                         const SyntheticChunks &corpus, QTextStream &progress)
{
    QElapsedTimer clock;
    clock.start();
    QList<qint64> knowledgeBases;
    for (int k = 0; k < knowledgeBaseCount; ++k) {
        auto created = co_await stack.knowledgeBases()->create(u"bench-%1"_s.arg(k + 1), ChunkingOptions{}, u"en"_s);
        if (!created)
            co_return std::unexpected(created.error());
        if (auto set = co_await stack.knowledgeBases()->setEmbeddingModel(created->id, modelName); !set)
            co_return std::unexpected(set.error());
        knowledgeBases.append(created->id);
    }
    const qint64 documents = chunks / chunksPerDocument;
    for (int k = 0; k < knowledgeBaseCount; ++k) {
        QList<FileSnapshot> files;
        for (qint64 d = k; d < documents; d += knowledgeBaseCount)
            files.append(FileSnapshot{u"/bench/kb%1/t%2-d%3.txt"_s.arg(k + 1).arg(d % SyntheticChunks::topics).arg(d), 1, {}});
        if (auto queued = co_await stack.documents()->enqueue(knowledgeBases[k], files); !queued)
            co_return std::unexpected(queued.error());
    }
    qint64 written = 0;
    while (true) {
        auto claimed = co_await stack.documents()->claimNext(documentsPerBatch);
        if (!claimed)
            co_return std::unexpected(claimed.error());
        if (claimed->isEmpty())
            break;
        QList<IndexedDocument> batch;
        for (const DocumentRecord &record : std::as_const(*claimed)) {
            IndexedDocument document;
            document.documentId = record.id;
            document.title = record.path.section(u'/', -1);
            document.mimeType = u"text/plain"_s;
            document.contentHash = QByteArray::number(record.id);
            document.size = 1;
            document.language = u"en"_s;
            const int topic = topicOf(record.path);
            for (int c = 0; c < chunksPerDocument; ++c) {
                ChunkDraft chunk;
                chunk.ordinal = c;
                chunk.text = corpus.text(topic, quint64(record.id) * 64 + quint64(c));
                chunk.headingPath = u"Section %1"_s.arg(c / 5 + 1);
                chunk.start = document.chunked.text.size();
                document.chunked.text += chunk.text + u'\n';
                chunk.end = chunk.start + chunk.text.size();
                chunk.tokenCount = int(chunk.text.size() / 4);
                document.chunked.chunks.append(chunk);
            }
            batch.append(std::move(document));
        }
        if (auto stored = co_await stack.documents()->storeIndexed(batch); !stored)
            co_return std::unexpected(stored.error());
        written += qint64(batch.size()) * chunksPerDocument;
        progress << u"\r  chunks %1 of %2"_s.arg(written).arg(chunks) << Qt::flush;
    }
    progress << u"\n  text and keyword index: %1 s\n"_s.arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1) << Qt::flush;

    clock.restart();
    VectorStore vectors(stack.index());
    auto modelId = co_await vectors.modelId(modelName, SyntheticChunks::dimensions);
    if (!modelId)
        co_return std::unexpected(modelId.error());
    qint64 cursor = 0;
    qint64 embedded = 0;
    while (true) {
        using Row = std::pair<qint64, QString>;
        auto rows = co_await stack.index()->readers().run([cursor](QSqlDatabase &db) -> Result<QList<Row>> {
            SqlStatement select(db, u"Could not read the bench chunks"_s);
            return select.selectAll<Row>(u"SELECT c.id, d.path FROM chunks c JOIN documents d ON d.id = c.document_id"
                                         " WHERE c.id > ? ORDER BY c.id LIMIT ?"_s,
                                         {cursor, vectorsPerBatch}, [](const SqlStatement &row) {
                                             return Row{row.value(0).toLongLong(), row.value(1).toString()};
                                         });
        });
        if (!rows)
            co_return std::unexpected(rows.error());
        if (rows->isEmpty())
            break;
        cursor = rows->last().first;
        QList<qint64> ids;
        QList<QList<float>> values;
        for (const auto &[id, path] : std::as_const(*rows)) {
            ids.append(id);
            values.append(corpus.vector(topicOf(path), quint64(id)));
        }
        if (auto stored = co_await vectors.store(*modelId, ids, values); !stored)
            co_return std::unexpected(stored.error());
        embedded += ids.size();
        progress << u"\r  vectors %1"_s.arg(embedded) << Qt::flush;
    }
    progress << u"\n  vectors: %1 s\n"_s.arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1) << Qt::flush;
    co_return {};
}

} // namespace ragdesk::cli
