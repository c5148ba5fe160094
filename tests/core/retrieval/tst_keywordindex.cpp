#include "core/retrieval/DocumentScope.h"
#include "core/retrieval/KeywordIndex.h"
#include "core/retrieval/QueryAnalyzer.h"
#include "tests/core/retrieval/RetrievalFixture.h"

#include <QCoroTask>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using ragdesk::testing::mustSucceed;

class TestKeywordIndex : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::RetrievalFixture> m_fixture;

    /// Documents (not chunks) found for @p query, best first.
    QList<qint64> documentsFor(const QString &query, RetrievalOptions options = {})
    {
        QStringList languages{m_fixture->english.language};
        if (options.knowledgeBaseIds.isEmpty() || options.knowledgeBaseIds.contains(m_fixture->german.id))
            languages.append(m_fixture->german.language);
        const AnalyzedQuery analyzed = QueryAnalyzer::analyze(query, languages);
        KeywordIndex index(m_fixture->index);
        const auto hits = mustSucceed(index.search(analyzed.matchExpression, options, 20));
        QList<qint64> chunkIds;
        for (const StageHit &hit : hits)
            chunkIds.append(hit.chunkId);
        return m_fixture->onReader([chunkIds](QSqlDatabase &db) -> Result<QList<qint64>> {
            QList<qint64> ids;
            QSqlQuery select(db);
            for (qint64 chunk : chunkIds) {
                select.prepare(u"SELECT document_id FROM chunks WHERE id = ?"_s);
                select.addBindValue(chunk);
                if (!select.exec() || !select.next())
                    return fail(Error::Kind::Database, u"no chunk"_s);
                if (!ids.contains(select.value(0).toLongLong()))
                    ids.append(select.value(0).toLongLong());
            }
            return ids;
        });
    }

private Q_SLOTS:
    void init() { m_fixture = std::make_unique<testing::RetrievalFixture>(); }
    void cleanup() { m_fixture.reset(); }

    void stemsInTheKnowledgeBasesLanguage()
    {
        const qint64 english = m_fixture->add(m_fixture->english, u"/en/run.txt"_s,
                                              {{u""_s, u"The runner kept running through the connected networks."_s}});
        const qint64 german = m_fixture->add(m_fixture->german, u"/de/haus.txt"_s,
                                             {{u""_s, u"Die Häuser der Stadt wurden renoviert."_s}});
        QCOMPARE(documentsFor(u"runs"_s), QList<qint64>{english});
        QCOMPARE(documentsFor(u"connection network"_s), QList<qint64>{english});
        // German plural to singular, with the umlaut folded on both sides.
        QCOMPARE(documentsFor(u"Haus"_s), QList<qint64>{german});
        QCOMPARE(documentsFor(u"hauser"_s), QList<qint64>{german});
        QVERIFY(documentsFor(u"walking"_s).isEmpty());
    }

    void foldsCaseAndDiacritics()
    {
        const qint64 id = m_fixture->add(m_fixture->english, u"/en/cafe.txt"_s, {{u""_s, u"A CAFÉ serving crème brûlée."_s}});
        QCOMPARE(documentsFor(u"cafe creme"_s), QList<qint64>{id});
        QCOMPARE(documentsFor(u"Brûlée"_s), QList<qint64>{id});
    }

    void findsChineseAndJapaneseIncludingShortQueries()
    {
        const qint64 chinese = m_fixture->add(m_fixture->english, u"/zh.txt"_s,
                                              {{u""_s, u"我们使用大数据分析技术来改进搜索。"_s}});
        const qint64 japanese = m_fixture->add(m_fixture->english, u"/ja.txt"_s,
                                               {{u""_s, u"東京都の天気予報によると明日は雨です。"_s}});
        m_fixture->add(m_fixture->english, u"/other.txt"_s, {{u""_s, u"Nothing Asian here at all."_s}});
        QCOMPARE(documentsFor(u"数据"_s), QList<qint64>{chinese}); // two characters
        QCOMPARE(documentsFor(u"数据分析"_s), QList<qint64>{chinese});
        QCOMPARE(documentsFor(u"搜"_s), QList<qint64>{chinese}); // one character
        QCOMPARE(documentsFor(u"天気"_s), QList<qint64>{japanese});
        QCOMPARE(documentsFor(u"東京の天気"_s), QList<qint64>{japanese});
    }

    void shortLatinQueriesWork()
    {
        const qint64 id = m_fixture->add(m_fixture->english, u"/qt.txt"_s, {{u""_s, u"Qt and C are languages of a sort."_s}});
        QCOMPARE(documentsFor(u"Qt"_s), QList<qint64>{id});
        QCOMPARE(documentsFor(u"C"_s), QList<qint64>{id});
    }

    void headingsWeighMoreThanBodyText()
    {
        const qint64 body = m_fixture->add(m_fixture->english, u"/body.txt"_s,
                                           {{u"Overview"_s, u"Read about installation before you start the tool."_s}});
        const qint64 heading = m_fixture->add(m_fixture->english, u"/heading.txt"_s,
                                              {{u"Installation"_s, u"Read about the steps before you start the tool."_s}});
        QCOMPARE(documentsFor(u"installation"_s), (QList<qint64>{heading, body}));
    }

    void wordsTogetherRankAboveWordsApart()
    {
        const qint64 apart = m_fixture->add(m_fixture->english, u"/apart.txt"_s,
                                            {{u""_s, u"Learning to cook takes time; the machine in the kitchen helps."_s}});
        const qint64 together = m_fixture->add(m_fixture->english, u"/together.txt"_s,
                                               {{u""_s, u"Machine learning takes time; the kitchen helps you to cook."_s}});
        QCOMPARE(documentsFor(u"machine learning"_s), (QList<qint64>{together, apart}));
    }

    void filtersByKnowledgeBaseDocumentAndFileType()
    {
        const qint64 englishText = m_fixture->add(m_fixture->english, u"/en/a.txt"_s, {{u""_s, u"shared topic words"_s}});
        const qint64 englishPdf = m_fixture->add(m_fixture->english, u"/en/b.PDF"_s, {{u""_s, u"shared topic words"_s}});
        const qint64 germanText = m_fixture->add(m_fixture->german, u"/de/c.txt"_s, {{u""_s, u"shared topic words"_s}});
        RetrievalOptions onlyGerman;
        onlyGerman.knowledgeBaseIds = {m_fixture->german.id};
        QCOMPARE(documentsFor(u"topic"_s, onlyGerman), QList<qint64>{germanText});
        RetrievalOptions onlyPdf;
        onlyPdf.fileSuffixes = {u"pdf"_s};
        QCOMPARE(documentsFor(u"topic"_s, onlyPdf), QList<qint64>{englishPdf});
        RetrievalOptions oneDocument;
        oneDocument.documentIds = {englishText};
        QCOMPARE(documentsFor(u"topic"_s, oneDocument), QList<qint64>{englishText});
        RetrievalOptions combined;
        combined.knowledgeBaseIds = {m_fixture->english.id};
        combined.fileSuffixes = {u"txt"_s};
        QCOMPARE(documentsFor(u"topic"_s, combined), QList<qint64>{englishText});
        QCOMPARE(documentsFor(u"topic"_s).size(), 3);
    }

    void theFilteredPlanIsDrivenByTheFtsMatch()
    {
        RetrievalOptions options;
        options.knowledgeBaseIds = {m_fixture->english.id};
        options.fileSuffixes = {u"pdf"_s};
        const DocumentScope scope(options);
        const QStringList plan = m_fixture->onReader(
            [sql = KeywordIndex::searchSql(scope), values = scope.values()](QSqlDatabase &db) -> Result<QStringList> {
                QSqlQuery query(db);
                query.prepare(u"EXPLAIN QUERY PLAN "_s + sql);
                for (const QVariant &value : values)
                    query.addBindValue(value);
                query.addBindValue(u"\"x\""_s);
                query.addBindValue(20);
                if (!query.exec())
                    return fail(Error::Kind::Database, query.lastError().text());
                QStringList lines;
                while (query.next())
                    lines.append(query.value(3).toString());
                return lines;
            });
        qInfo().noquote() << plan.join(u'\n');
        // The outer loop is the FTS5 MATCH (an index plan whose idxStr starts with M), chunks
        // are looked up by primary key, and the scope is a materialized list; no other table
        // is scanned and FTS5 itself returns rows in rank order.
        const auto firstLoop = std::ranges::find_if(plan, [](const QString &line) {
            return line.startsWith(u"SCAN"_s) || line.startsWith(u"SEARCH"_s);
        });
        QVERIFY(firstLoop != plan.end());
        QVERIFY2(firstLoop->startsWith(u"SCAN chunks_fts VIRTUAL TABLE INDEX"_s), qPrintable(*firstLoop));
        QVERIFY2(firstLoop->contains(u":M"_s) || firstLoop->contains(u"M"_s), qPrintable(*firstLoop));
        QVERIFY(plan.contains(u"SEARCH chunks USING INTEGER PRIMARY KEY (rowid=?)"_s));
        QVERIFY(std::ranges::any_of(plan, [](const QString &line) { return line.contains(u"MATERIALIZE scope"_s); }));
        QVERIFY(std::ranges::none_of(plan, [](const QString &line) {
            return line.startsWith(u"SCAN chunks"_s) && !line.startsWith(u"SCAN chunks_fts"_s);
        }));
        QVERIFY(std::ranges::none_of(plan, [](const QString &line) { return line.contains(u"ORDER BY"_s); }));
    }

    void changingTheLanguageRestemsAndKeepsTheIndexConsistent()
    {
        const qint64 id = m_fixture->add(m_fixture->german, u"/de/h.txt"_s, {{u""_s, u"Die Häuser stehen leer."_s}});
        QCOMPARE(documentsFor(u"Haus"_s), QList<qint64>{id});
        // Re-stemmed as English, the German plural no longer reaches its singular.
        QCOMPARE(mustSucceed(m_fixture->documents->setLanguage(m_fixture->german.id, u"en"_s)), 1); // its one chunk
        const AnalyzedQuery german = QueryAnalyzer::analyze(u"Haus"_s, {u"de"_s});
        QVERIFY(mustSucceed(KeywordIndex(m_fixture->index).search(german.matchExpression, {}, 5)).isEmpty());
        const AnalyzedQuery english = QueryAnalyzer::analyze(u"hauser"_s, {u"en"_s});
        QCOMPARE(mustSucceed(KeywordIndex(m_fixture->index).search(english.matchExpression, {}, 5)).size(), 1);
        mustSucceed(m_fixture->documents->checkIntegrity());
        // A second call finds nothing left to change.
        QCOMPARE(mustSucceed(m_fixture->documents->setLanguage(m_fixture->german.id, u"en"_s)), 0);
    }


    void wordsInManyChunksAreCommon()
    {
        for (int i = 0; i < 4; ++i)
            m_fixture->add(m_fixture->english, u"/c%1.txt"_s.arg(i), {{u""_s, u"everywhere word%1"_s.arg(i)}});
        const QStringList common = m_fixture->onReader([](QSqlDatabase &db) {
            return KeywordIndex::commonWords(db, {u"everywhere"_s, u"word1"_s, u"nowhere"_s}, {u"en"_s}, 3);
        });
        QCOMPARE(common, QStringList{u"everywhere"_s});
    }

    void malformedInputNeverReachesFts5AsSyntax()
    {
        m_fixture->add(m_fixture->english, u"/q.txt"_s, {{u""_s, u"quotes \"and\" stars"_s}});
        for (const QString &query : {u"\"unbalanced"_s, u"a* OR"_s, u"NEAR(x y"_s, u"-)(^"_s}) {
            const AnalyzedQuery analyzed = QueryAnalyzer::analyze(query, {u"en"_s});
            const auto searched = QCoro::waitFor(KeywordIndex(m_fixture->index).search(analyzed.matchExpression, {}, 5));
            QVERIFY2(searched.has_value(), qPrintable(query));
        }
    }
};

QTEST_GUILESS_MAIN(TestKeywordIndex)
#include "tst_keywordindex.moc"
