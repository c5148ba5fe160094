#include "core/chat/QuestionRefiner.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString instructions =
    u"You rewrite the user's last question into a standalone search query for a document search engine. "
    "Resolve pronouns and references using the conversation, keep names, numbers and technical terms, and "
    "do not answer the question. Reply with the query only, on one line, without quotes or explanations."_s;

QString clipped(const QString &text)
{
    if (text.size() <= QuestionRefiner::kMaxMessageChars)
        return text;
    return text.left(QuestionRefiner::kMaxMessageChars) + u"…"_s;
}

} // namespace

ChatRequest QuestionRefiner::request(const QList<ChatMessage> &history, const QString &question)
{
    // The conversation goes in as quoted text, not as chat turns: as turns, many models would
    // simply continue the conversation and answer instead of rewriting.
    QString conversation;
    const qsizetype first = std::max<qsizetype>(0, history.size() - kMaxHistoryMessages);
    for (qsizetype i = first; i < history.size(); ++i) {
        const ChatMessage &message = history.at(i);
        if (message.role == u"system")
            continue;
        conversation += message.role + u": "_s + clipped(message.content.simplified()) + u'\n';
    }
    ChatRequest request;
    request.messages = {
        ChatMessage{u"system"_s, instructions},
        ChatMessage{u"user"_s, u"Conversation:\n"_s + conversation + u"\nLast question: "_s + question.simplified()
                                   + u"\n\nStandalone search query:"_s},
    };
    request.temperature = 0.0; // the same follow-up should search the same way every time
    request.maxTokens = kMaxTokens;
    return request;
}

QString QuestionRefiner::queryFrom(const QString &reply)
{
    static const QRegularExpression label(u"^(?:standalone\\s+)?(?:search\\s+)?query\\s*:\\s*"_s,
                                          QRegularExpression::CaseInsensitiveOption);
    QString query;
    // Reasoning models may think aloud in tags before the query; only the text after counts.
    const qsizetype thinkEnd = reply.lastIndexOf(u"</think>"_s);
    const QString text = thinkEnd >= 0 ? reply.mid(thinkEnd + 8) : reply;
    for (const QString &line : text.split(u'\n')) {
        query = line.trimmed();
        if (!query.isEmpty())
            break;
    }
    query.remove(label);
    static const QString quotes = u"\"'`“”‘’«»"_s;
    while (!query.isEmpty() && quotes.contains(query.front()))
        query.remove(0, 1);
    while (!query.isEmpty() && quotes.contains(query.back()))
        query.chop(1);
    query = query.trimmed();
    if (query.size() > kMaxQueryChars)
        return {};
    return query;
}

QCoro::Task<Refinement> QuestionRefiner::refine(ProviderHandle handle, QList<ChatMessage> history, QString question,
                                                CancelToken cancel, std::chrono::milliseconds timeout)
{
    Refinement result;
    result.query = question;
    if (!handle.provider) {
        result.note = u"no provider"_s;
        co_return result;
    }
    QElapsedTimer clock;
    clock.start();

    // Its own token: the timeout ends only this call, while the turn's cancel ends both.
    CancelToken own;
    const int subscription = cancel.onCancel([own]() mutable { own.cancel(); });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, [own]() mutable { own.cancel(); });
    timer.start(timeout);

    // One attempt: a retry countdown would cost more than searching the question as typed.
    RetryPolicy::Settings once;
    once.maxAttempts = 1;
    ResilientStream call(handle, RetryPolicy(once));
    QString reply;
    std::optional<Error> failure;
    auto stream = call.run(request(history, question), own);
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
    result.ms = double(clock.nsecsElapsed()) / 1e6;

    if (failure) {
        const bool timedOut = failure->isCancelled() && !cancel.isCancelled();
        result.note = timedOut ? u"timed out after %1 ms"_s.arg(timeout.count()) : failure->message;
        co_return result;
    }
    const QString query = queryFrom(reply);
    if (query.isEmpty()) {
        result.note = u"the reply was no usable query"_s;
        co_return result;
    }
    result.query = query;
    result.refined = true;
    co_return result;
}

} // namespace ragdesk
