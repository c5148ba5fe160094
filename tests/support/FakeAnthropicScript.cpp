#include "tests/support/FakeAnthropicScript.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

/// Named events: the "type" inside each payload repeats the event name, as the real API does.
class EventWriter
{
public:
    explicit EventWriter(bool crlf)
        : m_eol(crlf ? "\r\n"_ba : "\n"_ba)
    {
    }
    [[nodiscard]] QByteArray event(const QString &name, QJsonObject payload) const
    {
        payload.insert(u"type"_s, name);
        return frame(name, compactJson(payload));
    }
    [[nodiscard]] QByteArray frame(const QString &name, const QByteArray &data) const
    {
        return "event: " + name.toUtf8() + m_eol + "data: " + data + m_eol + m_eol;
    }
    [[nodiscard]] QByteArray comment() const { return ": keep-alive" + m_eol + m_eol; }

private:
    QByteArray m_eol;
};

QJsonObject delta(int index, const QString &type, const QString &field, const QString &text)
{
    return QJsonObject{{u"index"_s, index}, {u"delta"_s, QJsonObject{{u"type"_s, type}, {field, text}}}};
}

QJsonObject blockStart(int index, const QString &type, const QString &field)
{
    return QJsonObject{{u"index"_s, index}, {u"content_block"_s, QJsonObject{{u"type"_s, type}, {field, QString()}}}};
}

const QString kSignature = u"ZmFrZS1zaWduYXR1cmU="_s; // real thinking blocks end with an opaque signature

} // namespace

FakeChatStream FakeAnthropicScript::stream(const FakeLlmOptions &options, const QString &model,
                                           const QString &id, int promptTokens)
{
    const EventWriter writer(options.crlf);
    const QStringList reasoning = options.reasoningTexts();
    const QStringList content = options.tokenTexts();
    const int textIndex = reasoning.isEmpty() ? 0 : 1;
    const auto outputTokens = static_cast<int>(reasoning.size() + content.size());
    const QJsonValue null(QJsonValue::Null);

    FakeChatStream out;
    out.contentType = "text/event-stream; charset=utf-8"_ba;
    const QJsonObject message{
        {u"id"_s, id}, {u"type"_s, u"message"_s}, {u"role"_s, u"assistant"_s}, {u"model"_s, model},
        {u"content"_s, QJsonArray()}, {u"stop_reason"_s, null}, {u"stop_sequence"_s, null},
        {u"usage"_s, QJsonObject{{u"input_tokens"_s, promptTokens}, {u"output_tokens"_s, 1}}},
    };
    out.opening = writer.event(u"message_start"_s, QJsonObject{{u"message"_s, message}});
    out.opening += reasoning.isEmpty() ? writer.event(u"content_block_start"_s, blockStart(0, u"text"_s, u"text"_s))
                                       : writer.event(u"content_block_start"_s, blockStart(0, u"thinking"_s, u"thinking"_s));
    out.opening += writer.event(u"ping"_s, {});
    if (options.comments)
        out.opening += writer.comment();

    for (const QString &text : reasoning)
        out.steps.append(writer.event(u"content_block_delta"_s, delta(0, u"thinking_delta"_s, u"thinking"_s, text)));
    for (qsizetype i = 0; i < content.size(); ++i) {
        QByteArray step;
        if (i == 0 && textIndex == 1) {
            step += writer.event(u"content_block_delta"_s, delta(0, u"signature_delta"_s, u"signature"_s, kSignature));
            step += writer.event(u"content_block_stop"_s, QJsonObject{{u"index"_s, 0}});
            step += writer.event(u"content_block_start"_s, blockStart(1, u"text"_s, u"text"_s));
        }
        step += writer.event(u"content_block_delta"_s, delta(textIndex, u"text_delta"_s, u"text"_s, content[i]));
        out.steps.append(step);
    }
    out.failureStep = reasoning.size() + content.size() / 2;

    out.tail = writer.event(u"content_block_stop"_s, QJsonObject{{u"index"_s, textIndex}});
    out.tail += writer.event(u"message_delta"_s, QJsonObject{
        {u"delta"_s, QJsonObject{{u"stop_reason"_s, u"end_turn"_s}, {u"stop_sequence"_s, null}}},
        {u"usage"_s, QJsonObject{{u"output_tokens"_s, outputTokens}}},
    });
    out.tail += writer.event(u"message_stop"_s, {});

    out.errorEvent = writer.frame(u"error"_s, errorBody(u"overloaded_error"_s, u"Overloaded"_s));
    out.keepAlive = writer.comment();

    QJsonArray blocks;
    if (!reasoning.isEmpty())
        blocks.append(QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, reasoning.join(QString())},
                                  {u"signature"_s, kSignature}});
    blocks.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, content.join(QString())}});
    QJsonObject whole = message;
    whole.insert(u"content"_s, blocks);
    whole.insert(u"stop_reason"_s, u"end_turn"_s);
    whole.insert(u"usage"_s, QJsonObject{{u"input_tokens"_s, promptTokens}, {u"output_tokens"_s, outputTokens}});
    out.wholeBody = compactJson(whole);
    return out;
}

QByteArray FakeAnthropicScript::modelsBody(const FakeLlmOptions &options)
{
    const QStringList ids = QStringList{options.model} + options.extraModels;
    QJsonArray data;
    for (const QString &id : ids) {
        data.append(QJsonObject{{u"type"_s, u"model"_s}, {u"id"_s, id}, {u"display_name"_s, id},
                                {u"created_at"_s, u"2025-01-01T00:00:00Z"_s}});
    }
    return compactJson(QJsonObject{{u"data"_s, data}, {u"has_more"_s, false}, {u"first_id"_s, ids.constFirst()},
                                   {u"last_id"_s, ids.constLast()}});
}

QByteArray FakeAnthropicScript::errorBody(const QString &type, const QString &message)
{
    return compactJson(QJsonObject{{u"type"_s, u"error"_s},
                                   {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, message}}}});
}

} // namespace ragdesk::testing
