#include "core/chat/ConversationTitle.h"

#include "core/chat/ShortCompletion.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString instructions =
    u"You name conversations. Reply with a short title of three to six words for the conversation below, "
    "in the language of the question, without quotes, without a trailing period and without explanations."_s;

QString excerpt(const QString &text)
{
    const QString simple = text.simplified();
    if (simple.size() <= ConversationTitle::kMaxExcerptChars)
        return simple;
    return simple.left(ConversationTitle::kMaxExcerptChars) + u"…"_s;
}

/// @p text cut to kMaxChars, at a word boundary when one is not too far back.
QString capped(QString text)
{
    constexpr int max = ConversationTitle::kMaxChars;
    if (text.size() <= max)
        return text;
    text.truncate(max);
    const auto space = text.lastIndexOf(u' ');
    if (space > max / 2)
        text.truncate(space);
    return text + u"…"_s;
}

} // namespace

QString ConversationTitle::fromQuestion(const QString &question)
{
    const QString title = capped(question.simplified());
    return title.isEmpty() ? u"New chat"_s : title;
}

ChatRequest ConversationTitle::request(const QString &question, const QString &answer)
{
    // The exchange goes in as quoted text: as chat turns, a model would answer it instead.
    return ShortCompletion::request(instructions,
                                    u"Question: "_s + excerpt(question) + u"\n\nAnswer: "_s + excerpt(answer)
                                        + u"\n\nConversation title:"_s,
                                    kMaxTokens);
}

QString ConversationTitle::fromReply(const QString &reply)
{
    QString title = ShortCompletion::replyLine(reply, u"(?:conversation\\s+)?title"_s);
    // Markdown emphasis and heading marks are decoration, not part of a title.
    static const QRegularExpression decoration(u"^[#*_\\s]+|[*_\\s]+$"_s);
    title.remove(decoration);
    title = ShortCompletion::unquoted(title);
    static const QString trailing = u".,;:!-–—…"_s;
    while (!title.isEmpty() && trailing.contains(title.back()))
        title.chop(1);
    title = ShortCompletion::unquoted(title); // "“Glaciers”." has its quote inside the period
    return capped(title.simplified());
}

QCoro::Task<QString> ConversationTitle::suggest(ProviderHandle handle, QString question, QString answer,
                                                CancelToken cancel, std::chrono::milliseconds timeout)
{
    const ShortCompletion::Outcome outcome =
        co_await ShortCompletion::run(std::move(handle), request(question, answer), std::move(cancel), timeout);
    co_return outcome.reply ? fromReply(*outcome.reply) : QString();
}

} // namespace ragdesk
