#pragma once

#include "tests/support/FakeChatStream.h"
#include "tests/support/FakeLlmOptions.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace ragdesk::testing {

/// The bytes of one fake chat completion, worked out in full before anything is sent: the
/// connection only paces them, and what goes over the wire can be reasoned about without a socket.
class FakeCompletionScript
{
public:
    /// @p id becomes the "id" field ("chatcmpl-N"); @p promptTokens feeds the usage figures.
    FakeCompletionScript(const FakeLlmOptions &options, QString model, QByteArray id, int promptTokens);

    /// Event-stream bytes for each token tick. The first step also carries the role chunk;
    /// with glued frames a step carries two tokens.
    [[nodiscard]] const QList<QByteArray> &steps() const { return m_steps; }
    /// How many steps go out before a mid-stream failure strikes: half the content tokens.
    [[nodiscard]] qsizetype failureStep() const { return m_failureStep; }
    /// What follows the last step: the usage chunk (when enabled) and "data: [DONE]".
    [[nodiscard]] QByteArray tail() const;
    /// The {"error":{...}} event of FakeLlmOptions::Failure::ErrorInStream.
    [[nodiscard]] QByteArray errorEvent() const;
    /// A ": ping" comment, sent right after the headers when comments are on; empty otherwise.
    [[nodiscard]] QByteArray keepAliveComment() const;

    /// Body of a non-streaming answer (`"stream": false`).
    [[nodiscard]] QByteArray completionBody() const;
    /// All of the above, as the connection paces it.
    [[nodiscard]] FakeChatStream chatStream() const;

    /// Body of GET /v1/models.
    [[nodiscard]] static QByteArray modelsBody(const FakeLlmOptions &options);
    /// OpenAI-style {"error":{...}} body for an HTTP error @p status.
    [[nodiscard]] static QByteArray errorBody(int status, const QByteArray &detail = {});
    /// Cuts @p bytes into tiny writes: right after every UTF-8 lead byte (so a character is split
    /// across writes), right after every CR (so CRLF is split), and at least every 8 bytes.
    [[nodiscard]] static QList<QByteArray> splitForWrites(QByteArrayView bytes);

private:
    QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finishReason) const;
    QByteArray encodeEvent(const QList<QByteArray> &payloads) const;
    QByteArray eol() const;
    QJsonObject usage() const;

    FakeLlmOptions m_options;
    QString m_model;
    QString m_id;
    qint64 m_created = 0;
    int m_promptTokens = 0;
    QStringList m_reasoning;
    QStringList m_content;
    QList<QByteArray> m_steps;
    qsizetype m_failureStep = 0;
};

} // namespace ragdesk::testing
