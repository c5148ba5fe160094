// FakeSourceQuoter: the fake server reads PromptBuilder's sources and quotes the right one.

#include "core/chat/PromptBuilder.h"
#include "tests/support/FakeChatRoutes.h"
#include "tests/support/FakeSourceQuoter.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

/// The request body a provider would send for PromptBuilder's prompt.
QJsonObject bodyFor(const QString &question, bool anthropic = false)
{
    PromptInput input;
    input.question = question;
    input.sources = {
        PromptSource{0, u"Volcanoes"_s, {}, 3, u"Basalt forms when lava cools quickly at the surface of a volcano."_s, 11},
        PromptSource{0, u"Ice"_s, u"Glaciers > Motion"_s, -1,
                     u"Glaciers creep downhill a few metres each day, sliding on meltwater ``` under the ice."_s, 12},
    };
    const BuiltPrompt prompt = PromptBuilder::build(input);
    QJsonArray messages;
    QJsonObject body;
    for (const ChatMessage &message : prompt.messages) {
        if (anthropic && message.role == u"system")
            body.insert(u"system"_s, message.content);
        else
            messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    }
    body.insert(u"messages"_s, messages);
    return body;
}

QString lastUser(const QJsonObject &body)
{
    return body.value(u"messages"_s).toArray().last().toObject().value(u"content"_s).toString();
}

} // namespace

class TestFakeSourceQuoter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsPromptBuildersSources()
    {
        const QString user = lastUser(bodyFor(u"How fast do glaciers move?"_s));
        const QList<FakeSourceQuoter::Source> sources = FakeSourceQuoter::sourcesIn(user);
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources.at(0).number, 1);
        QCOMPARE(sources.at(0).title, u"Volcanoes"_s);
        QCOMPARE(sources.at(0).page, 3);
        QCOMPARE(sources.at(0).text, u"Basalt forms when lava cools quickly at the surface of a volcano."_s);
        QCOMPARE(sources.at(1).page, 0);
        QVERIFY(sources.at(1).text.endsWith(u"``` under the ice."_s)); // a longer fence keeps it inside
        QCOMPARE(FakeSourceQuoter::questionIn(user), u"How fast do glaciers move?"_s);
    }

    void choosesTheSourceSharingMostWords()
    {
        const QList<FakeSourceQuoter::Source> sources = FakeSourceQuoter::sourcesIn(lastUser(bodyFor(u"x"_s)));
        QCOMPARE(FakeSourceQuoter::choose(sources, u"Do glaciers slide on meltwater?"_s), 2);
        QCOMPARE(FakeSourceQuoter::choose(sources, u"Where does basalt come from?"_s), 1);
        QCOMPARE(FakeSourceQuoter::choose(sources, u"Hm?"_s), 1);
        QCOMPARE(FakeSourceQuoter::choose({}, u"Hm?"_s), 0);
    }

    void quotesWithOrWithoutTheMarker()
    {
        FakeLlmOptions options;
        options.quoteSources = FakeLlmOptions::QuoteSources::WithMarker;
        const QJsonObject body = bodyFor(u"Do glaciers slide?"_s);
        QCOMPARE(FakeSourceQuoter::replyFor(options, body),
                 std::optional<QString>(u"According to the documents, Glaciers creep downhill a few metres each day, sliding "
                                        "on meltwater [2]."_s)); // the twelfth word, a lone fence, is trimmed
        options.quoteSources = FakeLlmOptions::QuoteSources::WithoutMarker;
        QCOMPARE(FakeSourceQuoter::replyFor(options, bodyFor(u"Where is basalt from?"_s)),
                 std::optional<QString>(u"According to the documents, Basalt forms when lava cools quickly at the surface "
                                        "of a volcano."_s));
        options.quoteSources = FakeLlmOptions::QuoteSources::Off;
        QCOMPARE(FakeSourceQuoter::replyFor(options, body), std::nullopt);
    }

    void withoutSourcesItSaysSo()
    {
        FakeLlmOptions options;
        options.quoteSources = FakeLlmOptions::QuoteSources::WithMarker;
        const QJsonObject body{{u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
        QCOMPARE(FakeSourceQuoter::replyFor(options, body), std::optional<QString>(u"The documents do not say."_s));
    }

    void answersRefinementWithTheScriptedQuery()
    {
        FakeLlmOptions options;
        options.refineReply = u"glacier speed"_s;
        const QJsonObject refine{
            {u"system"_s, u"Rewrite it into a standalone search query."_s},
            {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"and them?"_s}}}}};
        QVERIFY(FakeSourceQuoter::isRefineRequest(refine));
        QCOMPARE(FakeSourceQuoter::replyFor(options, refine), std::optional<QString>(u"glacier speed"_s));
        QVERIFY(!FakeSourceQuoter::isRefineRequest(bodyFor(u"q"_s)));
    }

    void everyFamilyStreamsTheQuote()
    {
        FakeLlmOptions options;
        options.quoteSources = FakeLlmOptions::QuoteSources::WithMarker;
        for (const FakeChatApi api : {FakeChatApi::OpenAi, FakeChatApi::Ollama, FakeChatApi::Anthropic}) {
            const QJsonObject body = bodyFor(u"Where is basalt from?"_s, api == FakeChatApi::Anthropic);
            const FakeChatStream stream = FakeChatRoutes::stream(api, options, body, 1);
            QVERIFY2(stream.wholeBody.contains("Basalt forms when lava"), stream.wholeBody.constData());
            QVERIFY2(stream.wholeBody.contains("volcano [1]."), stream.wholeBody.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestFakeSourceQuoter)
#include "tst_fakesourcequoter.moc"
