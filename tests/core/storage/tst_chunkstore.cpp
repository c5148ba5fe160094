#include "core/storage/ChunkStore.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/IndexDatabase.h"
#include "tests/core/storage/IndexTestSupport.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/TempProfile.h"

#include <QCoroTask>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::ftsMatches;
using ragdesk::testing::mustSucceed;

class TestChunkStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TempProfile> m_profile;
    std::shared_ptr<IndexDatabase> m_database;
    std::unique_ptr<ChunkStore> m_chunks;
    qint64 m_documentId = 0;

    bool integrityHolds()
    {
        auto checked = QCoro::waitFor(DocumentStore(m_database).checkIntegrity());
        if (!checked)
            qWarning() << checked.error().message;
        return checked.has_value();
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::TempProfile>();
        m_database = mustSucceed(IndexDatabase::open(m_profile->path()));
        m_chunks = std::make_unique<ChunkStore>(m_database);
        DocumentStore documents(m_database);
        QCOMPARE(QCoro::waitFor(documents.enqueue(7, {FileSnapshot{u"/a.txt"_s, 10, {}}})).value_or(-1), 1);
        m_documentId = QCoro::waitFor(documents.claimNext(1)).value().at(0).id;
        const auto stored = QCoro::waitFor(documents.storeIndexed(
            {testing::indexedDocument(m_documentId, {u"alpha apples"_s, u"bravo bananas"_s, u"charlie cherries"_s})}));
        QCOMPARE(stored.value_or(QList<qint64>{}), QList<qint64>{m_documentId});
    }

    void cleanup()
    {
        m_chunks.reset();
        m_database.reset();
        m_profile.reset();
    }

    void listsChunksInOrdinalOrder()
    {
        const auto chunks = QCoro::waitFor(m_chunks->chunks(m_documentId));
        QVERIFY(chunks);
        QCOMPARE(chunks->size(), 3);
        const auto expected = testing::indexedDocument(m_documentId, {u"alpha apples"_s, u"bravo bananas"_s,
                                                                      u"charlie cherries"_s});
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(chunks->at(i).documentId, m_documentId);
            QCOMPARE(chunks->at(i).draft, expected.chunked.chunks.at(i));
            QVERIFY(chunks->at(i).enabled);
        }
        QVERIFY(QCoro::waitFor(m_chunks->chunks(m_documentId + 1))->isEmpty());
    }

    void returnsDocumentText()
    {
        const auto text = QCoro::waitFor(m_chunks->documentText(m_documentId));
        QCOMPARE(text.value_or(QString()), u"alpha applesbravo bananascharlie cherries"_s);
        const auto chunks = *QCoro::waitFor(m_chunks->chunks(m_documentId));
        QCOMPARE(text->mid(chunks.at(1).draft.start, chunks.at(1).draft.end - chunks.at(1).draft.start),
                 chunks.at(1).draft.text);
        const auto missing = QCoro::waitFor(m_chunks->documentText(m_documentId + 1));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(u"not been indexed"_s), qPrintable(missing.error().message));
    }

    void disabledChunksLeaveTheKeywordIndex()
    {
        const auto chunks = *QCoro::waitFor(m_chunks->chunks(m_documentId));
        const qint64 bravo = chunks.at(1).id;
        QCOMPARE(ftsMatches(*m_database, u"bananas"_s), QList<qint64>{bravo});
        // Heading paths are indexed too.
        QCOMPARE(ftsMatches(*m_database, u"heading_path:heading"_s).size(), 3);

        QVERIFY(QCoro::waitFor(m_chunks->setEnabled(bravo, false)));
        QVERIFY(ftsMatches(*m_database, u"bananas"_s).isEmpty());
        QCOMPARE(ftsMatches(*m_database, u"heading_path:heading"_s).size(), 2);
        QVERIFY(!QCoro::waitFor(m_chunks->chunks(m_documentId))->at(1).enabled);
        QVERIFY(integrityHolds());

        // Disabling twice must not issue a second FTS 'delete' (that would corrupt the index).
        QVERIFY(QCoro::waitFor(m_chunks->setEnabled(bravo, false)));
        QVERIFY(integrityHolds());

        QVERIFY(QCoro::waitFor(m_chunks->setEnabled(bravo, true)));
        QCOMPARE(ftsMatches(*m_database, u"bananas"_s), QList<qint64>{bravo});
        QVERIFY(QCoro::waitFor(m_chunks->setEnabled(bravo, true)));
        QCOMPARE(ftsMatches(*m_database, u"bananas"_s), QList<qint64>{bravo});
        QVERIFY(integrityHolds());
    }

    void editedTextIsReindexed()
    {
        const auto chunks = *QCoro::waitFor(m_chunks->chunks(m_documentId));
        const qint64 alpha = chunks.at(0).id;
        QVERIFY(QCoro::waitFor(m_chunks->updateText(alpha, u"Crème brûlée recipe"_s, 5)));
        QVERIFY(ftsMatches(*m_database, u"apples"_s).isEmpty());
        // remove_diacritics 2: an unaccented query finds the accented text.
        QCOMPARE(ftsMatches(*m_database, u"creme AND brulee"_s), QList<qint64>{alpha});
        const auto edited = QCoro::waitFor(m_chunks->chunks(m_documentId))->at(0);
        QCOMPARE(edited.draft.text, u"Crème brûlée recipe"_s);
        QCOMPARE(edited.draft.tokenCount, 5);
        QVERIFY(integrityHolds());

        // Editing a disabled chunk keeps it out of the index.
        QVERIFY(QCoro::waitFor(m_chunks->setEnabled(alpha, false)));
        QVERIFY(QCoro::waitFor(m_chunks->updateText(alpha, u"zulu zebras"_s, 2)));
        QVERIFY(ftsMatches(*m_database, u"zebras OR creme"_s).isEmpty());
        QVERIFY(integrityHolds());
    }

    void changingAMissingChunkFails()
    {
        const auto missing = QCoro::waitFor(m_chunks->setEnabled(123456, false));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(u"no longer exists"_s), qPrintable(missing.error().message));
        QVERIFY(!QCoro::waitFor(m_chunks->updateText(123456, u"x"_s, 1)));
    }

    void countsChunksPerKnowledgeBase()
    {
        QCOMPARE(QCoro::waitFor(m_chunks->chunkCount(7)).value_or(-1), 3);
        QCOMPARE(QCoro::waitFor(m_chunks->chunkCount(8)).value_or(-1), 0);
        // Disabled chunks are still stored chunks.
        QVERIFY(QCoro::waitFor(m_chunks->setEnabled(QCoro::waitFor(m_chunks->chunks(m_documentId))->at(0).id, false)));
        QCOMPARE(QCoro::waitFor(m_chunks->chunkCount(7)).value_or(-1), 3);
    }
};

QTEST_GUILESS_MAIN(TestChunkStore)
#include "tst_chunkstore.moc"
