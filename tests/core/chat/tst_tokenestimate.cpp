// TokenEstimate: the heuristic PromptBuilder budgets with.

#include "core/chat/TokenEstimate.h"
#include "core/llm/ChatTypes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestTokenEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void latinCountsStartedGroupsOfFour()
    {
        QCOMPARE(TokenEstimate::text(u""_s), 0);
        QCOMPARE(TokenEstimate::text(u"abcd"_s), 1);
        QCOMPARE(TokenEstimate::text(u"abcde"_s), 2);
        QCOMPARE(TokenEstimate::text(QString(400, u'x')), 100);
    }

    void cjkCountsOnePerCharacter()
    {
        QCOMPARE(TokenEstimate::text(u"日本語のテキスト"_s), 8);
        QCOMPARE(TokenEstimate::text(u"한국어"_s), 3);
        // Mixed: 2 CJK + "ab" (one started group of four).
        QCOMPARE(TokenEstimate::text(u"中文ab"_s), 3);
        // A Han character outside the BMP (a surrogate pair) is one character, not two.
        QCOMPARE(TokenEstimate::text(u"\U00020000"_s), 1);
    }

    void messageAddsOverhead()
    {
        QCOMPARE(TokenEstimate::message(ChatMessage { u"user"_s, u"abcdefgh"_s }), 2 + TokenEstimate::messageOverhead);
    }

    void prefixWithinIsTheLongestFittingPrefix()
    {
        const QString text = u"abcdefghij中文"_s;
        QCOMPARE(TokenEstimate::prefixWithin(text, 0), 0);
        QCOMPARE(TokenEstimate::prefixWithin(text, 1), 4);
        QCOMPARE(TokenEstimate::prefixWithin(text, 3), 10);
        QCOMPARE(TokenEstimate::prefixWithin(text, 4), 11);
        QCOMPARE(TokenEstimate::prefixWithin(text, 100), text.size());
        // Never half a surrogate pair.
        QCOMPARE(TokenEstimate::prefixWithin(u"\U00020000"_s, 0), 0);
        QCOMPARE(TokenEstimate::prefixWithin(u"\U00020000"_s, 1), 2);
    }
};

QTEST_GUILESS_MAIN(TestTokenEstimate)
#include "tst_tokenestimate.moc"
