#include "app/cli/CachedSyntheticProfile.h"

#include "app/cli/SyntheticKnowledgeBases.h"
#include "core/ingest/IngestionStack.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/ProfileDatabase.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

/// Written after the last vector: a directory without it is a build that was interrupted.
const QString completeMarker = u"bench-complete"_s;

} // namespace

QString CachedSyntheticProfile::defaultRoot()
{
    return QDir::temp().filePath(u"ragdesk-bench-retrieval"_s);
}

CachedSyntheticProfile::~CachedSyntheticProfile()
{
    m_retrieval.reset();
    if (m_ingestion)
        m_ingestion->shutdown();
}

QCoro::Task<Result<std::unique_ptr<CachedSyntheticProfile>>> CachedSyntheticProfile::open(
    QString root, qint64 chunks, EmbeddingService::SettingsFor embedding, QTextStream &progress)
{
    if (chunks < SyntheticKnowledgeBases::chunksPerDocument * SyntheticKnowledgeBases::knowledgeBaseCount)
        co_return fail(Error::Kind::Configuration, u"A corpus of %1 chunks is too small: it needs one document per "
                                                   "knowledge base (%2 chunks)."_s
                                                       .arg(chunks)
                                                       .arg(SyntheticKnowledgeBases::chunksPerDocument *
                                                            SyntheticKnowledgeBases::knowledgeBaseCount));
    std::unique_ptr<CachedSyntheticProfile> corpus(new CachedSyntheticProfile);
    corpus->m_directory = QDir(root).filePath(u"chunks-%1"_s.arg(chunks));
    const QDir directory(corpus->m_directory);
    corpus->m_cached = QFile::exists(directory.filePath(completeMarker));
    if (!corpus->m_cached)
        QDir(corpus->m_directory).removeRecursively();

    auto profile = co_await ProfileDatabase::open(corpus->m_directory);
    if (!profile)
        co_return std::unexpected(profile.error());
    corpus->m_profile = std::move(*profile);
    IngestionStack::Options ingestOptions;
    ingestOptions.watchFolders = false;
    auto ingestion = co_await IngestionStack::open(corpus->m_profile, corpus->m_directory, ingestOptions);
    if (!ingestion)
        co_return std::unexpected(ingestion.error());
    corpus->m_ingestion = std::move(*ingestion);
    if (!corpus->m_cached) {
        progress << u"building %1 synthetic chunks in %2\n"_s.arg(chunks).arg(corpus->m_directory) << Qt::flush;
        if (auto built = co_await SyntheticKnowledgeBases::build(*corpus->m_ingestion, chunks, corpus->m_text, progress);
            !built)
            co_return std::unexpected(built.error());
        if (QFile marker(directory.filePath(completeMarker)); !marker.open(QIODevice::WriteOnly))
            co_return fail(Error::Kind::File, u"Could not write %1."_s.arg(marker.fileName()));
    }

    RetrievalStack::Options retrievalOptions;
    retrievalOptions.network = &corpus->m_network;
    retrievalOptions.backfill = false; // the vectors are written by the build, never embedded
    retrievalOptions.embeddingSettings = std::move(embedding);
    corpus->m_retrieval = std::make_unique<RetrievalStack>(*corpus->m_ingestion, retrievalOptions);

    QElapsedTimer clock;
    clock.start();
    auto warm = co_await corpus->m_retrieval->retriever()->search(corpus->m_text.query(1, 1, 2), RetrievalOptions{});
    if (!warm)
        co_return std::unexpected(warm.error());
    if (!warm->usedVectors)
        co_return fail(Error::Kind::Configuration, u"The warm-up search used no vectors: %1"_s.arg(warm->vectorNotice));
    corpus->m_warmUpMs = double(clock.nsecsElapsed()) / 1e6;
    co_return corpus;
}

RetrieveFunction CachedSyntheticProfile::retrieve() const
{
    return [retriever = m_retrieval->retriever()](QString query, RetrievalOptions options, CancelToken cancel) {
        return retriever->search(std::move(query), std::move(options), std::move(cancel));
    };
}

} // namespace ragdesk::cli
