#pragma once

// A profile with two knowledge bases (English and German) and an index.db that documents are
// stored into directly, without extraction: what the retrieval tests search.

#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"
#include "core/storage/KnowledgeBaseStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/AwaitFuture.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/TempProfile.h"

#include <QStringList>

namespace ragdesk::testing {

struct RetrievalFixture {
    TempProfile profile;
    std::shared_ptr<ProfileDatabase> profileDatabase = mustSucceed(ProfileDatabase::open(profile.path()));
    std::shared_ptr<IndexDatabase> index = mustSucceed(IndexDatabase::open(profile.path()));
    std::shared_ptr<KnowledgeBaseStore> knowledgeBases = std::make_shared<KnowledgeBaseStore>(profileDatabase);
    std::shared_ptr<DocumentStore> documents = std::make_shared<DocumentStore>(index);
    KnowledgeBase english = mustSucceed(knowledgeBases->create(QStringLiteral("English"), ChunkingOptions{},
                                                               QStringLiteral("en")));
    KnowledgeBase german = mustSucceed(knowledgeBases->create(QStringLiteral("Deutsch"), ChunkingOptions{},
                                                              QStringLiteral("de")));

    /// Runs @p job, an `Result<T>(QSqlDatabase &)`, on an index reader; a failure stops the test.
    template<typename F>
    auto onReader(F job)
    {
        auto result = await(index->readers().run(std::move(job)));
        if (!result)
            qFatal("a reader job failed: %s", qPrintable(result.error().message));
        return std::move(*result);
    }

    /// Stores a document at @p path in @p knowledgeBase with one chunk per entry of @p chunks,
    /// each a (heading path, text) pair. Returns the document id.
    qint64 add(const KnowledgeBase &knowledgeBase, const QString &path,
               const QList<std::pair<QString, QString>> &chunks, int page = 0)
    {
        const int queued = mustSucceed(documents->enqueue(knowledgeBase.id, {FileSnapshot{path, 10, {}}}));
        Q_ASSERT(queued == 1);
        const qint64 id = mustSucceed(documents->claimNext(1)).at(0).id;
        IndexedDocument document;
        document.documentId = id;
        document.title = path.section(QLatin1Char('/'), -1);
        document.mimeType = QStringLiteral("text/plain");
        document.contentHash = QByteArray::number(id);
        document.language = knowledgeBase.language;
        for (const auto &[heading, text] : chunks) {
            ChunkDraft chunk;
            chunk.ordinal = int(document.chunked.chunks.size());
            chunk.start = document.chunked.text.size();
            document.chunked.text += text + QLatin1Char('\n');
            chunk.end = chunk.start + text.size();
            chunk.text = text;
            chunk.headingPath = heading;
            chunk.page = page;
            chunk.tokenCount = int(text.size() / 4) + 1;
            document.chunked.chunks.append(chunk);
        }
        const auto stored = mustSucceed(documents->storeIndexed({document}));
        Q_ASSERT(stored.size() == 1);
        return id;
    }
};

} // namespace ragdesk::testing
