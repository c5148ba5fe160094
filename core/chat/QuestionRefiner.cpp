#include "core/chat/QuestionRefiner.h"

#include "core/chat/ShortCompletion.h"


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
    return ShortCompletion::request(instructions,
                                    u"Conversation:\n"_s + conversation + u"\nLast question: "_s
                                        + question.simplified() + u"\n\nStandalone search query:"_s,
                                    kMaxTokens);
}

QString QuestionRefiner::queryFrom(const QString &reply)
{
    const QString query = ShortCompletion::replyLine(reply, u"(?:standalone\\s+)?(?:search\\s+)?query"_s);
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
    const ShortCompletion::Outcome outcome =
        co_await ShortCompletion::run(std::move(handle), request(history, question), std::move(cancel), timeout);
    result.ms = outcome.ms;
    if (!outcome.reply) {
        result.note = outcome.reply.error().message;
        co_return result;
    }
    const QString query = queryFrom(*outcome.reply);
    if (query.isEmpty()) {
        result.note = u"the reply was no usable query"_s;
        co_return result;
    }
    result.query = query;
    result.refined = true;
    co_return result;
}

} // namespace ragdesk
