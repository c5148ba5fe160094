#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ragdesk {

enum class MessageStatus {
    Streaming,   ///< being written; checkpointed while text arrives
    Done,
    Stopped,     ///< the user pressed Stop; partial text kept
    Error,       ///< failed; partial text kept, errorText says why
    Interrupted, ///< was Streaming when the app died; set on the next start
};

QString messageStatusName(MessageStatus status);
MessageStatus messageStatusFromString(const QString &text);

struct Conversation {
    qint64 id = 0;
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct MessageRecord {
    qint64 id = 0;
    qint64 conversationId = 0;
    QString role; ///< "user" or "assistant"
    QString content;
    QString reasoning;
    MessageStatus status = MessageStatus::Done;
    QString errorText;
    QDateTime createdAt;
    QDateTime updatedAt;
    QJsonObject metrics; ///< ttft_ms, tokens_per_s, total_ms, prompt/completion tokens
};

/// The latest text of a streaming message, written in a batch by MessageCheckpointer.
struct MessageCheckpoint {
    qint64 messageId = 0;
    QString content;
    QString reasoning;
};

} // namespace ragdesk
