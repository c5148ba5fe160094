#include "core/llm/OpenAiStreamDecoder.h"

#include "core/llm/ServerText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QString firstNonEmptyString(const QJsonObject &object, std::initializer_list<QLatin1StringView> keys)
{
    for (const QLatin1StringView key : keys) {
        const QJsonValue value = object.value(key);
        if (value.isString() && !value.toString().trimmed().isEmpty())
            return value.toString().trimmed();
        if (value.isDouble())
            return QString::number(value.toInteger());
    }
    return {};
}

/// The human-readable part of an error-shaped JSON object; empty if it has none.
QString messageFromErrorObject(const QJsonObject &object)
{
    const QJsonValue error = object.value("error"_L1);
    if (error.isObject())
        return firstNonEmptyString(error.toObject(), {"message"_L1, "type"_L1, "code"_L1});
    if (error.isString() && !error.toString().trimmed().isEmpty())
        return error.toString().trimmed();

    const QString message = firstNonEmptyString(object, {"message"_L1});
    if (!message.isEmpty())
        return message;

    // FastAPI-based servers answer {"detail": "..."} or {"detail": [{"msg": "..."}, ...]}.
    const QJsonValue detail = object.value("detail"_L1);
    if (detail.isString())
        return detail.toString().trimmed();
    if (detail.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : detail.toArray()) {
            const QString part = item.isObject() ? firstNonEmptyString(item.toObject(), {"msg"_L1, "message"_L1})
                                                 : item.toString().trimmed();
            if (!part.isEmpty())
                parts.append(part);
        }
        return parts.join(u"; "_s);
    }
    return {};
}

/// messageFromErrorObject() cleaned up for display.
QString shownMessage(const QJsonObject &object)
{
    return ServerText::forDisplay(messageFromErrorObject(object).simplified());
}

/// True when a stream frame is an error report rather than a completion chunk.
bool isErrorFrame(const QJsonObject &object)
{
    const QJsonValue error = object.value("error"_L1);
    if (!error.isUndefined() && !error.isNull())
        return true;
    // vLLM's older servers send the error fields at the top level.
    return object.value("object"_L1).toString() == "error"_L1;
}

Error serverError(const QString &serverMessage, QByteArrayView raw)
{
    Error error;
    error.kind = Error::Kind::Server;
    error.message = serverMessage.isEmpty()
        ? u"The server reported an error without saying what went wrong."_s
        : u"The server reported an error: %1"_s.arg(serverMessage);
    error.detail = ServerText::forDetail(raw);
    return error;
}

Error protocolError(QByteArrayView raw)
{
    Error error;
    error.kind = Error::Kind::Protocol;
    error.message = u"The server sent something that is not an OpenAI-compatible chat stream. "
                    u"Check that the base URL points to an OpenAI-compatible API (usually ending in /v1)."_s;
    error.detail = u"Unparseable stream data: "_s + ServerText::forDetail(raw);
    return error;
}

std::optional<QJsonObject> parseObject(QByteArrayView json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

/// Adds what one completion chunk carries to @p step. A chunk with nothing for the consumer
/// (the role-only first delta, `"content": null`) adds no StreamChunk at all.
void decodeCompletionChunk(const QJsonObject &object, QByteArrayView raw, OpenAiStreamDecoder::Step &step)
{
    if (isErrorFrame(object)) {
        step.error = serverError(shownMessage(object), raw);
        return;
    }

    StreamChunk chunk;
    // We always request a single completion, so only the first choice matters.
    const QJsonArray choices = object.value("choices"_L1).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        const QJsonObject delta = choice.value("delta"_L1).toObject();
        chunk.content = delta.value("content"_L1).toString();
        chunk.reasoning = delta.value("reasoning_content"_L1).toString();
        if (chunk.reasoning.isEmpty())
            chunk.reasoning = delta.value("reasoning"_L1).toString(); // OpenRouter, newer vLLM
        chunk.finishReason = choice.value("finish_reason"_L1).toString();
    }

    // OpenAI sends "usage": null on every chunk and the numbers on a final, choice-less one.
    const QJsonValue usage = object.value("usage"_L1);
    if (usage.isObject()) {
        const QJsonObject counts = usage.toObject();
        chunk.usage = TokenUsage{counts.value("prompt_tokens"_L1).toInt(-1),
                                 counts.value("completion_tokens"_L1).toInt(-1)};
    }

    if (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty() || !chunk.finishReason.isEmpty()
        || chunk.usage.has_value())
        step.chunks.append(chunk);
}

/// Decodes one self-contained frame: `[DONE]` or a JSON object. Returns false if unparseable.
bool decodeFrame(QByteArrayView frame, OpenAiStreamDecoder::Step &step)
{
    if (frame == "[DONE]"_ba) {
        step.done = true;
        return true;
    }
    const std::optional<QJsonObject> object = parseObject(frame);
    if (!object)
        return false;
    decodeCompletionChunk(*object, frame, step);
    return true;
}

} // namespace

OpenAiStreamDecoder::Step OpenAiStreamDecoder::decode(const SseEvent &event) const
{
    Step step;
    const QByteArrayView data = QByteArrayView(event.data).trimmed();

    if (event.event == "error"_ba) {
        step.error = serverError(errorMessageFromBody(event.data), data);
        return step;
    }
    if (!event.event.isEmpty() && event.event != "message"_ba) {
        // Named events are not part of the chat completion protocol (some proxies send
        // `event: ping`); only an error they carry matters.
        const std::optional<QJsonObject> object = parseObject(data);
        if (object && isErrorFrame(*object))
            step.error = serverError(shownMessage(*object), data);
        return step;
    }

    if (data.isEmpty())
        return step;
    if (decodeFrame(data, step))
        return step;

    // Some servers forget the blank line between frames, so two `data:` lines arrive as one
    // event joined by '\n'. A JSON frame never holds a raw newline inside a string, so each
    // line can be tried on its own.
    if (!data.contains('\n')) {
        step.error = protocolError(data);
        return step;
    }
    qsizetype lineStart = 0;
    while (lineStart <= data.size()) {
        qsizetype lineEnd = data.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = data.size();
        const QByteArrayView frame = data.sliced(lineStart, lineEnd - lineStart).trimmed();
        lineStart = lineEnd + 1;
        if (frame.isEmpty())
            continue;
        if (!decodeFrame(frame, step)) {
            step.error = protocolError(frame);
            return step;
        }
        if (step.done || step.error)
            return step; // nothing after [DONE] or a server error is meaningful
    }
    return step;
}

QString OpenAiStreamDecoder::errorMessageFromBody(const QByteArray &body)
{
    const QByteArrayView trimmed = QByteArrayView(body).trimmed();
    if (trimmed.isEmpty())
        return {};

    if (const std::optional<QJsonObject> object = parseObject(trimmed)) {
        const QString message = shownMessage(*object);
        if (!message.isEmpty())
            return message;
        return ServerText::forDisplay(QString::fromUtf8(trimmed).simplified());
    }

    // Plain text or an HTML error page from a proxy. Stripping tags crudely is enough to turn
    // "<h1>502 Bad Gateway</h1>" into a sentence; style and script bodies are noise.
    QString text = QString::fromUtf8(trimmed);
    static const QRegularExpression invisible(u"<(script|style)\\b.*?</\\1\\s*>"_s,
                                              QRegularExpression::CaseInsensitiveOption
                                                  | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression comments(u"<!--.*?-->"_s, QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(u"<[^>]*>"_s);
    text.remove(invisible);
    text.remove(comments);
    text.replace(tags, u" "_s);
    text.replace(u"&nbsp;"_s, u" "_s)
        .replace(u"&lt;"_s, u"<"_s)
        .replace(u"&gt;"_s, u">"_s)
        .replace(u"&quot;"_s, u"\""_s)
        .replace(u"&#39;"_s, u"'"_s)
        .replace(u"&amp;"_s, u"&"_s); // last, so "&amp;lt;" becomes "&lt;" and not "<"
    return ServerText::forDisplay(text.simplified());
}

} // namespace ragdesk
