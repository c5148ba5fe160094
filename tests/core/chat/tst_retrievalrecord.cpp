// RetrievalRecord: the inspector's JSON of one turn's search and prompt.

#include "core/chat/RetrievalRecord.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestRetrievalRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesQueriesTimingsHitsAndPrompt()
    {
        RetrievalRecord record;
        record.question = u"and the second one?"_s;
        record.refinement = Refinement{u"second glacier speed"_s, true, {}, 12.5};
        record.retrievalMs = 30;
        record.promptMs = 0.5;
        record.result.matchExpression = u"\"second\" OR \"glacier\""_s;
        record.result.timings.keywordMs = 4;
        record.result.timings.fetchMs = 1;
        record.result.vectorNotice = u"no embedding model"_s;
        RetrievalHit first;
        first.chunkId = 11;
        first.documentId = 3;
        first.documentTitle = u"Ice"_s;
        first.page = 2;
        first.keywordRank = 0;
        first.keywordScore = 7.5;
        first.keywordSimilarity = 1.0;
        first.weightedSimilarity = 0.7;
        first.fusedScore = 0.7;
        RetrievalHit second = first;
        second.chunkId = 12;
        second.page = 0;
        second.keywordScore.reset();
        record.result.hits = {first, second};
        record.prompt.sourcesIncluded = 1;
        record.prompt.sourcesDropped = 1;
        record.prompt.estimatedTokens = 900;
        record.prompt.budgetTokens = 1000;
        record.prompt.promptText = u"### system\nAnswer."_s;

        const QJsonObject json = record.toJson();
        const QJsonObject query = json.value(u"query"_s).toObject();
        QCOMPARE(query.value(u"question"_s).toString(), u"and the second one?"_s);
        QCOMPARE(query.value(u"searched"_s).toString(), u"second glacier speed"_s);
        QCOMPARE(query.value(u"refined"_s).toBool(), true);
        QVERIFY(!query.contains(u"refine_note"_s));
        QCOMPARE(query.value(u"match_expression"_s).toString(), record.result.matchExpression);

        const QJsonObject timings = json.value(u"timings"_s).toObject();
        QCOMPARE(timings.value(u"refine_ms"_s).toDouble(), 12.5);
        QCOMPARE(timings.value(u"retrieval_ms"_s).toDouble(), 30.0);
        QCOMPARE(timings.value(u"prompt_ms"_s).toDouble(), 0.5);
        QCOMPARE(timings.value(u"stages"_s).toObject().value(u"total_ms"_s).toDouble(), 5.0);

        const QJsonArray hits = json.value(u"hits"_s).toArray();
        QCOMPARE(hits.size(), 2);
        const QJsonObject kept = hits.at(0).toObject();
        QCOMPARE(kept.value(u"chunk_id"_s).toInteger(), 11);
        QCOMPARE(kept.value(u"title"_s).toString(), u"Ice"_s);
        QCOMPARE(kept.value(u"page"_s).toInt(), 2);
        QCOMPARE(kept.value(u"included"_s).toBool(), true);
        QCOMPARE(kept.value(u"number"_s).toInt(), 1);
        QCOMPARE(kept.value(u"keyword_score"_s).toDouble(), 7.5);
        QVERIFY(!kept.contains(u"vector_similarity"_s));
        const QJsonObject dropped = hits.at(1).toObject();
        QCOMPARE(dropped.value(u"included"_s).toBool(), false);
        QVERIFY(!dropped.contains(u"number"_s));
        QVERIFY(!dropped.contains(u"page"_s));
        QVERIFY(!dropped.contains(u"keyword_score"_s));

        const QJsonObject prompt = json.value(u"prompt"_s).toObject();
        QCOMPARE(prompt.value(u"sources_included"_s).toInt(), 1);
        QCOMPARE(prompt.value(u"sources_dropped"_s).toInt(), 1);
        QCOMPARE(prompt.value(u"estimated_tokens"_s).toInt(), 900);
        QCOMPARE(prompt.value(u"text"_s).toString(), record.prompt.promptText);
        QCOMPARE(json.value(u"vector_notice"_s).toString(), u"no embedding model"_s);
        QVERIFY(!json.contains(u"replied_without_model"_s));
    }

    void readsItsOwnJsonBack()
    {
        RetrievalRecord record;
        record.question = u"and the second one?"_s;
        record.refinement = Refinement{u"second glacier speed"_s, true, u"note"_s, 12.5};
        record.retrievalMs = 30;
        record.promptMs = 0.5;
        record.result.matchExpression = u"\"second\""_s;
        record.result.timings.keywordMs = 4;
        record.result.timings.vectorMs = 2;
        record.result.usedVectors = true;
        record.result.rerankNotice = u"no rerank endpoint"_s;
        RetrievalHit hit;
        hit.chunkId = 11;
        hit.documentId = 3;
        hit.documentTitle = u"Ice"_s;
        hit.headingPath = u"Ice › Flow"_s;
        hit.page = 2;
        hit.keywordRank = 0;
        hit.vectorRank = 4;
        hit.keywordScore = 7.5;
        hit.vectorSimilarity = 0.8;
        hit.weightedSimilarity = 0.7;
        hit.fusedScore = 0.65;
        record.result.hits = {hit};
        record.prompt.sourcesIncluded = 1;
        record.prompt.estimatedTokens = 900;
        record.prompt.budgetTokens = 1000;
        record.prompt.promptText = u"### system\nAnswer."_s;

        const RetrievalRecord read = RetrievalRecord::fromJson(record.toJson());
        QCOMPARE(read.question, record.question);
        QCOMPARE(read.refinement.query, u"second glacier speed"_s);
        QVERIFY(read.refinement.refined);
        QCOMPARE(read.refinement.note, u"note"_s);
        QCOMPARE(read.refinement.ms, 12.5);
        QCOMPARE(read.retrievalMs, 30.0);
        QCOMPARE(read.result.matchExpression, record.result.matchExpression);
        QCOMPARE(read.result.timings.totalMs(), 6.0);
        QVERIFY(read.result.usedVectors);
        QCOMPARE(read.result.rerankNotice, record.result.rerankNotice);
        QCOMPARE(read.result.hits.size(), 1);
        const RetrievalHit &back = read.result.hits.first();
        QCOMPARE(back.chunkId, 11);
        QCOMPARE(back.headingPath, hit.headingPath);
        QCOMPARE(back.page, 2);
        QCOMPARE(back.keywordScore, hit.keywordScore);
        QCOMPARE(back.vectorSimilarity, hit.vectorSimilarity);
        QVERIFY(!back.rerankScore.has_value());
        QCOMPARE(back.foundBy, RetrievalStages(RetrievalStage::Keyword | RetrievalStage::Vector));
        QCOMPARE(read.prompt.sourcesIncluded, 1);
        QCOMPARE(read.prompt.promptText, record.prompt.promptText);

        // A damaged record shows what it has instead of failing.
        const RetrievalRecord damaged = RetrievalRecord::fromJson(QJsonObject{{u"hits"_s, u"not a list"_s}});
        QVERIFY(damaged.result.hits.isEmpty());
        QCOMPARE(damaged.retrievalMs, -1.0);
    }

    void notesWhyTheQuestionWasKeptAndAnEmptyReply()
    {
        RetrievalRecord record;
        record.question = u"why?"_s;
        record.refinement = Refinement{u"why?"_s, false, u"timed out after 15000 ms"_s, 15000};
        record.repliedWithoutModel = true;
        const QJsonObject json = record.toJson();
        QCOMPARE(json.value(u"query"_s).toObject().value(u"refine_note"_s).toString(), u"timed out after 15000 ms"_s);
        QCOMPARE(json.value(u"query"_s).toObject().value(u"refined"_s).toBool(), false);
        QVERIFY(json.value(u"hits"_s).toArray().isEmpty());
        QCOMPARE(json.value(u"replied_without_model"_s).toBool(), true);
        QVERIFY(!json.value(u"timings"_s).toObject().contains(u"retrieval_ms"_s));
    }
};

QTEST_GUILESS_MAIN(TestRetrievalRecord)
#include "tst_retrievalrecord.moc"
