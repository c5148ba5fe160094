#include "core/llm/AnthropicStreamDecoder.h"

#include "core/llm/ServerText.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Error protocolError(QByteArrayView raw)
{
    return Error{Error::Kind::Protocol,
                 u"The server sent something that is not an Anthropic Messages stream. "
                 u"Check that the base URL points to the Anthropic API (https://api.anthropic.com)."_s,
                 u"Unparseable stream data: "_s + ServerText::forDetail(raw), 0};
}

/// An `error` event: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}.
Error serverError(const QJsonObject &object, QByteArrayView raw)
{
    const QJsonValue errorValue = object.value("error"_L1);
    QString type;
    QString message;
    if (errorValue.isObject()) {
        type = errorValue.toObject().value("type"_L1).toString();
        message = ServerText::forDisplay(errorValue.toObject().value("message"_L1).toString().simplified());
    } else if (errorValue.isString()) {
        message = ServerText::forDisplay(errorValue.toString().simplified());
    }
    QString text;
    if (message.isEmpty() && type.isEmpty())
        text = u"Anthropic reported an error without saying what went wrong."_s;
    else if (type.isEmpty())
        text = u"Anthropic reported an error: %1"_s.arg(message);
    else if (message.isEmpty())
        text = u"Anthropic reported an error (%1)."_s.arg(type);
    else
        text = u"Anthropic reported an error (%1): %2"_s.arg(type, message);
    // Overload is Anthropic's most common mid-stream error and is transient.
    if (type == "overloaded_error"_L1)
        text += u" The service is busy; try again in a moment."_s;
    return Error{Error::Kind::Server, text, ServerText::forDetail(raw), 0};
}

int countOrUnknown(const QJsonObject &usage, QLatin1StringView key)
{
    const QJsonValue value = usage.value(key);
    return value.isDouble() ? value.toInt(-1) : -1;
}

/// All tokens of the prompt: Anthropic counts cache writes and cache reads apart from
/// input_tokens, but each of them was part of what the model read.
int promptTokens(const QJsonObject &usage)
{
    const int input = countOrUnknown(usage, "input_tokens"_L1);
    if (input < 0)
        return -1;
    return input + std::max(0, countOrUnknown(usage, "cache_creation_input_tokens"_L1))
        + std::max(0, countOrUnknown(usage, "cache_read_input_tokens"_L1));
}

bool hasPayload(const StreamChunk &chunk)
{
    return !chunk.content.isEmpty() || !chunk.reasoning.isEmpty() || !chunk.finishReason.isEmpty()
        || chunk.usage.has_value();
}

/// The text a content block or delta carries: answer text or thinking; other kinds
/// (tool input JSON, signatures, citations, redacted thinking) carry nothing we show.
void takeText(const QJsonObject &part, StreamChunk &chunk)
{
    const QString type = part.value("type"_L1).toString();
    if (type == "text"_L1 || type == "text_delta"_L1)
        chunk.content = part.value("text"_L1).toString();
    else if (type == "thinking"_L1 || type == "thinking_delta"_L1)
        chunk.reasoning = part.value("thinking"_L1).toString();
}

} // namespace

AnthropicStreamDecoder::Step AnthropicStreamDecoder::decode(const SseEvent &event)
{
    Step step;
    const QByteArrayView data = QByteArrayView(event.data).trimmed();
    if (data.isEmpty())
        return step; // e.g. a bare `event: ping`

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        step.error = protocolError(data);
        return step;
    }
    const QJsonObject object = document.object();

    // The JSON `type` is authoritative; the SSE event name repeats it and is the fallback.
    QString type = object.value("type"_L1).toString();
    if (type.isEmpty())
        type = QString::fromUtf8(event.event);

    StreamChunk chunk;
    if (type == "error"_L1 || (type.isEmpty() && object.contains("error"_L1))) {
        step.error = serverError(object, data);
        return step;
    }
    if (type == "message_start"_L1) {
        const QJsonObject usage = object.value("message"_L1).toObject().value("usage"_L1).toObject();
        m_promptTokens = promptTokens(usage);
        if (m_promptTokens >= 0)
            chunk.usage = TokenUsage{m_promptTokens, -1};
    } else if (type == "content_block_start"_L1) {
        takeText(object.value("content_block"_L1).toObject(), chunk);
    } else if (type == "content_block_delta"_L1) {
        takeText(object.value("delta"_L1).toObject(), chunk);
    } else if (type == "message_delta"_L1) {
        const QString stopReason = object.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
        chunk.finishReason = finishReasonFromStopReason(stopReason);
        const QJsonValue usageValue = object.value("usage"_L1);
        if (usageValue.isObject()) {
            const QJsonObject usage = usageValue.toObject();
            // Newer API versions repeat the (cumulative) input count here; prefer it.
            const int prompt = promptTokens(usage);
            if (prompt >= 0)
                m_promptTokens = prompt;
            chunk.usage = TokenUsage{m_promptTokens, countOrUnknown(usage, "output_tokens"_L1)};
        }
    } else if (type == "message_stop"_L1) {
        step.done = true;
    }
    // ping, content_block_stop and event types added after this was written carry nothing.

    if (hasPayload(chunk))
        step.chunks.append(chunk);
    return step;
}

QString AnthropicStreamDecoder::finishReasonFromStopReason(const QString &stopReason)
{
    if (stopReason == "end_turn"_L1 || stopReason == "stop_sequence"_L1)
        return u"stop"_s;
    if (stopReason == "max_tokens"_L1)
        return u"length"_s;
    if (stopReason == "tool_use"_L1)
        return u"tool_calls"_s;
    if (stopReason == "refusal"_L1)
        return u"content_filter"_s;
    return stopReason;
}

} // namespace ragdesk
