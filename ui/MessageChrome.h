#pragma once

#include "core/chat/ChatSession.h"
#include "core/storage/ConversationTypes.h"
#include "ui/markdown/RenderStyle.h"

class QTextCursor;

namespace ragdesk {

/// The parts of a rendered message around its text: header, the collapsed reasoning, status
/// note, metrics line, sources footer and action row. Stateless writers plus the pure bits
/// (metrics line, cited sources) the tests check directly.
class MessageChrome
{
public:
    /// "TTFT 212 ms · 48 tok/s · retrieval 31 ms" from a message's metrics; empty without any.
    static QString metricsLine(const QJsonObject &metrics);
    /// The source numbers the answer cites, in order of first citation: the stored citations
    /// (parsed or inferred) once there are any, otherwise parsed from the text.
    static QList<int> citedSources(const MessageRecord &message);
    /// The snapshot numbered @p number, or nullptr.
    static const CitationSnapshot *source(const MessageRecord &message, int number);
    static int wordCount(QStringView text);

    /// "You", or @p assistantLabel for the model's messages.
    static void writeHeader(
        QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, const QString &assistantLabel);
    /// "▸ Reasoning (N words)", and the reasoning itself when @p open.
    static void writeReasoning(
        QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, int index, bool open);
    /// Status note, metrics, sources and actions of a finished message.
    static void writeFooter(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, int index,
        MessageVersions versions, bool allSources);

private:
    static void writeSources(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, int index,
        bool allSources);
    static void writeActions(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message, int index,
        MessageVersions versions);
    static void writeStatus(QTextCursor &cursor, const RenderStyle &style, const MessageRecord &message);
};

} // namespace ragdesk
