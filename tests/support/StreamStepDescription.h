#pragma once

#include "core/foundation/Error.h"
#include "core/llm/ChatTypes.h"

#include <QStringList>

namespace ragdesk::testing {

/// Readable name of an error kind, for failure messages.
inline QString errorKindName(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::Server:
        return QStringLiteral("Server");
    case Error::Kind::Protocol:
        return QStringLiteral("Protocol");
    default:
        return QStringLiteral("Kind%1").arg(static_cast<int>(kind));
    }
}

/// One line per chunk plus DONE / error lines, so a failing QCOMPARE of two decoder Steps
/// (OpenAI, Ollama or Anthropic: they share the shape) shows exactly what differed.
template<typename Step>
QStringList describeStep(const Step &step)
{
    QStringList lines;
    for (const StreamChunk &chunk : step.chunks) {
        QStringList parts;
        if (!chunk.content.isEmpty())
            parts << QStringLiteral("content:") + chunk.content;
        if (!chunk.reasoning.isEmpty())
            parts << QStringLiteral("reasoning:") + chunk.reasoning;
        if (!chunk.finishReason.isEmpty())
            parts << QStringLiteral("finish:") + chunk.finishReason;
        if (chunk.usage)
            parts << QStringLiteral("usage:%1/%2").arg(chunk.usage->promptTokens).arg(chunk.usage->completionTokens);
        if (chunk.error)
            parts << QStringLiteral("chunk error");
        lines << (parts.isEmpty() ? QStringLiteral("(empty chunk)") : parts.join(QStringLiteral(" | ")));
    }
    if (step.done)
        lines << QStringLiteral("DONE");
    if (step.error)
        lines << QStringLiteral("error %1: %2").arg(errorKindName(step.error->kind), step.error->message);
    return lines;
}

} // namespace ragdesk::testing
