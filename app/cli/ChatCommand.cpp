#include "app/cli/ChatCommand.h"

#include "app/cli/CliOutput.h"
#include "core/llm/ChatProvider.h"
#include "core/llm/ChatProviderFactory.h"
#include "core/llm/ResilientStream.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

QString describeWait(const StreamWait &wait)
{
    if (wait.reason == StreamWait::Reason::QueuedForSlot)
        return u"waiting for a free slot (%1 ahead)"_s.arg(wait.ahead);
    return wait.why;
}

} // namespace

void ChatCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption({u"api"_s, u"chat: the API of --base-url: openai (default), ollama or anthropic."_s, u"KIND"_s});
}

QCoro::Task<int> ChatCommand::run(CliContext context)
{
    const QStringList args = context.parser->positionalArguments().mid(1);
    const QString question = args.join(u' ').trimmed();
    if (question.isEmpty()) {
        err() << "usage: ragdesk-cli chat [--provider NAME] [--api openai|ollama|anthropic] [--base-url URL] [--model M] [--json] QUESTION" << Qt::endl;
        co_return 2;
    }

    QNetworkAccessManager network;
    ResilientStream request({makeChatProvider(&network, context.provider), {}}, RetryPolicy());
    QObject::connect(&request, &ResilientStream::waiting, [](const StreamWait &wait) {
        if (wait.reason != StreamWait::Reason::None)
            err() << "ragdesk-cli: " << describeWait(wait) << Qt::endl;
    });

    ChatRequest chat; // the provider's own settings name the model
    chat.messages = {{u"user"_s, question}};
    QElapsedTimer clock;
    clock.start();
    QTextStream out(stdout);
    QString answer;
    QString reasoning;
    QString finishReason;
    std::optional<TokenUsage> usage;
    std::optional<Error> failure;
    double ttftMs = -1;
    auto stream = request.run(std::move(chat), CancelToken());
    auto it = co_await stream.begin();
    while (it != stream.end()) {
        StreamChunk &chunk = *it;
        if (chunk.error) {
            failure = std::move(chunk.error);
            break;
        }
        if (ttftMs < 0 && (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty()))
            ttftMs = double(clock.nsecsElapsed()) / 1e6;
        answer += chunk.content;
        reasoning += chunk.reasoning;
        if (!context.json && !chunk.content.isEmpty())
            out << chunk.content << Qt::flush;
        if (!chunk.finishReason.isEmpty())
            finishReason = chunk.finishReason;
        if (chunk.usage)
            usage = chunk.usage;
        co_await ++it;
    }
    const double totalMs = double(clock.nsecsElapsed()) / 1e6;
    if (!context.json && !answer.isEmpty())
        out << '\n';
    if (context.json) {
        QJsonObject metrics{{u"ttft_ms"_s, ttftMs}, {u"total_ms"_s, totalMs}};
        if (usage) {
            metrics.insert(u"prompt_tokens"_s, usage->promptTokens);
            metrics.insert(u"completion_tokens"_s, usage->completionTokens);
        }
        QJsonObject result{{u"answer"_s, answer}, {u"reasoning"_s, reasoning}, {u"finish_reason"_s, finishReason},
                           {u"metrics"_s, metrics}};
        if (failure)
            result.insert(u"error"_s, failure->message);
        out << QJsonDocument(result).toJson(QJsonDocument::Compact) << '\n';
    }
    out.flush();
    if (failure)
        co_return report(*failure);
    co_return 0;
}

} // namespace ragdesk::cli
