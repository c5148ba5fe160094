#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace ragdesk::testing {

/// Every byte of one fake chat answer in one API family's wire format, worked out before anything
/// is sent: FakeLlmConnection only paces it, whichever family it speaks.
struct FakeChatStream {
    QByteArray contentType;   ///< of the streamed body
    QByteArray opening;       ///< right after the headers, before the first token (may be empty)
    QList<QByteArray> steps;  ///< one per token tick
    qsizetype failureStep = 0; ///< steps sent before a mid-stream failure: half the content
    QByteArray tail;          ///< after the last step: the end of the stream
    QByteArray errorEvent;    ///< the mid-stream error of Failure::ErrorInStream
    QByteArray keepAlive;     ///< what Failure::KeepAliveDrip repeats instead of tokens
    QByteArray wholeBody;     ///< the JSON answer of a request that did not ask to stream
};

/// One JSON object on one line, as every wire format here wants it.
inline QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace ragdesk::testing
