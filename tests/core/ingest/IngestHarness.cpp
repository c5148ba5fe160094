#include "tests/core/ingest/IngestHarness.h"

#include "core/ingest/FolderScanner.h"
#include "core/storage/IndexDatabase.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/ShippedBinary.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

IngestHarness::IngestHarness(QString helper, int secondsPerFile)
    : m_helper(helper.isEmpty() ? shippedBinary(u"ragdesk-fake-extract"_s) : std::move(helper))
{
    m_limits.secondsPerFile = secondsPerFile;
    auto index = mustSucceed(IndexDatabase::open(m_profile.path()));
    documentStore = std::make_shared<DocumentStore>(index);
    chunkStore = std::make_shared<ChunkStore>(index);
    createQueue();
}

IngestHarness::~IngestHarness()
{
    queue.reset();
    pool.reset();
}

void IngestHarness::createQueue()
{
    pool = std::make_unique<ExtractorPool>(m_helper, 2, m_limits);
    IngestQueue::Settings settings;
    settings.parallelFiles = 3;
    settings.limits = m_limits;
    settings.writes.delay = std::chrono::milliseconds(20);
    settings.progressInterval = std::chrono::milliseconds(50);
    queue = std::make_unique<IngestQueue>(documentStore, pool.get(), settings);
}

void IngestHarness::restart()
{
    queue.reset();
    pool.reset();
    createQueue();
}

QString IngestHarness::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = QDir(m_files.path()).filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return QFileInfo(path).absoluteFilePath();
}

int IngestHarness::enqueueAll()
{
    const auto files = FolderScanner::scan(m_files.path());
    if (!files)
        qFatal("scan failed: %s", qPrintable(files.error().message));
    return mustSucceed(documentStore->enqueue(knowledgeBase, *files));
}

bool IngestHarness::runUntilIdle(int timeoutMs)
{
    QSignalSpy idle(queue.get(), &IngestQueue::idle);
    queue->wake();
    return QTest::qWaitFor([&] { return !idle.isEmpty() && queue->isIdle(); }, timeoutMs);
}

QList<DocumentRecord> IngestHarness::documents()
{
    return mustSucceed(documentStore->documents(knowledgeBase));
}

DocumentRecord IngestHarness::document(const QString &name)
{
    const QString path = QFileInfo(QDir(m_files.path()).filePath(name)).absoluteFilePath();
    for (const DocumentRecord &record : documents()) {
        if (record.path == path)
            return record;
    }
    qFatal("no document for %s", qPrintable(path));
}

} // namespace ragdesk::testing
