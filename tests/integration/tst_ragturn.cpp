// End to end: a chat turn over a real knowledge base. Documents go through the real extractor,
// chunker and index.db; the real retriever searches them; the fake server answers by quoting the
// source it was given, so the citation must lead back to the chunk and page the words came from.

#include "core/chat/ChatSession.h"
#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/llm/OpenAiChatProvider.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/ConversationStore.h"
#include "core/storage/DocumentStore.h"
#include "core/storage/ProfileDatabase.h"
#include "tests/support/AwaitResult.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/FakeSourceQuoter.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"
#include "tests/support/documents/TestDocuments.h"

#include <QDir>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;
using QuoteSources = FakeLlmOptions::QuoteSources;

namespace {

const QString kVolcanoes = u"Basalt forms when lava cools quickly at the surface of a shield volcano in Hawaii."_s;
const QString kGlaciers = u"The Aletsch glacier creeps downhill about one hundred eighty metres every year, sliding on "
                          "meltwater beneath the ice."_s;
const QString kDeserts = u"Sand dunes in the Sahara migrate with the prevailing wind, sometimes fifteen metres within "
                         "twelve months."_s;

} // namespace

class TestRagTurn : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TempProfile> m_profile;
    QTemporaryDir m_folder;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<IngestionStack> m_ingestion;
    QNetworkAccessManager m_network;
    std::unique_ptr<RetrievalStack> m_retrieval;
    std::shared_ptr<ConversationStore> m_store;
    std::unique_ptr<FakeLlmServer> m_server;
    std::shared_ptr<ChatProvider> m_provider;
    qint64 m_pdfId = 0;
    QStringList m_searched;          ///< every query the turns searched for
    QList<QJsonObject> m_chatBodies; ///< every chat request the fake server received

    std::unique_ptr<ChatSession> newSession(const Assistant &assistant)
    {
        HybridRetriever *retriever = m_retrieval->retriever();
        RetrieveFunction retrieve = [this, retriever](QString query, RetrievalOptions options, CancelToken cancel) {
            m_searched.append(query);
            return retriever->search(std::move(query), std::move(options), std::move(cancel));
        };
        auto session = std::make_unique<ChatSession>(
            ChatServices{m_store, nullptr, ChatServices::fixed({m_provider, {}}), RetryPolicy(), std::move(retrieve)});
        session->setAssistant(assistant);
        return session;
    }

    void setQuoting(QuoteSources mode, const QString &refineReply = {})
    {
        auto options = m_server->options();
        options.quoteSources = mode;
        options.refineReply = refineReply;
        options.ttft = std::chrono::milliseconds(1);
        m_server->setOptions(options);
    }

    /// The chunk of the PDF holding @p text.
    ChunkRecord chunkWith(const QString &text)
    {
        for (const ChunkRecord &chunk : mustSucceed(m_ingestion->chunks()->chunks(m_pdfId))) {
            if (chunk.draft.text.simplified().contains(text))
                return chunk;
        }
        qFatal("no chunk holds %s", qPrintable(text));
    }

    /// The source the answer's only citation points at.
    static CitationSnapshot citedSource(const MessageRecord &answer)
    {
        if (answer.citations.size() != 1 || answer.citations.at(0).sources.size() != 1)
            qFatal("expected one citation of one source in: %s", qPrintable(answer.content));
        return answer.sources.value(answer.citations.at(0).sources.at(0) - 1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QDir dir(m_folder.path());
        const QList<testdocs::PdfPage> pages{
            {u"Volcanoes"_s, {kVolcanoes}},
            {u"Glaciers"_s, {kGlaciers}},
            {u"Deserts"_s, {kDeserts}},
        };
        QVERIFY(testdocs::writePdf(dir.filePath(u"earth.pdf"_s), pages, u"Earth Science"_s));
        QVERIFY(testdocs::writeBytes(dir.filePath(u"bread.md"_s),
                                     "# Bread\n\nSourdough bread rises slowly because wild yeast ferments the dough overnight.\n"));

        m_profile = std::make_unique<TempProfile>();
        m_database = mustSucceed(ProfileDatabase::open(m_profile->path()));
        IngestionStack::Options options;
        options.helperPath = shippedBinary(u"ragdesk-extract"_s);
        options.watchFolders = false;
        m_ingestion = mustSucceed(IngestionStack::open(m_database, m_profile->path(), options));
        mustSucceed(m_ingestion->library()->start(false));
        const KnowledgeBase notes = mustSucceed(m_ingestion->library()->create(u"Notes"_s, {}, u"en"_s));
        mustSucceed(m_ingestion->library()->addPaths(notes.id, {m_folder.path()}));
        QVERIFY(QTest::qWaitFor([this] { return m_ingestion->queue()->isIdle(); }, 120000));
        for (const DocumentRecord &document : mustSucceed(m_ingestion->documents()->documents(notes.id))) {
            QVERIFY2(document.status == DocumentStatus::Indexed, qPrintable(document.path + u": "_s + document.error));
            if (document.path.endsWith(u"earth.pdf"_s))
                m_pdfId = document.id;
        }
        QVERIFY(m_pdfId != 0);
        QCOMPARE(chunkWith(u"Aletsch glacier"_s).draft.page, 2);

        RetrievalStack::Options retrieval;
        retrieval.network = &m_network;
        retrieval.backfill = false; // keyword search only: no embedding model is set up
        m_retrieval = std::make_unique<RetrievalStack>(*m_ingestion, retrieval);
        m_store = std::make_shared<ConversationStore>(m_database);
    }

    void cleanupTestCase()
    {
        m_retrieval.reset();
        if (m_ingestion)
            m_ingestion->shutdown();
        m_ingestion.reset();
        m_store.reset();
        m_database.reset();
    }

    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        connect(m_server.get(), &FakeLlmServer::requestReceived, this, [this](const QByteArray &, const QByteArray &path) {
            if (path == "/v1/chat/completions")
                m_chatBodies.append(m_server->lastRequestBody());
        });
        ProviderSettings settings;
        settings.baseUrl = m_server->baseUrl();
        settings.model = u"fake-model"_s;
        m_provider = std::make_shared<OpenAiChatProvider>(&m_network, settings);
        m_searched.clear();
        m_chatBodies.clear();
    }

    void cleanup()
    {
        m_provider.reset();
        m_server.reset();
    }

    void theCitationPointsAtTheQuotedChunkAndPage()
    {
        setQuoting(QuoteSources::WithMarker);
        auto session = newSession(Assistant::makeDefault());
        const auto result = QCoro::waitFor(session->runTurn(u"How far does the Aletsch glacier creep every year?"_s));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        const MessageRecord &answer = session->messages().at(1);
        QCOMPARE(answer.status, MessageStatus::Done);
        QVERIFY2(answer.content.startsWith(u"According to the documents, "_s), qPrintable(answer.content));
        QVERIFY(!answer.citations.at(0).inferred);

        const ChunkRecord glaciers = chunkWith(u"Aletsch glacier"_s);
        const CitationSnapshot cited = citedSource(answer);
        QCOMPARE(cited.chunkId, glaciers.id);
        QCOMPARE(cited.page, 2);
        QCOMPARE(cited.documentId, m_pdfId);
        QCOMPARE(cited.documentTitle, u"Earth Science"_s);
        QVERIFY(cited.chunkText.simplified().contains(u"Aletsch glacier"_s));

        // The inspector's record names the same chunk as an included hit.
        bool listed = false;
        for (const QJsonValue &value : answer.retrieval.value(u"hits"_s).toArray()) {
            const QJsonObject hit = value.toObject();
            if (hit.value(u"chunk_id"_s).toInteger() == glaciers.id)
                listed = hit.value(u"included"_s).toBool() && hit.value(u"page"_s).toInt() == 2;
        }
        QVERIFY(listed);
        QVERIFY(session->lastMetrics().retrievalMs > 0);
        QVERIFY(session->lastMetrics().overheadMs >= session->lastMetrics().retrievalMs);
    }

    void anUnmarkedAnswerGetsAnInferredCitation()
    {
        setQuoting(QuoteSources::WithoutMarker);
        auto session = newSession(Assistant::makeDefault());
        QVERIFY(QCoro::waitFor(session->runTurn(u"Where do Sahara sand dunes migrate?"_s)));
        const MessageRecord &answer = session->messages().at(1);
        QVERIFY2(!answer.content.contains(u'['), qPrintable(answer.content));
        QVERIFY(answer.citations.value(0).inferred);
        const CitationSnapshot cited = citedSource(answer);
        QCOMPARE(cited.chunkId, chunkWith(u"Sahara"_s).id);
        QCOMPARE(cited.page, 3);
    }

    void nothingRelevantRepliesWithTheEmptyTextAndNoModelCall()
    {
        setQuoting(QuoteSources::WithMarker);
        Assistant assistant = Assistant::makeDefault();
        // Only a perfect match passes, and a question about football matches nothing at all.
        assistant.similarityThreshold = 1.0;
        assistant.onEmpty = EmptyRetrieval::ReplyWithText;
        assistant.emptyResponse = u"I found nothing about that in your documents."_s;
        auto session = newSession(assistant);
        QVERIFY(QCoro::waitFor(session->runTurn(u"Which team won the football championship final?"_s)));
        QCOMPARE(m_searched.size(), 1);
        QCOMPARE(session->messages().at(1).content, u"I found nothing about that in your documents."_s);
        QCOMPARE(session->messages().at(1).status, MessageStatus::Done);
        QCOMPARE(m_server->requestCount(), 0);
    }

    void aFollowUpSearchesTheRefinedQuery()
    {
        setQuoting(QuoteSources::WithMarker, u"Sahara sand dunes migrate"_s);
        auto session = newSession(Assistant::makeDefault());
        QVERIFY(QCoro::waitFor(session->runTurn(u"How far does the Aletsch glacier creep every year?"_s)));
        QCOMPARE(m_chatBodies.size(), 1); // no history yet: no refinement
        QVERIFY(QCoro::waitFor(session->runTurn(u"And the ones in the desert?"_s)));

        QCOMPARE(m_chatBodies.size(), 3);
        QVERIFY(FakeSourceQuoter::isRefineRequest(m_chatBodies.at(1)));
        QVERIFY(!FakeSourceQuoter::isRefineRequest(m_chatBodies.at(2)));
        QCOMPARE(m_searched,
                 (QStringList{u"How far does the Aletsch glacier creep every year?"_s, u"Sahara sand dunes migrate"_s}));
        const MessageRecord &answer = session->messages().at(3);
        QCOMPARE(answer.retrieval.value(u"query"_s).toObject().value(u"searched"_s).toString(), u"Sahara sand dunes migrate"_s);
        QVERIFY(session->lastMetrics().refineMs >= 0);
        // The refined search found the desert page: the answer quotes and cites it.
        QCOMPARE(citedSource(answer).chunkId, chunkWith(u"Sahara"_s).id);
    }
};

QTEST_MAIN(TestRagTurn)
#include "tst_ragturn.moc"
