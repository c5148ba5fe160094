#include "core/llm/OllamaStreamDecoder.h"

#include "core/llm/OpenAiStreamDecoder.h"
#include "core/llm/ServerText.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Error protocolError(QByteArrayView raw)
{
    return Error{Error::Kind::Protocol,
                 u"The server sent something that is not an Ollama chat stream. "
                 u"Check that the base URL points to an Ollama server (usually http://localhost:11434)."_s,
                 u"Unparseable stream line: "_s + ServerText::forDetail(raw), 0};
}

Error serverError(const QJsonValue &errorValue, QByteArrayView raw)
{
    // The shared extractor already knows {"error":"..."} and {"error":{"message":...}} and
    // trims the text for display; it would fall back to the raw line for an empty message.
    const bool emptyText = errorValue.isString() && errorValue.toString().trimmed().isEmpty();
    const QString serverText = emptyText ? QString() : OpenAiStreamDecoder::errorMessageFromBody(raw.toByteArray());
    return Error{Error::Kind::Server,
                 serverText.isEmpty() ? u"Ollama reported an error without saying what went wrong."_s
                                      : u"Ollama reported an error: %1"_s.arg(serverText),
                 ServerText::forDetail(raw), 0};
}

/// A count Ollama reports, or -1. It omits prompt_eval_count when the whole prompt was cached.
int countOrUnknown(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? value.toInt(-1) : -1;
}

} // namespace

OllamaStreamDecoder::Step OllamaStreamDecoder::decode(QByteArrayView line) const
{
    Step step;
    const QByteArrayView trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return step;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(trimmed.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        step.error = protocolError(trimmed);
        return step;
    }
    const QJsonObject object = document.object();

    const QJsonValue error = object.value("error"_L1);
    if (!error.isUndefined() && !error.isNull()) {
        step.error = serverError(error, trimmed);
        return step;
    }

    StreamChunk chunk;
    const QJsonObject message = object.value("message"_L1).toObject();
    chunk.content = message.value("content"_L1).toString();
    chunk.reasoning = message.value("thinking"_L1).toString();

    step.done = object.value("done"_L1).toBool(false);
    if (step.done) {
        chunk.finishReason = object.value("done_reason"_L1).toString();
        const TokenUsage usage{countOrUnknown(object, "prompt_eval_count"_L1),
                               countOrUnknown(object, "eval_count"_L1)};
        if (usage.promptTokens >= 0 || usage.completionTokens >= 0)
            chunk.usage = usage;
    }

    // Lines that carry nothing for the consumer (an empty keep-alive delta, a tool-call-only
    // message we do not use) add no chunk, like the OpenAI decoder.
    if (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty() || !chunk.finishReason.isEmpty()
        || chunk.usage.has_value())
        step.chunks.append(chunk);
    return step;
}

} // namespace ragdesk
