#include "core/chat/ConversationExport.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTimeZone>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
// The file format: renaming a key breaks every export already written.
constexpr auto kFormat = "format"_L1;
constexpr auto kVersion = "version"_L1;
constexpr auto kConversation = "conversation"_L1;
constexpr auto kConversations = "conversations"_L1;
constexpr auto kMessages = "messages"_L1;
constexpr auto kId = "id"_L1;
constexpr auto kTitle = "title"_L1;
constexpr auto kCreated = "createdAt"_L1;
constexpr auto kUpdated = "updatedAt"_L1;
constexpr auto kPinned = "pinned"_L1;
constexpr auto kAssistant = "assistantId"_L1;
constexpr auto kActiveLeaf = "activeLeafId"_L1;
constexpr auto kParent = "parentId"_L1;
constexpr auto kRole = "role"_L1;
constexpr auto kContent = "content"_L1;
constexpr auto kReasoning = "reasoning"_L1;
constexpr auto kStatus = "status"_L1;
constexpr auto kErrorText = "errorText"_L1;
constexpr auto kMetrics = "metrics"_L1;
constexpr auto kSources = "sources"_L1;
constexpr auto kCitations = "citations"_L1;
constexpr auto kRetrieval = "retrieval"_L1;
const QString oneFormat = u"ragdesk.conversation"_s;
const QString allFormat = u"ragdesk.conversations"_s;

// Largest integer a JSON number (a double) holds exactly; ids past it would come back altered.
constexpr double maxExactInteger = 9007199254740992.0;

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime timeFrom(const QJsonValue &value)
{
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toTimeZone(QTimeZone::UTC) : QDateTime();
}

QJsonObject conversationJson(const Conversation &conversation)
{
    QJsonObject json{{kId, conversation.id},
                     {kTitle, conversation.title},
                     {kCreated, timeText(conversation.createdAt)},
                     {kUpdated, timeText(conversation.updatedAt)},
                     {kPinned, conversation.pinned}};
    if (conversation.assistantId != 0)
        json.insert(kAssistant, conversation.assistantId);
    if (conversation.activeLeafId != 0)
        json.insert(kActiveLeaf, conversation.activeLeafId);
    return json;
}

QJsonObject messageJson(const MessageRecord &message)
{
    QJsonObject json{{kId, message.id},
                     {kRole, message.role},
                     {kContent, message.content},
                     {kStatus, messageStatusName(message.status)},
                     {kCreated, timeText(message.createdAt)},
                     {kUpdated, timeText(message.updatedAt)}};
    if (message.parentId != 0)
        json.insert(kParent, message.parentId);
    if (!message.reasoning.isEmpty())
        json.insert(kReasoning, message.reasoning);
    if (!message.errorText.isEmpty())
        json.insert(kErrorText, message.errorText);
    if (!message.metrics.isEmpty())
        json.insert(kMetrics, message.metrics);
    if (!message.sources.isEmpty())
        json.insert(kSources, citationSnapshotsToJson(message.sources));
    if (!message.citations.isEmpty())
        json.insert(kCitations, citationMarkersToJson(message.citations));
    if (!message.retrieval.isEmpty())
        json.insert(kRetrieval, message.retrieval);
    return json;
}

QJsonObject bodyJson(const Conversation &conversation, const QList<MessageRecord> &messages)
{
    QJsonArray array;
    for (const MessageRecord &message : messages)
        array.append(messageJson(message));
    return QJsonObject{{kConversation, conversationJson(conversation)}, {kMessages, array}};
}

QByteArray document(QJsonObject json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Indented);
}

/// Reading an import: every failure is a sentence about the file and where in it.
std::unexpected<Error> invalid(const QString &why)
{
    return fail(Error::Kind::File,
                u"This file cannot be imported: %1. Choose a file exported by ragdesk."_s.arg(why));
}

/// A positive integer id that survives JSON's doubles; @p optional: missing or 0 means none.
Result<qint64> readId(const QJsonObject &json, QLatin1StringView key, const QString &where, bool optional)
{
    const QJsonValue value = json.value(key);
    if (optional && (value.isUndefined() || value.isNull() || (value.isDouble() && value.toDouble() == 0)))
        return 0;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 1 || number > maxExactInteger || number != std::floor(number))
        return invalid(u"%1 has no valid \u201c%2\u201d (a positive whole number)"_s.arg(where, key));
    return static_cast<qint64>(number);
}

Result<MessageRecord> readMessage(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return invalid(u"%1 is not an object"_s.arg(where));
    const QJsonObject json = value.toObject();
    MessageRecord message;
    auto id = readId(json, kId, where, false);
    if (!id)
        return std::unexpected(id.error());
    auto parent = readId(json, kParent, where, true);
    if (!parent)
        return std::unexpected(parent.error());
    message.id = *id;
    message.parentId = *parent;
    message.role = json.value(kRole).toString();
    if (message.role != u"user" && message.role != u"assistant" && message.role != u"system")
        return invalid(u"%1 has no valid role (user, assistant or system)"_s.arg(where));
    if (!json.value(kContent).isString())
        return invalid(u"%1 has no text (\u201ccontent\u201d)"_s.arg(where));
    message.content = json.value(kContent).toString();
    message.reasoning = json.value(kReasoning).toString();
    message.status = messageStatusFromString(json.value(kStatus).toString(u"done"_s));
    message.errorText = json.value(kErrorText).toString();
    message.createdAt = timeFrom(json.value(kCreated));
    message.updatedAt = timeFrom(json.value(kUpdated));
    for (const QLatin1StringView key : {kMetrics, kRetrieval}) {
        if (json.contains(key) && !json.value(key).isObject())
            return invalid(u"%1 has a \u201c%2\u201d that is not an object"_s.arg(where, key));
    }
    message.metrics = json.value(kMetrics).toObject();
    message.retrieval = json.value(kRetrieval).toObject();
    for (const QLatin1StringView key : {kSources, kCitations}) {
        if (json.contains(key) && !json.value(key).isArray())
            return invalid(u"%1 has \u201c%2\u201d that are not a list"_s.arg(where, key));
    }
    auto sources = citationSnapshotsFromJson(json.value(kSources).toArray());
    auto citations = citationMarkersFromJson(json.value(kCitations).toArray());
    if (!sources || !citations)
        return invalid(u"%1 has a damaged source or citation (%2)"_s.arg(
            where, (!sources ? sources.error() : citations.error()).message));
    message.sources = *sources;
    message.citations = *citations;
    return message;
}

/// Every id once, every parent in the file, no cycle of parents.
Result<void> checkTree(const QList<MessageRecord> &messages, const QString &where)
{
    QHash<qint64, qint64> parents;
    for (const MessageRecord &message : messages) {
        if (parents.contains(message.id))
            return invalid(u"%1 has two messages with id %2"_s.arg(where).arg(message.id));
        parents.insert(message.id, message.parentId);
    }
    for (const MessageRecord &message : messages) {
        if (message.parentId != 0 && !parents.contains(message.parentId))
            return invalid(u"in %1, message %2 follows message %3, which is not in the file"_s.arg(where)
                               .arg(message.id)
                               .arg(message.parentId));
    }
    // Walk up from every message; more steps than messages means a cycle. Each walk stops at
    // a message already known to reach a root, so the whole check stays linear.
    QSet<qint64> reachesRoot;
    for (const MessageRecord &message : messages) {
        QList<qint64> walked;
        qint64 id = message.id;
        while (id != 0 && !reachesRoot.contains(id)) {
            if (walked.size() > messages.size())
                return invalid(u"in %1, the messages\u2019 parent ids form a cycle (message %2)"_s.arg(where).arg(
                    message.id));
            walked.append(id);
            id = parents.value(id);
        }
        for (qint64 step : std::as_const(walked))
            reachesRoot.insert(step);
    }
    return {};
}

Result<ConversationWithMessages> readBody(const QJsonValue &value, const QString &where)
{
    const QJsonObject body = value.toObject();
    const QJsonValue conversationValue = body.value(kConversation);
    if (!conversationValue.isObject())
        return invalid(u"%1 is missing its \u201cconversation\u201d object"_s.arg(where));
    const QJsonObject json = conversationValue.toObject();
    if (!json.value(kTitle).isString())
        return invalid(u"%1 has no title"_s.arg(where));
    ConversationWithMessages result;
    Conversation &conversation = result.conversation;
    auto id = readId(json, kId, where, true);
    auto assistant = readId(json, kAssistant, where, true);
    auto leaf = readId(json, kActiveLeaf, where, true);
    if (!id || !assistant || !leaf)
        return std::unexpected(!id ? id.error() : !assistant ? assistant.error() : leaf.error());
    conversation.id = *id;
    conversation.assistantId = *assistant;
    conversation.activeLeafId = *leaf;
    conversation.title = json.value(kTitle).toString();
    conversation.createdAt = timeFrom(json.value(kCreated));
    conversation.updatedAt = timeFrom(json.value(kUpdated));
    conversation.pinned = json.value(kPinned).toBool();

    const QJsonValue messages = body.value(kMessages);
    if (!messages.isArray())
        return invalid(u"%1 has no list of messages"_s.arg(where));
    const QJsonArray array = messages.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto message = readMessage(array.at(i), u"message %1 of %2"_s.arg(i + 1).arg(where));
        if (!message)
            return std::unexpected(message.error());
        result.messages.append(*message);
    }
    if (auto tree = checkTree(result.messages, where); !tree)
        return std::unexpected(tree.error());
    return result;
}

Result<QList<ConversationWithMessages>> readDocument(const QByteArray &bytes)
{
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(u"it is not valid JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset));
    if (!json.isObject())
        return invalid(u"it is not a ragdesk conversation export"_s);
    const QJsonObject root = json.object();
    const QString format = root.value(kFormat).toString();
    if (format != oneFormat && format != allFormat)
        return invalid(u"it is not a ragdesk conversation export (its format is \u201c%1\u201d)"_s.arg(format));
    const QJsonValue version = root.value(kVersion);
    if (!version.isDouble() || version.toDouble() != ConversationExport::formatVersion) {
        if (version.isDouble() && version.toDouble() > ConversationExport::formatVersion)
            return fail(Error::Kind::File,
                        u"This file was exported by a newer ragdesk (format version %1); this version reads "
                        "version %2. Update ragdesk to import it."_s.arg(version.toDouble()).arg(ConversationExport::formatVersion));
        return invalid(u"its format version is missing or unknown"_s);
    }
    QList<ConversationWithMessages> result;
    if (format == oneFormat) {
        auto one = readBody(root, u"the conversation"_s);
        if (!one)
            return std::unexpected(one.error());
        result.append(*one);
        return result;
    }
    const QJsonValue all = root.value(kConversations);
    if (!all.isArray())
        return invalid(u"it has no list of conversations"_s);
    const QJsonArray array = all.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto one = readBody(array.at(i), u"conversation %1"_s.arg(i + 1));
        if (!one)
            return std::unexpected(one.error());
        result.append(*one);
    }
    return result;
}

QString sourceLine(const CitationSnapshot &source)
{
    QString name = source.documentTitle;
    if (name.isEmpty())
        name = source.documentPath.section(u'/', -1);
    if (name.isEmpty())
        name = u"Source %1"_s.arg(source.number);
    // "[n]" rather than a numbered list: Markdown renumbers lists, and n must match the answer.
    QString line = u"- [%1] %2"_s.arg(source.number).arg(name);
    if (source.page > 0)
        line += u", page %1"_s.arg(source.page);
    return line;
}
} // namespace

QString ConversationExport::toMarkdown(const Conversation &conversation, const QList<MessageRecord> &path)
{
    QString markdown = u"# %1\n"_s.arg(conversation.title.simplified());
    for (const MessageRecord &message : path) {
        if (message.role == u"system")
            continue;
        markdown += message.role == u"user" ? u"\n## You\n\n"_s : u"\n## Assistant\n\n"_s;
        markdown += message.content.trimmed() + u'\n';
        if (message.status == MessageStatus::Error && !message.errorText.isEmpty())
            markdown += u"\n> The answer failed: %1\n"_s.arg(message.errorText.simplified());
        // Only what the answer cites, in source-number order, each once.
        QList<int> cited;
        for (const CitationMarker &marker : message.citations)
            cited.append(marker.sources);
        std::ranges::sort(cited);
        cited.erase(std::ranges::unique(cited).begin(), cited.end());
        QStringList lines;
        for (const int number : std::as_const(cited)) {
            for (const CitationSnapshot &source : message.sources) {
                if (source.number == number) {
                    lines.append(sourceLine(source));
                    break;
                }
            }
        }
        if (!lines.isEmpty())
            markdown += u"\nSources:\n\n"_s + lines.join(u'\n') + u'\n';
    }
    return markdown;
}

QByteArray ConversationExport::toJson(const Conversation &conversation, const QList<MessageRecord> &messages)
{
    QJsonObject json = bodyJson(conversation, messages);
    json.insert(kFormat, oneFormat);
    json.insert(kVersion, formatVersion);
    return document(json);
}

QByteArray ConversationExport::exportAllJson(const QList<ConversationWithMessages> &conversations)
{
    QJsonArray array;
    for (const ConversationWithMessages &one : conversations)
        array.append(bodyJson(one.conversation, one.messages));
    return document(QJsonObject{{kFormat, allFormat}, {kVersion, formatVersion}, {kConversations, array}});
}

Result<QList<ConversationWithMessages>> ConversationExport::fromJson(const QByteArray &json)
{
    return readDocument(json);
}

} // namespace ragdesk
