#include "core/chat/ConversationExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::UTC);
}

MessageRecord record(qint64 id, qint64 parentId, const QString &role, const QString &content)
{
    MessageRecord message;
    message.id = id;
    message.parentId = parentId;
    message.conversationId = 5;
    message.role = role;
    message.content = content;
    message.createdAt = at(1'700'000'000'000 + id);
    message.updatedAt = at(1'700'000'000'500 + id);
    return message;
}

/// A question, an answer with sources and citations, and a regenerated answer that failed.
ConversationWithMessages sample()
{
    ConversationWithMessages sample;
    sample.conversation.id = 5;
    sample.conversation.title = u"Pump \"manual\" — Überblick 🦀"_s;
    sample.conversation.createdAt = at(1'700'000'000'000);
    sample.conversation.updatedAt = at(1'700'000'009'123);
    sample.conversation.pinned = true;
    sample.conversation.assistantId = 3;
    sample.conversation.activeLeafId = 12;

    MessageRecord question = record(10, 0, u"user"_s, u"How hot may the pump run?"_s);
    MessageRecord answer = record(11, 10, u"assistant"_s, u"Up to 80 °C [1], briefly 90 °C [2][7]."_s);
    answer.reasoning = u"The manual lists two limits."_s;
    answer.metrics = QJsonObject{{u"ttft_ms"_s, 412}, {u"tokens_per_s"_s, 37.5}};
    answer.retrieval = QJsonObject{{u"query"_s, u"pump temperature"_s}, {u"hits"_s, QJsonArray{1, 2}}};
    CitationSnapshot first;
    first.number = 1;
    first.documentTitle = u"Pump manual"_s;
    first.page = 12;
    first.chunkText = u"Operating temperature: up to 80 °C."_s;
    first.chunkId = 9'007'199'254'740'993LL;
    CitationSnapshot second;
    second.number = 2;
    second.documentPath = u"/docs/datasheet.pdf"_s;
    CitationSnapshot uncited;
    uncited.number = 3;
    uncited.documentTitle = u"Unrelated brochure"_s;
    answer.sources = {first, second, uncited};
    answer.citations = {CitationMarker{15, 3, {1}, {}, false}, CitationMarker{31, 6, {2}, {7}, false}};
    MessageRecord failed = record(12, 10, u"assistant"_s, u"Up to"_s);
    failed.status = MessageStatus::Error;
    failed.errorText = u"The server closed the stream."_s;
    sample.messages = {question, answer, failed};
    return sample;
}

void compareMessages(const QList<MessageRecord> &actual, const QList<MessageRecord> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const MessageRecord &a = actual[i];
        const MessageRecord &e = expected[i];
        QCOMPARE(a.id, e.id);
        QCOMPARE(a.parentId, e.parentId);
        QCOMPARE(a.role, e.role);
        QCOMPARE(a.content, e.content);
        QCOMPARE(a.reasoning, e.reasoning);
        QCOMPARE(a.status, e.status);
        QCOMPARE(a.errorText, e.errorText);
        QCOMPARE(a.createdAt, e.createdAt);
        QCOMPARE(a.updatedAt, e.updatedAt);
        QCOMPARE(a.metrics, e.metrics);
        QCOMPARE(a.sources, e.sources);
        QCOMPARE(a.citations, e.citations);
        QCOMPARE(a.retrieval, e.retrieval);
    }
}

void compareConversations(const Conversation &actual, const Conversation &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.title, expected.title);
    QCOMPARE(actual.createdAt, expected.createdAt);
    QCOMPARE(actual.updatedAt, expected.updatedAt);
    QCOMPARE(actual.pinned, expected.pinned);
    QCOMPARE(actual.assistantId, expected.assistantId);
    QCOMPARE(actual.activeLeafId, expected.activeLeafId);
}

QByteArray text(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

/// A valid single-conversation document to break one field of.
QJsonObject validDocument()
{
    const ConversationWithMessages one = sample();
    return QJsonDocument::fromJson(ConversationExport::toJson(one.conversation, one.messages)).object();
}

QJsonObject withMessage(qsizetype index, const QString &key, const QJsonValue &value)
{
    QJsonObject document = validDocument();
    QJsonArray messages = document.value(u"messages"_s).toArray();
    QJsonObject message = messages.at(index).toObject();
    if (value.isUndefined())
        message.remove(key);
    else
        message.insert(key, value);
    messages.replace(index, message);
    document.insert(u"messages"_s, messages);
    return document;
}

QJsonObject withConversation(const QString &key, const QJsonValue &value)
{
    QJsonObject document = validDocument();
    QJsonObject conversation = document.value(u"conversation"_s).toObject();
    if (value.isUndefined())
        conversation.remove(key);
    else
        conversation.insert(key, value);
    document.insert(u"conversation"_s, conversation);
    return document;
}
} // namespace

class TestConversationExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneConversationRoundTrips()
    {
        const ConversationWithMessages one = sample();
        const QByteArray json = ConversationExport::toJson(one.conversation, one.messages);
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QCOMPARE(root.value(u"format"_s).toString(), u"ragdesk.conversation"_s);
        QCOMPARE(root.value(u"version"_s).toInt(), 1);

        const auto read = ConversationExport::fromJson(json);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(read->size(), 1);
        compareConversations(read->first().conversation, one.conversation);
        compareMessages(read->first().messages, one.messages);
    }

    void allConversationsRoundTrip()
    {
        ConversationWithMessages empty;
        empty.conversation.id = 9;
        empty.conversation.title = u"Nothing yet"_s;
        const QList<ConversationWithMessages> all{sample(), empty};
        const QByteArray json = ConversationExport::exportAllJson(all);
        QCOMPARE(QJsonDocument::fromJson(json).object().value(u"format"_s).toString(), u"ragdesk.conversations"_s);

        const auto read = ConversationExport::fromJson(json);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(read->size(), 2);
        for (qsizetype i = 0; i < all.size(); ++i) {
            compareConversations(read->at(i).conversation, all[i].conversation);
            compareMessages(read->at(i).messages, all[i].messages);
        }
        QVERIFY(!read->at(1).conversation.createdAt.isValid()); // none written, none invented
        QCOMPARE(ConversationExport::fromJson(ConversationExport::exportAllJson({}))->size(), 0);
    }

    void markdownShowsTheBranch()
    {
        const ConversationWithMessages one = sample();
        const QString markdown = ConversationExport::toMarkdown(one.conversation, one.messages.mid(0, 2));
        const QString expected = u"# Pump \"manual\" — Überblick 🦀\n"
                                 "\n## You\n\nHow hot may the pump run?\n"
                                 "\n## Assistant\n\nUp to 80 °C [1], briefly 90 °C [2][7].\n"
                                 "\nSources:\n\n- [1] Pump manual, page 12\n- [2] datasheet.pdf\n"_s;
        QCOMPARE(markdown, expected);
        QVERIFY(!markdown.contains(u"two limits"_s)); // reasoning is left out

        const QString failed =
            ConversationExport::toMarkdown(one.conversation, {one.messages[0], one.messages[2]});
        QVERIFY2(failed.endsWith(u"Up to\n\n> The answer failed: The server closed the stream.\n"_s),
                 qPrintable(failed));
        QVERIFY(!failed.contains(u"Sources:"_s));
    }

    void hostileDocumentsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        const auto row = [](const char *name, const QByteArray &json, const QString &reason) {
            QTest::newRow(name) << json << reason;
        };
        row("empty", QByteArray(), u"not valid JSON"_s);
        row("not json", "{\"format\": ", u"not valid JSON"_s);
        row("binary", QByteArray("\x00\xff\xfe", 3), u"not valid JSON"_s);
        row("array", "[1, 2]", u"not a ragdesk conversation export"_s);
        row("other format", R"({"format": "chatgpt", "version": 1})", u"its format is \u201cchatgpt\u201d"_s);
        row("no version", text(QJsonObject{{u"format"_s, u"ragdesk.conversation"_s}}), u"version"_s);
        row("version as text", R"({"format": "ragdesk.conversation", "version": "1"})", u"version"_s);
        row("newer version", R"({"format": "ragdesk.conversation", "version": 2})", u"newer ragdesk"_s);
        row("huge version", R"({"format": "ragdesk.conversation", "version": 1e308})", u"newer ragdesk"_s);
        row("no conversation", R"({"format": "ragdesk.conversation", "version": 1, "messages": []})",
            u"missing its \u201cconversation\u201d"_s);
        row("no title", text(withConversation(u"title"_s, QJsonValue::Undefined)), u"has no title"_s);
        row("title a number", text(withConversation(u"title"_s, 7)), u"has no title"_s);
        row("leaf a string", text(withConversation(u"activeLeafId"_s, u"12"_s)), u"activeLeafId"_s);
        QJsonObject noMessages = validDocument();
        noMessages.insert(u"messages"_s, QJsonObject{});
        row("messages an object", text(noMessages), u"no list of messages"_s);
        QJsonObject notObject = validDocument();
        notObject.insert(u"messages"_s, QJsonArray{1});
        row("message a number", text(notObject), u"message 1 of the conversation is not an object"_s);
        row("no id", text(withMessage(0, u"id"_s, QJsonValue::Undefined)), u"message 1 of the conversation has no valid \u201cid\u201d"_s);
        row("id a string", text(withMessage(0, u"id"_s, u"10"_s)), u"no valid \u201cid\u201d"_s);
        row("id negative", text(withMessage(0, u"id"_s, -10)), u"no valid \u201cid\u201d"_s);
        row("id fraction", text(withMessage(0, u"id"_s, 10.5)), u"no valid \u201cid\u201d"_s);
        row("id huge", text(withMessage(0, u"id"_s, 1e300)), u"no valid \u201cid\u201d"_s);
        row("parent huge", text(withMessage(1, u"parentId"_s, 1e19)), u"no valid \u201cparentId\u201d"_s);
        row("duplicate id", text(withMessage(2, u"id"_s, 11)), u"two messages with id 11"_s);
        row("unknown parent", text(withMessage(1, u"parentId"_s, 99)),
            u"message 11 follows message 99, which is not in the file"_s);
        row("self parent", text(withMessage(0, u"parentId"_s, 10)), u"form a cycle"_s);
        row("cycle", text(withMessage(0, u"parentId"_s, 12)), u"form a cycle"_s);
        row("bad role", text(withMessage(0, u"role"_s, u"root"_s)), u"no valid role"_s);
        row("no content", text(withMessage(0, u"content"_s, QJsonValue::Undefined)), u"has no text"_s);
        row("content a list", text(withMessage(0, u"content"_s, QJsonArray{})), u"has no text"_s);
        row("metrics a string", text(withMessage(1, u"metrics"_s, u"fast"_s)), u"\u201cmetrics\u201d that is not an object"_s);
        row("sources an object", text(withMessage(1, u"sources"_s, QJsonObject{})), u"\u201csources\u201d that are not a list"_s);
        row("bad source", text(withMessage(1, u"sources"_s, QJsonArray{QJsonObject{{u"number"_s, -1}}})),
            u"damaged source or citation"_s);
        row("bad marker", text(withMessage(1, u"citations"_s, QJsonArray{u"x"_s})), u"damaged source or citation"_s);
        row("all: no list", R"({"format": "ragdesk.conversations", "version": 1, "conversations": {}})",
            u"no list of conversations"_s);
        row("all: bad entry", R"({"format": "ragdesk.conversations", "version": 1, "conversations": [7]})",
            u"conversation 1 is missing"_s);
        row("deep nesting", QByteArray(100'000, '['), u"not valid JSON"_s);
    }

    void hostileDocumentsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        const auto read = ConversationExport::fromJson(json);
        QVERIFY(!read);
        QCOMPARE(read.error().kind, Error::Kind::File);
        QVERIFY2(read.error().message.contains(reason), qPrintable(read.error().message));
    }

    void optionalFieldsMayBeMissing()
    {
        const QByteArray minimal = R"({"format": "ragdesk.conversation", "version": 1,
            "conversation": {"title": "Bare"},
            "messages": [{"id": 1, "role": "user", "content": "hi"},
                         {"id": 2, "parentId": 1, "role": "assistant", "content": "hello", "status": "stopped"}]})";
        const auto read = ConversationExport::fromJson(minimal);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        const ConversationWithMessages &one = read->first();
        QCOMPARE(one.conversation.title, u"Bare"_s);
        QCOMPARE(one.conversation.id, 0);
        QVERIFY(!one.conversation.pinned);
        QCOMPARE(one.messages.size(), 2);
        QCOMPARE(one.messages[0].status, MessageStatus::Done);
        QCOMPARE(one.messages[1].status, MessageStatus::Stopped);
        QCOMPARE(one.messages[1].parentId, 1);
        QVERIFY(one.messages[1].sources.isEmpty());
        QVERIFY(!one.messages[1].createdAt.isValid());
    }
};

QTEST_GUILESS_MAIN(TestConversationExport)
#include "tst_conversationexport.moc"
