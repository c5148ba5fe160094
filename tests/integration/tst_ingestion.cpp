// End to end: real files through the real ragdesk-extract process, chunker and index.db,
// including hostile files and a CLI killed mid-ingestion.
#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"
#include "tests/support/documents/TestDocuments.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

/// A profile with the real ingestion stack (real extractor processes).
struct RealStack {
    RealStack()
    {
        profile = mustSucceed(ProfileDatabase::open(dir.path()));
        IngestionStack::Options options;
        options.helperPath = shippedBinary(u"ragdesk-extract"_s);
        options.watchFolders = false;
        stack = mustSucceed(IngestionStack::open(profile, dir.path(), options));
        mustSucceed(stack->library()->start(false));
        knowledgeBase = mustSucceed(stack->library()->create(u"Docs"_s, {}, u"en"_s));
    }
    ~RealStack() { stack->shutdown(); }

    bool runUntilIdle(int timeoutMs = 120000)
    {
        return QTest::qWaitFor([this] { return stack->queue()->isIdle(); }, timeoutMs);
    }
    DocumentRecord document(const QString &path)
    {
        for (const DocumentRecord &record : mustSucceed(stack->documents()->documents(knowledgeBase.id))) {
            if (record.path == QFileInfo(path).absoluteFilePath())
                return record;
        }
        qFatal("no document for %s", qPrintable(path));
    }
    QList<ChunkRecord> chunks(const QString &path) { return mustSucceed(stack->chunks()->chunks(document(path).id)); }

    TempProfile dir;
    std::shared_ptr<ProfileDatabase> profile;
    std::unique_ptr<IngestionStack> stack;
    KnowledgeBase knowledgeBase;
};

QString joined(const QList<ChunkRecord> &chunks)
{
    QStringList texts;
    for (const ChunkRecord &chunk : chunks)
        texts.append(chunk.draft.text);
    return texts.join(u'\n');
}

TextBlock block(TextBlock::Kind kind, const QString &text, int level = 0)
{
    return TextBlock{kind, level, 0, text, {}};
}

int runCli(const QStringList &arguments, QString *output = nullptr)
{
    QProcess cli;
    cli.start(shippedBinary(u"ragdesk-cli"_s), arguments);
    if (!cli.waitForFinished(120000))
        return -1;
    if (output)
        *output = QString::fromUtf8(cli.readAllStandardOutput() + cli.readAllStandardError());
    return cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
}

} // namespace

class TestIngestion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFormatKeepsItsStructure()
    {
        QTemporaryDir folder;
        const QDir dir(folder.path());
        QVERIFY(testdocs::writePdf(dir.filePath(u"manual.pdf"_s), testdocs::samplePdfPages(3), u"The Manual"_s));
        const QList<TextBlock> office{block(TextBlock::Kind::Heading, u"Install"_s, 1),
                                      block(TextBlock::Kind::Heading, u"Linux"_s, 2),
                                      block(TextBlock::Kind::Paragraph, u"Run the installer with grüße."_s)};
        QVERIFY(testdocs::writeDocx(dir.filePath(u"guide.docx"_s), office, u"Guide"_s));
        QVERIFY(testdocs::writeOdt(dir.filePath(u"guide.odt"_s), office, u"Guide ODT"_s));
        QVERIFY(testdocs::writeEpub(dir.filePath(u"book.epub"_s),
                                    {{block(TextBlock::Kind::Heading, u"Chapter One"_s, 1), block(TextBlock::Kind::Paragraph, u"It was a dark night."_s)}},
                                    u"A Book"_s));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"page.html"_s),
                                     testdocs::html({block(TextBlock::Kind::Heading, u"Web Page"_s, 1),
                                                     block(TextBlock::Kind::Paragraph, u"Hypertext body."_s)},
                                                    u"Page"_s)));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"table.csv"_s),
                                     testdocs::csv({{u"name"_s, u"price"_s}, {u"apple"_s, u"1"_s}, {u"pear"_s, u"2"_s}})));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"notes.md"_s), "# Notes\n\n## Setup\n\nUse ragdesk.\n"));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"main.cpp"_s), "int main() { return 0; }\n"));

        RealStack real;
        mustSucceed(real.stack->library()->addPaths(real.knowledgeBase.id, {folder.path()}));
        QVERIFY(real.runUntilIdle());

        for (const QString &name : dir.entryList(QDir::Files)) {
            const DocumentRecord record = real.document(dir.filePath(name));
            QVERIFY2(record.status == DocumentStatus::Indexed, qPrintable(name + u": "_s + record.error));
            QVERIFY2(record.chunkCount > 0, qPrintable(name));
        }

        const DocumentRecord pdf = real.document(dir.filePath(u"manual.pdf"_s));
        QCOMPARE(pdf.pageCount, 3);
        QCOMPARE(pdf.title, u"The Manual"_s);
        bool foundPageTwo = false;
        for (const ChunkRecord &chunk : real.chunks(dir.filePath(u"manual.pdf"_s))) {
            if (chunk.draft.text.contains(testdocs::pageSentence(2))) {
                QCOMPARE(chunk.draft.page, 2);
                foundPageTwo = true;
            }
        }
        QVERIFY(foundPageTwo);

        for (const QString &name : {u"guide.docx"_s, u"guide.odt"_s}) {
            const auto chunks = real.chunks(dir.filePath(name));
            QVERIFY2(joined(chunks).contains(u"grüße"_s), qPrintable(joined(chunks)));
            QCOMPARE(chunks.last().draft.headingPath, u"Install › Linux"_s);
        }
        QVERIFY(joined(real.chunks(dir.filePath(u"table.csv"_s))).startsWith(u"name,price"_s)
                || joined(real.chunks(dir.filePath(u"table.csv"_s))).contains(u"name"_s));
        QCOMPARE(real.chunks(dir.filePath(u"notes.md"_s)).last().draft.headingPath, u"Notes › Setup"_s);
        QVERIFY(joined(real.chunks(dir.filePath(u"book.epub"_s))).contains(u"dark night"_s));
        mustSucceed(real.stack->documents()->checkIntegrity());
    }

    void hostileFilesFailAloneWithAReason()
    {
        QTemporaryDir folder;
        const QDir dir(folder.path());
        QVERIFY(testdocs::writeZipBombDocx(dir.filePath(u"bomb.docx"_s), qint64(300) << 20));
        QVERIFY(testdocs::writePdf(dir.filePath(u"good.pdf"_s), testdocs::samplePdfPages(2)));
        QVERIFY(testdocs::writeTruncatedCopy(dir.filePath(u"good.pdf"_s), dir.filePath(u"truncated.pdf"_s), 0.5));
        QVERIFY(testdocs::writeRandomBytes(dir.filePath(u"random.pdf"_s), 64 * 1024));
        QVERIFY(testdocs::writeSingleLineText(dir.filePath(u"one-line.txt"_s), qint64(50) << 20));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"fine.md"_s), "# Fine\n\nStill indexed.\n"));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"deleted.md"_s), "# Soon gone\n"));
        QString whyNoEncryption;
        const bool encrypted = testdocs::encryptPdf(dir.filePath(u"good.pdf"_s), dir.filePath(u"locked.pdf"_s), &whyNoEncryption);

        RealStack real;
        // Queued but not yet claimed: the file disappears before the queue reaches it.
        const auto listed = mustSucceed(real.stack->library()->addPaths(real.knowledgeBase.id, {folder.path()}));
        QVERIFY(listed.queued >= 7);
        QFile::remove(dir.filePath(u"deleted.md"_s));
        QVERIFY(real.runUntilIdle());

        const auto expectFailure = [&](const QString &name, const QString &word) {
            const DocumentRecord record = real.document(dir.filePath(name));
            QVERIFY2(record.status == DocumentStatus::Failed, qPrintable(name + u" is "_s + documentStatusName(record.status)));
            QVERIFY2(record.error.contains(word, Qt::CaseInsensitive), qPrintable(name + u": "_s + record.error));
        };
        expectFailure(u"bomb.docx"_s, u"unpacks to more than"_s);
        expectFailure(u"truncated.pdf"_s, u"PDF"_s);
        expectFailure(u"random.pdf"_s, u"PDF"_s);
        if (encrypted)
            expectFailure(u"locked.pdf"_s, u"password"_s);
        else
            qWarning("encrypted PDF not tested: %s", qPrintable(whyNoEncryption));
        // The deleted file may fail at fingerprinting or in the extractor; either way it names the file.
        const DocumentRecord deleted = real.document(dir.filePath(u"deleted.md"_s));
        QCOMPARE(deleted.status, DocumentStatus::Failed);
        QVERIFY2(deleted.error.contains(u"deleted.md"_s), qPrintable(deleted.error));

        // A 50 MB line is not hostile to the pipeline: it is indexed, cut at the chunk budget.
        const DocumentRecord line = real.document(dir.filePath(u"one-line.txt"_s));
        QVERIFY2(line.status == DocumentStatus::Indexed, qPrintable(line.error));
        QVERIFY(line.chunkCount > 1000);
        QCOMPARE(real.document(dir.filePath(u"fine.md"_s)).status, DocumentStatus::Indexed);
        QCOMPARE(real.document(dir.filePath(u"good.pdf"_s)).status, DocumentStatus::Indexed);
        mustSucceed(real.stack->documents()->checkIntegrity());
    }

    void aKilledCliResumesWhereItStopped()
    {
        QTemporaryDir folder;
        TempProfile profile;
        const QDir dir(folder.path());
        // Enough files that the CLI is still busy when the test kills it (~200 files/s here).
        constexpr int files = 1200;
        for (int i = 0; i < files; ++i) {
            QString text = u"# Note %1\n\n"_s.arg(i);
            for (int p = 0; p < 12; ++p)
                text += u"Paragraph %1 of note %2 talks about indexing and recovery.\n\n"_s.arg(p).arg(i);
            QVERIFY(testdocs::writeBytes(dir.filePath(u"note-%1.md"_s.arg(i)), text.toUtf8()));
        }
        const QStringList common{u"--profile"_s, profile.path()};
        QCOMPARE(runCli(common + QStringList{u"kb"_s, u"create"_s, u"Notes"_s}), 0);

        QProcess adding;
        adding.start(shippedBinary(u"ragdesk-cli"_s), common + QStringList{u"kb"_s, u"add"_s, u"Notes"_s, folder.path()});
        QVERIFY(adding.waitForStarted());
        // Killed hard (no cleanup) once a few files are in, well before the end.
        int indexedLines = 0;
        QByteArray seen;
        while (indexedLines < 10 && adding.state() == QProcess::Running) {
            adding.waitForReadyRead(10000);
            seen += adding.readAllStandardOutput();
            indexedLines = int(seen.count("indexed  "));
        }
        QVERIFY2(adding.state() == QProcess::Running, "the CLI finished before it could be killed; raise the file count");
        ::kill(pid_t(adding.processId()), SIGKILL);
        QVERIFY(adding.waitForFinished(10000));

        QString status;
        QCOMPARE(runCli(common + QStringList{u"kb"_s, u"status"_s, u"Notes"_s}, &status), 0);
        QVERIFY2(!status.contains(u" %1 indexed"_s.arg(files)), qPrintable(status));

        QString resumed;
        QCOMPARE(runCli(common + QStringList{u"kb"_s, u"sync"_s, u"Notes"_s}, &resumed), 0);
        QVERIFY2(resumed.contains(u"0 failed"_s), qPrintable(resumed.right(500)));

        auto database = mustSucceed(ProfileDatabase::open(profile.path()));
        IngestionStack::Options options;
        options.helperPath = shippedBinary(u"ragdesk-extract"_s);
        auto stack = mustSucceed(IngestionStack::open(database, profile.path(), options));
        const KnowledgeBase notes = mustSucceed(stack->library()->find(u"Notes"_s));
        const auto documents = mustSucceed(stack->documents()->documents(notes.id));
        QCOMPARE(documents.size(), files);
        qint64 chunks = 0;
        for (const DocumentRecord &document : documents) {
            QVERIFY2(document.status == DocumentStatus::Indexed, qPrintable(document.path));
            chunks += document.chunkCount;
        }
        // No chunk was stored twice by the interrupted and the resumed run.
        QCOMPARE(mustSucceed(stack->chunks()->chunkCount(notes.id)), chunks);
        mustSucceed(stack->documents()->checkIntegrity());
    }
};

QTEST_MAIN(TestIngestion)
#include "tst_ingestion.moc"
