#include "core/chat/ShortCompletion.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ragdesk {

ChatRequest ShortCompletion::request(const QString &instructions, const QString &prompt, int maxTokens)
{
    ChatRequest request;
    request.messages = {ChatMessage{u"system"_s, instructions}, ChatMessage{u"user"_s, prompt}};
    request.temperature = 0.0;
    request.maxTokens = maxTokens;
    return request;
}

QString ShortCompletion::firstLine(const QString &reply)
{
    // Reasoning models may think aloud in tags first; only the text after counts.
    const qsizetype thinkEnd = reply.lastIndexOf(u"</think>"_s);
    const QString text = thinkEnd >= 0 ? reply.mid(thinkEnd + 8) : reply;
    for (const QString &line : text.split(u'\n')) {
        if (const QString trimmed = line.trimmed(); !trimmed.isEmpty())
            return trimmed;
    }
    return {};
}

QString ShortCompletion::replyLine(const QString &reply, const QString &label)
{
    // Built per call: these replies come once per turn at most.
    const QRegularExpression prefix(u"^(?:"_s + label + u")\\s*:\\s*"_s, QRegularExpression::CaseInsensitiveOption);
    QString line = firstLine(reply);
    line.remove(prefix);
    return unquoted(line);
}

QString ShortCompletion::unquoted(QString text)
{
    static const QString quotes = u"\"'`“”‘’«»"_s;
    text = text.trimmed();
    while (!text.isEmpty() && quotes.contains(text.front()))
        text.remove(0, 1);
    while (!text.isEmpty() && quotes.contains(text.back()))
        text.chop(1);
    return text.trimmed();
}

QCoro::Task<ShortCompletion::Outcome> ShortCompletion::run(ProviderHandle handle, ChatRequest request,
                                                           CancelToken cancel, std::chrono::milliseconds timeout)
{
    Outcome outcome{fail(Error::Kind::Configuration, u"No provider is set up."_s)};
    if (!handle.provider)
        co_return outcome;
    QElapsedTimer clock;
    clock.start();

    // Its own token: the timeout ends only this call, while the caller's cancel ends both.
    CancelToken own;
    const int subscription = cancel.onCancel([own]() mutable { own.cancel(); });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, [own]() mutable { own.cancel(); });
    timer.start(timeout);

    // One attempt: a retry countdown would cost more than the fallback each caller has.
    RetryPolicy::Settings once;
    once.maxAttempts = 1;
    ResilientStream call(handle, RetryPolicy(once));
    QString reply;
    std::optional<Error> failure;
    auto stream = call.run(std::move(request), own);
    auto it = co_await stream.begin();
    while (it != stream.end()) {
        const StreamChunk &chunk = *it;
        if (chunk.error) {
            failure = chunk.error;
            break;
        }
        reply += chunk.content;
        co_await ++it;
    }
    timer.stop();
    cancel.unsubscribe(subscription);
    outcome.ms = double(clock.nsecsElapsed()) / 1e6;

    if (failure) {
        outcome.timedOut = failure->isCancelled() && !cancel.isCancelled();
        if (outcome.timedOut)
            failure = Error(Error::Kind::Timeout, u"timed out after %1 ms"_s.arg(timeout.count()));
        outcome.reply = std::unexpected(*failure);
        co_return outcome;
    }
    outcome.reply = reply;
    co_return outcome;
}

} // namespace ragdesk
