#include "tests/support/FakeCompletionScript.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject errorObject(const QString &message, const QString &type = {})
{
    QJsonObject error{{u"message"_s, message}};
    if (!type.isEmpty())
        error.insert(u"type"_s, type);
    return QJsonObject{{u"error"_s, error}};
}

/// JSON string contents (without quotes) of @p text.
QByteArray jsonEscaped(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 8);
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00" + QByteArray::number(byte, 16).rightJustified(2, '0');
        } else {
            out += c;
        }
    }
    return out;
}

/// A compact chunk whose one string value is a placeholder, split around it. Token chunks differ
/// only in their text, and encoding each through QJsonDocument cost the single-threaded server
/// ~1.5 ms per 200-token request: enough to serialise a burst of 100 requests by 150 ms.
class ChunkTemplate
{
public:
    explicit ChunkTemplate(const QByteArray &compacted)
    {
        const QByteArray placeholder = "\\u0001";
        const qsizetype at = compacted.indexOf(placeholder);
        Q_ASSERT(at >= 0);
        m_before = compacted.left(at);
        m_after = compacted.mid(at + placeholder.size());
    }
    [[nodiscard]] QByteArray with(const QString &text) const { return m_before + jsonEscaped(text) + m_after; }

private:
    QByteArray m_before;
    QByteArray m_after;
};

const QString kPlaceholder = QString(QChar(1));

} // namespace

FakeCompletionScript::FakeCompletionScript(const FakeLlmOptions &options, QString model, QByteArray id,
                                           int promptTokens)
    : m_options(options)
    , m_model(std::move(model))
    , m_id(QString::fromLatin1(id))
    , m_created(QDateTime::currentSecsSinceEpoch())
    , m_promptTokens(promptTokens)
    , m_reasoning(options.reasoningTexts())
    , m_content(options.tokenTexts())
{
    const ChunkTemplate reasoningChunk(compact(chunk(QJsonObject{{u"reasoning_content"_s, kPlaceholder}}, QJsonValue::Null)));
    const ChunkTemplate contentChunk(compact(chunk(QJsonObject{{u"content"_s, kPlaceholder}}, QJsonValue::Null)));
    const ChunkTemplate lastContentChunk(compact(chunk(QJsonObject{{u"content"_s, kPlaceholder}}, QJsonValue(u"stop"_s))));
    QList<QByteArray> tokens;
    for (const QString &text : std::as_const(m_reasoning))
        tokens.append(reasoningChunk.with(text));
    for (qsizetype i = 0; i < m_content.size(); ++i)
        tokens.append((i + 1 == m_content.size() ? lastContentChunk : contentChunk).with(m_content[i]));

    const qsizetype perStep = m_options.gluedFrames ? 2 : 1;
    const qsizetype halfContent = m_content.size() / 2;
    const QByteArray ping = m_options.comments ? keepAliveComment() : QByteArray();
    m_failureStep = -1;
    for (qsizetype first = 0; first < tokens.size(); first += perStep) {
        // The failure point is the first step boundary by which half the content went out.
        const qsizetype contentSent = std::max<qsizetype>(0, first - m_reasoning.size());
        if (m_failureStep < 0 && contentSent >= halfContent)
            m_failureStep = m_steps.size();

        QByteArray step = m_steps.isEmpty() ? QByteArray() : ping;
        if (m_steps.isEmpty())
            step += encodeEvent({compact(chunk(QJsonObject{{u"role"_s, u"assistant"_s}}, QJsonValue::Null))});
        step += encodeEvent(tokens.mid(first, perStep));
        m_steps.append(step);
    }
    if (m_failureStep < 0)
        m_failureStep = m_steps.size();
}

QByteArray FakeCompletionScript::tail() const
{
    QByteArray out;
    if (m_options.usageChunk) {
        QJsonObject last = chunk({}, QJsonValue::Null);
        last.insert(u"choices"_s, QJsonArray());
        last.insert(u"usage"_s, usage());
        out += encodeEvent({compact(last)});
    }
    const QByteArray prefix = m_options.noSpaceAfterData ? "data:"_ba : "data: "_ba;
    out += prefix + "[DONE]" + eol() + eol();
    return out;
}

QByteArray FakeCompletionScript::errorEvent() const
{
    return encodeEvent({compact(errorObject(u"The model stopped unexpectedly (fake stream error)"_s, u"server_error"_s))});
}

QByteArray FakeCompletionScript::keepAliveComment() const
{
    return ": ping" + eol() + eol();
}

QByteArray FakeCompletionScript::completionBody() const
{
    QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, m_content.join(QString())}};
    if (!m_reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, m_reasoning.join(QString()));
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, u"stop"_s}};
    return compact(QJsonObject{
        {u"id"_s, m_id},
        {u"object"_s, u"chat.completion"_s},
        {u"created"_s, m_created},
        {u"model"_s, m_model},
        {u"choices"_s, QJsonArray{choice}},
        {u"usage"_s, usage()},
    });
}

FakeChatStream FakeCompletionScript::chatStream() const
{
    FakeChatStream out;
    out.contentType = "text/event-stream; charset=utf-8"_ba;
    out.opening = m_options.comments ? keepAliveComment() : QByteArray();
    out.steps = m_steps;
    out.failureStep = m_failureStep;
    out.tail = tail();
    out.errorEvent = errorEvent();
    out.keepAlive = ": keep-alive" + eol() + eol();
    out.wholeBody = completionBody();
    return out;
}

QByteArray FakeCompletionScript::modelsBody(const FakeLlmOptions &options)
{
    QJsonArray data;
    for (const QString &id : QStringList{options.model} + options.extraModels)
        data.append(QJsonObject{{u"id"_s, id}, {u"object"_s, u"model"_s}, {u"owned_by"_s, u"ragdesk-fake"_s}});
    return compact(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}});
}

QByteArray FakeCompletionScript::errorBody(int status, const QByteArray &detail)
{
    switch (status) {
    case 401:
        return compact(errorObject(u"Invalid API key provided"_s, u"invalid_request_error"_s));
    case 429:
        return compact(errorObject(u"Rate limit reached"_s));
    case 500:
        return compact(errorObject(u"Internal server error: model crashed"_s));
    default:
        return compact(errorObject(QString::fromUtf8(detail), u"invalid_request_error"_s));
    }
}

QList<QByteArray> FakeCompletionScript::splitForWrites(QByteArrayView bytes)
{
    QList<QByteArray> pieces;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        const bool utf8Lead = byte >= 0xC0;
        if (utf8Lead || byte == '\r' || i + 1 - start >= 8) {
            pieces.append(bytes.sliced(start, i + 1 - start).toByteArray());
            start = i + 1;
        }
    }
    if (start < bytes.size())
        pieces.append(bytes.sliced(start).toByteArray());
    return pieces;
}

QJsonObject FakeCompletionScript::chunk(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    const QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, finishReason}};
    return QJsonObject{
        {u"id"_s, m_id},
        {u"object"_s, u"chat.completion.chunk"_s},
        {u"created"_s, m_created},
        {u"model"_s, m_model},
        {u"choices"_s, QJsonArray{choice}},
    };
}

// One event; several payloads become consecutive data lines of the same event (the glued quirk).
QByteArray FakeCompletionScript::encodeEvent(const QList<QByteArray> &payloads) const
{
    const QByteArray prefix = m_options.noSpaceAfterData ? "data:"_ba : "data: "_ba;
    QByteArray out;
    for (const QByteArray &payload : payloads)
        out += prefix + payload + eol();
    out += eol();
    return out;
}

QByteArray FakeCompletionScript::eol() const
{
    return m_options.crlf ? "\r\n"_ba : "\n"_ba;
}

QJsonObject FakeCompletionScript::usage() const
{
    const auto completion = static_cast<int>(m_content.size() + m_reasoning.size());
    return QJsonObject{
        {u"prompt_tokens"_s, m_promptTokens},
        {u"completion_tokens"_s, completion},
        {u"total_tokens"_s, m_promptTokens + completion},
    };
}

} // namespace ragdesk::testing
