// ConversationTitle's pure parts: the question's title, the request, and reading the reply.

#include "core/chat/ConversationTitle.h"
#include "core/chat/ShortCompletion.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestConversationTitle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromQuestionCutsAtAWord()
    {
        QCOMPARE(ConversationTitle::fromQuestion(u"  What   is\nragdesk? "_s), u"What is ragdesk?"_s);
        QCOMPARE(ConversationTitle::fromQuestion(u"   "_s), u"New chat"_s);
        const QString longQuestion = u"How do glaciers move downhill when the ice at their base is frozen to the rock below them?"_s;
        const QString title = ConversationTitle::fromQuestion(longQuestion);
        QVERIFY(title.size() <= ConversationTitle::kMaxChars + 1);
        QVERIFY(title.endsWith(u"…"_s));
        QVERIFY2(longQuestion.startsWith(title.chopped(1) + u' '), qPrintable(title)); // whole words only
    }

    void fromReply_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("title");
        QTest::newRow("plain") << u"Basalt formation"_s << u"Basalt formation"_s;
        QTest::newRow("quoted with period") << u"\"Basalt formation.\""_s << u"Basalt formation"_s;
        QTest::newRow("period outside quotes") << u"“Basalt formation”."_s << u"Basalt formation"_s;
        QTest::newRow("label") << u"Title: Glacier speeds"_s << u"Glacier speeds"_s;
        QTest::newRow("conversation label") << u"Conversation title: Glacier speeds!"_s << u"Glacier speeds"_s;
        QTest::newRow("markdown") << u"## **Glacier speeds**"_s << u"Glacier speeds"_s;
        QTest::newRow("first line only") << u"\n  Rock types\nThis title fits because..."_s << u"Rock types"_s;
        QTest::newRow("after thinking") << u"<think>a title about rocks</think>\nRock types"_s << u"Rock types"_s;
        QTest::newRow("nothing usable") << u" \"...\" "_s << QString();
        QTest::newRow("empty") << QString() << QString();
    }

    void fromReply()
    {
        QFETCH(QString, reply);
        QFETCH(QString, title);
        QCOMPARE(ConversationTitle::fromReply(reply), title);
    }

    void aRamblingReplyIsCut()
    {
        const QString title = ConversationTitle::fromReply(QString(u"word "_s).repeated(40));
        QVERIFY(title.size() <= ConversationTitle::kMaxChars + 1);
        QVERIFY(title.endsWith(u"…"_s));
    }

    void requestQuotesTheExchange()
    {
        const ChatRequest request = ConversationTitle::request(u"Where does basalt form?"_s, QString(u"x"_s).repeated(5000));
        QCOMPARE(request.messages.size(), 2);
        QCOMPARE(request.messages.at(0).role, u"system"_s);
        QCOMPARE(request.messages.at(1).role, u"user"_s);
        QVERIFY(request.messages.at(1).content.contains(u"Question: Where does basalt form?"_s));
        QVERIFY(request.messages.at(1).content.size() < 2 * ConversationTitle::kMaxExcerptChars + 200);
        QCOMPARE(request.maxTokens, ConversationTitle::kMaxTokens);
        QCOMPARE(request.temperature, 0.0);
    }

    void shortCompletionHelpers()
    {
        QCOMPARE(ShortCompletion::firstLine(u"\n\n  first \nsecond"_s), u"first"_s);
        QCOMPARE(ShortCompletion::firstLine(u"<think>x\ny</think>\n\n answer"_s), u"answer"_s);
        QCOMPARE(ShortCompletion::firstLine(u" \n "_s), QString());
        QCOMPARE(ShortCompletion::unquoted(u" «“'quoted'”» "_s), u"quoted"_s);
        QCOMPARE(ShortCompletion::unquoted(u"it's"_s), u"it's"_s);
        QCOMPARE(ShortCompletion::replyLine(u"\n NAME: 'Ada'\nmore"_s, u"name"_s), u"Ada"_s);
        QCOMPARE(ShortCompletion::replyLine(u"Named: Ada"_s, u"name"_s), u"Named: Ada"_s); // a label ends in a colon
    }
};

QTEST_GUILESS_MAIN(TestConversationTitle)
#include "tst_conversationtitle.moc"
