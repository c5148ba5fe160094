#pragma once

#include "core/ingest/IngestQueue.h"
#include "core/ingest/extraction/ExtractorPool.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/DocumentStore.h"
#include "tests/support/TempProfile.h"

#include <QTemporaryDir>

#include <memory>

namespace ragdesk::testing {

/// An ingestion queue on a temp index.db, fed by a helper process (the scripted fake by default:
/// a file's content decides whether the helper answers, crashes or hangs; see tests/support/fake-extract).
class IngestHarness
{
public:
    static constexpr qint64 knowledgeBase = 1;

    explicit IngestHarness(QString helper = {}, int secondsPerFile = 5);
    ~IngestHarness();

    /// Writes @p content to @p name inside the harness's source folder; returns the absolute path.
    QString writeFile(const QString &name, const QByteArray &content);
    /// Queues every file of the source folder, as a folder scan would.
    int enqueueAll();
    /// Wakes the queue and waits until it is idle again; false on timeout.
    bool runUntilIdle(int timeoutMs = 30000);
    /// Replaces the queue and the extractor pool by fresh ones, as a restart of the app would.
    void restart();

    QList<DocumentRecord> documents();
    DocumentRecord document(const QString &name);

    [[nodiscard]] QString folder() const { return m_files.path(); }
    [[nodiscard]] QString profile() const { return m_profile.path(); }

    std::shared_ptr<DocumentStore> documentStore;
    std::shared_ptr<ChunkStore> chunkStore;
    std::unique_ptr<ExtractorPool> pool;
    std::unique_ptr<IngestQueue> queue;

private:
    void createQueue();

    TempProfile m_profile;
    QTemporaryDir m_files;
    QString m_helper;
    ExtractionLimits m_limits;
};

} // namespace ragdesk::testing
