#include "tests/support/FakeOllamaScript.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

QByteArray line(const QJsonObject &object)
{
    return compactJson(object) + '\n';
}

QJsonObject message(const QString &content, const QString &thinking = {})
{
    QJsonObject out{{u"role"_s, u"assistant"_s}, {u"content"_s, content}};
    if (!thinking.isEmpty())
        out.insert(u"thinking"_s, thinking);
    return out;
}

} // namespace

FakeChatStream FakeOllamaScript::stream(const FakeLlmOptions &options, const QString &model, int promptTokens)
{
    const QString createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QStringList reasoning = options.reasoningTexts();
    const QStringList content = options.tokenTexts();
    auto object = [&](const QJsonObject &msg, bool done) {
        return QJsonObject{{u"model"_s, model}, {u"created_at"_s, createdAt}, {u"message"_s, msg}, {u"done"_s, done}};
    };

    FakeChatStream out;
    out.contentType = "application/x-ndjson"_ba;
    // Real Ollama sends "content":"" beside "thinking" on reasoning lines.
    for (const QString &text : reasoning)
        out.steps.append(line(object(message(QString(), text), false)));
    for (const QString &text : content)
        out.steps.append(line(object(message(text), false)));
    out.failureStep = reasoning.size() + content.size() / 2;

    const auto evalCount = static_cast<int>(reasoning.size() + content.size());
    const double tokenMs = options.tokensPerSecond > 0 ? 1000.0 / options.tokensPerSecond : 0.0;
    const auto evalNs = static_cast<qint64>(tokenMs * evalCount * 1e6);
    const qint64 promptNs = options.ttft.count() * 1'000'000;
    QJsonObject last = object(message(QString()), true);
    last.insert(u"done_reason"_s, u"stop"_s);
    last.insert(u"total_duration"_s, promptNs + evalNs);
    last.insert(u"load_duration"_s, 0);
    last.insert(u"prompt_eval_count"_s, promptTokens);
    last.insert(u"prompt_eval_duration"_s, promptNs);
    last.insert(u"eval_count"_s, evalCount);
    last.insert(u"eval_duration"_s, evalNs);
    out.tail = line(last);

    QJsonObject whole = last;
    whole.insert(u"message"_s, message(content.join(QString()), reasoning.join(QString())));
    out.wholeBody = compactJson(whole);
    out.errorEvent = line(QJsonObject{{u"error"_s, u"an error was encountered while running the model: unexpected EOF"_s}});
    out.keepAlive = "\n"_ba;
    return out;
}

QByteArray FakeOllamaScript::tagsBody(const FakeLlmOptions &options)
{
    QJsonArray models;
    for (const QString &name : QStringList{options.model} + options.extraModels) {
        const QByteArray digest = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex();
        models.append(QJsonObject{
            {u"name"_s, name},
            {u"model"_s, name},
            {u"modified_at"_s, u"2025-01-01T00:00:00Z"_s},
            {u"size"_s, 1'000'000'000},
            {u"digest"_s, QString::fromLatin1(digest)},
            {u"details"_s, QJsonObject{{u"format"_s, u"gguf"_s}, {u"family"_s, u"fake"_s}, {u"parameter_size"_s, u"1B"_s},
                                        {u"quantization_level"_s, u"Q4_K_M"_s}}},
        });
    }
    return compactJson(QJsonObject{{u"models"_s, models}});
}

QByteArray FakeOllamaScript::errorBody(const QString &message)
{
    return compactJson(QJsonObject{{u"error"_s, message}});
}

} // namespace ragdesk::testing
