// ragdesk-bench-index: write throughput of DocumentStore::storeIndexed into index.db (FTS5
// included) and the cost of deleting one document at two index sizes.
//   ragdesk-bench-index [--chunks N] [--dir D]
// N chunks are written in batches of 50 documents x 200 chunks (English-like text, 300-2000
// characters per chunk); deletes of a 1k- and a 10k-chunk document are then timed in that index
// (about N chunks) and again after it has been grown to about 10 x N with short filler chunks.

#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCoroFuture>
#include <QCoroTask>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

/// English-like text: a fixed vocabulary drawn with a Zipf-like skew, so the FTS index sees a
/// realistic mix of very common and rare terms.
class TextGenerator
{
public:
    TextGenerator()
        : m_random(20'260'126)
    {
        static const char letters[] = "etaoinshrdlcumwfgypbvkjxqz";
        for (int i = 0; i < 20'000; ++i) {
            const int length = 2 + int(m_random.bounded(9));
            QString word;
            for (int c = 0; c < length; ++c)
                word += QLatin1Char(letters[int(std::pow(m_random.generateDouble(), 1.6) * 26)]);
            m_words.append(word);
        }
    }

    QString text(int minChars, int maxChars)
    {
        const int target = minChars + int(m_random.bounded(maxChars - minChars + 1));
        QString out;
        out.reserve(target + 16);
        while (out.size() < target) {
            out += m_words.at(int(std::pow(m_random.generateDouble(), 3.0) * double(m_words.size())));
            out += m_random.bounded(12) == 0 ? u". "_s : u" "_s;
        }
        return out;
    }

private:
    QRandomGenerator m_random;
    QStringList m_words;
};

struct Batch {
    QList<IndexedDocument> documents;
    qint64 chunks = 0;
    qint64 utf8Bytes = 0;
};

class Bench
{
public:
    explicit Bench(std::shared_ptr<IndexDatabase> database)
        : m_database(database)
        , m_store(std::move(database))
    {
    }

    /// Queues and claims @p count new documents; returns their ids.
    QCoro::Task<QList<qint64>> newDocuments(int count)
    {
        QList<FileSnapshot> files;
        for (int i = 0; i < count; ++i)
            files.append(FileSnapshot{u"/bench/doc-%1.txt"_s.arg(++m_documents), 1, QDateTime::currentDateTimeUtc()});
        co_await m_store.enqueue(1, files);
        const auto claimed = co_await m_store.claimNext(count);
        QList<qint64> ids;
        for (const auto &document : claimed.value_or(QList<DocumentRecord>{}))
            ids.append(document.id);
        co_return ids;
    }

    Batch makeBatch(const QList<qint64> &ids, int chunksPerDocument, int minChars, int maxChars)
    {
        Batch batch;
        for (qint64 id : ids) {
            IndexedDocument document;
            document.documentId = id;
            document.title = u"Document %1"_s.arg(id);
            document.mimeType = u"text/plain"_s;
            for (int i = 0; i < chunksPerDocument; ++i) {
                ChunkDraft chunk;
                chunk.ordinal = i;
                chunk.text = m_text.text(minChars, maxChars);
                chunk.headingPath = u"Part %1 › Section %2"_s.arg(i / 50).arg(i / 10);
                chunk.start = document.chunked.text.size();
                document.chunked.text += chunk.text + u"\n\n"_s;
                chunk.end = chunk.start + chunk.text.size();
                chunk.tokenCount = int(chunk.text.size() / 4);
                batch.utf8Bytes += chunk.text.size(); // ASCII text: one byte per character
                document.chunked.chunks.append(std::move(chunk));
            }
            batch.chunks += chunksPerDocument;
            batch.documents.append(std::move(document));
        }
        return batch;
    }

    /// Writes @p total chunks in batches; returns the milliseconds spent inside storeIndexed.
    QCoro::Task<qint64> write(qint64 total, int documentsPerBatch, int chunksPerDocument, int minChars, int maxChars,
                              qint64 *bytes)
    {
        qint64 written = 0;
        qint64 elapsedMs = 0;
        while (written < total) {
            const int documents = int(std::min<qint64>(documentsPerBatch,
                                                       (total - written + chunksPerDocument - 1) / chunksPerDocument));
            Batch batch = makeBatch(co_await newDocuments(documents), chunksPerDocument, minChars, maxChars);
            QElapsedTimer timer;
            timer.start();
            const auto stored = co_await m_store.storeIndexed(std::move(batch.documents));
            elapsedMs += timer.elapsed();
            if (!stored)
                qFatal("storeIndexed failed: %s", qPrintable(stored.error().message));
            written += batch.chunks;
            if (bytes)
                *bytes += batch.utf8Bytes;
        }
        co_return elapsedMs;
    }

    /// Stores one document of @p chunks typical chunks, then times its removal.
    QCoro::Task<double> deleteCase(int chunks)
    {
        const auto ids = co_await newDocuments(1);
        auto batch = makeBatch(ids, chunks, 300, 2000);
        co_await m_store.storeIndexed(std::move(batch.documents));
        QElapsedTimer timer;
        timer.start();
        const auto removed = co_await m_store.removeDocuments(ids);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        if (removed.value_or(0) != 1)
            qFatal("removeDocuments failed");
        co_return ms;
    }

    QCoro::Task<qint64> totalChunks() { co_return (co_await m_store.progress(0)).value_or(KnowledgeBaseProgress{}).chunks; }

    QCoro::Task<QString> sqliteVersion()
    {
        co_return co_await m_database->readers().run([](QSqlDatabase &db) {
            QSqlQuery query(db);
            return query.exec(u"SELECT sqlite_version()"_s) && query.next() ? query.value(0).toString() : u"?"_s;
        });
    }

private:
    std::shared_ptr<IndexDatabase> m_database;
    DocumentStore m_store;
    TextGenerator m_text;
    int m_documents = 0;
};

QCoro::Task<int> run(qint64 chunks, QString dir)
{
    auto opened = co_await IndexDatabase::open(dir);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        co_return 1;
    }
    Bench bench(*opened);
    std::printf("SQLite %s, index at %s\n\n", qPrintable(co_await bench.sqliteVersion()),
                qPrintable((*opened)->path()));
    std::printf("%-44s %12s\n", "case", "result");

    qint64 bytes = 0;
    const qint64 writeMs = co_await bench.write(chunks, 50, 200, 300, 2000, &bytes);
    const double seconds = double(std::max<qint64>(writeMs, 1)) / 1000.0;
    std::printf("%-44s %12.0f\n", qPrintable(u"write %1 chunks (50 docs x 200), chunks/s"_s.arg(chunks)),
                double(chunks) / seconds);
    std::printf("%-44s %12.1f\n", "write, MB/s of chunk text", double(bytes) / seconds / 1e6);
    std::fflush(stdout);

    for (const qint64 indexSize : {chunks, chunks * 10}) {
        const qint64 have = co_await bench.totalChunks();
        if (have < indexSize) // short filler chunks keep the big index affordable
            co_await bench.write(indexSize - have, 100, 200, 200, 400, nullptr);
        const qint64 total = co_await bench.totalChunks();
        for (const int size : {1000, 10000}) {
            const double ms = co_await bench.deleteCase(size);
            std::printf("%-44s %12.1f\n",
                        qPrintable(u"delete %1-chunk doc from %2 chunks, ms"_s.arg(size).arg(total)), ms);
            std::fflush(stdout);
        }
    }
    std::printf("\nindex.db: %.0f MB\n", double(QFileInfo((*opened)->path()).size()) / 1e6);
    co_return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Write and delete benchmark of index.db"_s);
    parser.addHelpOption();
    parser.addOption({u"chunks"_s, u"Chunks to write in the throughput run (default 100000)."_s, u"N"_s, u"100000"_s});
    parser.addOption({u"dir"_s, u"Profile folder for index.db (default: a temporary folder)."_s, u"D"_s});
    parser.process(app);
    const qint64 chunks = parser.value(u"chunks"_s).toLongLong();
    if (chunks <= 0)
        parser.showHelp(1);
    QTemporaryDir temporary;
    const QString dir = parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) : temporary.path();
    return QCoro::waitFor(run(chunks, dir));
}
