// TurnPreparation: from question and assistant to the messages and sources of the request.

#include "core/chat/TurnPreparation.h"

#include <QCoroTask>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

RetrievalHit hit(qint64 chunkId, const QString &text)
{
    RetrievalHit h;
    h.chunkId = chunkId;
    h.documentId = 1;
    h.documentTitle = u"Field guide"_s;
    h.page = int(chunkId);
    h.text = text;
    return h;
}

Assistant documentsAssistant()
{
    Assistant assistant = Assistant::makeDefault();
    assistant.systemPrompt = u"You are a geology tutor."_s;
    assistant.refineQuestion = false;
    return assistant;
}

QCoro::Task<Result<RetrievalResult>> found(RetrievalResult result)
{
    co_return result;
}

QCoro::Task<Result<RetrievalResult>> failed(Error error)
{
    co_return std::unexpected(error);
}

} // namespace

class TestTurnPreparation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withoutDocumentsSendsTheConversationAsIs()
    {
        TurnPreparation::Input input{documentsAssistant(), {{u"user"_s, u"Hi"_s}, {u"assistant"_s, u"Hello"_s}}, u"Why?"_s};
        PreparedTurn turn = TurnPreparation::withoutDocuments(input);
        QCOMPARE(turn.messages.size(), 4);
        QCOMPARE(turn.messages.at(0).role, u"system"_s);
        QCOMPARE(turn.messages.at(0).content, u"You are a geology tutor."_s);
        QCOMPARE(turn.messages.at(3).content, u"Why?"_s);
        QVERIFY(!turn.record);
        QVERIFY(turn.sources.isEmpty());

        input.assistant.systemPrompt = u"  "_s;
        turn = TurnPreparation::withoutDocuments(input);
        QCOMPARE(turn.messages.size(), 3);
        QCOMPARE(turn.messages.at(0).role, u"user"_s);
    }

    void sourcesAreNumberedAndSnapshotted()
    {
        RetrievalRecord record;
        record.question = u"How do glaciers move?"_s;
        record.refinement.query = record.question;
        record.result.hits = {hit(2, u"Glaciers slide on meltwater."_s), hit(5, u"Ice deforms under its weight."_s)};
        const PreparedTurn turn =
            TurnPreparation::withSources({documentsAssistant(), {}, u"How do glaciers move?"_s}, record);
        QVERIFY(!turn.replyWithText);
        QCOMPARE(turn.sources.size(), 2);
        QCOMPARE(turn.sources.at(1).number, 2);
        QCOMPARE(turn.sources.at(1).chunkId, 5);
        QCOMPARE(turn.sources.at(1).page, 5);
        QCOMPARE(turn.messages.size(), 2);
        QVERIFY(turn.messages.at(0).content.startsWith(u"You are a geology tutor."_s));
        QVERIFY(turn.messages.at(1).content.contains(u"[2] title: Field guide | page: 5"_s));
        QVERIFY(turn.record);
        QCOMPARE(turn.record->prompt.sourcesIncluded, 2);
        QVERIFY(turn.record->promptMs >= 0);
        QVERIFY(turn.record->prompt.promptText.contains(u"Ice deforms"_s));
    }

    void nothingFoundRepliesWithTheAssistantsText()
    {
        Assistant assistant = documentsAssistant();
        assistant.onEmpty = EmptyRetrieval::ReplyWithText;
        assistant.emptyResponse = u"Nothing about that in your documents."_s;
        const PreparedTurn turn = TurnPreparation::withSources({assistant, {}, u"q"_s}, RetrievalRecord{});
        QVERIFY(turn.replyWithText);
        QVERIFY(turn.messages.isEmpty());
        QVERIFY(turn.record && turn.record->repliedWithoutModel);
    }

    void nothingFoundCanStillAskTheModel()
    {
        const PreparedTurn turn = TurnPreparation::withSources({documentsAssistant(), {}, u"q"_s}, RetrievalRecord{});
        QVERIFY(!turn.replyWithText);
        QCOMPARE(turn.messages.size(), 2);
        QVERIFY(turn.messages.at(0).content.contains(u"No relevant sources"_s));
        QVERIFY(turn.sources.isEmpty());
    }

    void prepareSearchesWithTheAssistantsOptions()
    {
        Assistant assistant = documentsAssistant();
        assistant.allKnowledgeBases = false;
        assistant.knowledgeBaseIds = {4};
        assistant.topN = 3;
        QString searched;
        RetrievalOptions used;
        RetrieveFunction retrieve = [&](QString query, RetrievalOptions options, CancelToken) {
            searched = query;
            used = options;
            RetrievalResult result;
            result.hits = {hit(1, u"Basalt is volcanic."_s)};
            return found(result);
        };
        // Refinement is on, but without history there is nothing to resolve: no call is made.
        assistant.refineQuestion = true;
        const auto turn = QCoro::waitFor(
            TurnPreparation::prepare({assistant, {}, u"What is basalt?"_s}, ProviderHandle{}, retrieve, {}));
        QVERIFY(turn);
        QCOMPARE(searched, u"What is basalt?"_s);
        QCOMPARE(used.knowledgeBaseIds, QList<qint64>{4});
        QCOMPARE(used.topN, 3);
        QCOMPARE(turn->sources.size(), 1);
        QVERIFY(turn->record->retrievalMs >= 0);
        QCOMPARE(turn->record->refinement.ms, -1.0);
    }

    void aFailedRefinementStillSearchesTheQuestion()
    {
        QString searched;
        RetrieveFunction retrieve = [&](QString query, RetrievalOptions, CancelToken) {
            searched = query;
            return found({});
        };
        Assistant assistant = documentsAssistant();
        assistant.refineQuestion = true;
        const auto turn = QCoro::waitFor(TurnPreparation::prepare(
            {assistant, {{u"user"_s, u"Hi"_s}}, u"And that?"_s}, ProviderHandle{}, retrieve, {}));
        QVERIFY(turn);
        QCOMPARE(searched, u"And that?"_s);
        QVERIFY(!turn->record->refinement.refined);
        QVERIFY(!turn->record->refinement.note.isEmpty());
    }

    void aFailedSearchFailsTheTurnAndSaysWhat()
    {
        RetrieveFunction retrieve = [](QString, RetrievalOptions, CancelToken) {
            return failed(Error(Error::Kind::Database, u"index.db is locked."_s));
        };
        const auto turn =
            QCoro::waitFor(TurnPreparation::prepare({documentsAssistant(), {}, u"q"_s}, ProviderHandle{}, retrieve, {}));
        QVERIFY(!turn);
        QVERIFY2(turn.error().message.startsWith(u"Searching the documents failed: index.db is locked."_s),
                 qPrintable(turn.error().message));
        QCOMPARE(turn.error().kind, Error::Kind::Database);
    }
};

QTEST_GUILESS_MAIN(TestTurnPreparation)
#include "tst_turnpreparation.moc"
