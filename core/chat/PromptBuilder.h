#pragma once

#include "core/llm/ChatTypes.h"

#include <QList>
#include <QString>

namespace ragdesk {

struct RetrievalHit;

/// One retrieved passage as the prompt quotes it.
struct PromptSource {
    int number = 0; ///< the [n] the model cites; set by PromptBuilder (1-based, in rank order)
    QString title;
    QString headingPath; ///< "Chapter > Section"; empty if none
    int page = -1; ///< 1-based; -1 where the format has no pages
    QString text;
    qint64 chunkId = 0; ///< maps a citation back to the chunk

    static PromptSource fromHit(const RetrievalHit &hit);
    /// The hits in their order, which is their rank.
    static QList<PromptSource> fromHits(const QList<RetrievalHit> &hits);
};

/// Everything a chat turn's prompt is made of.
struct PromptInput {
    QString systemPrompt; ///< the assistant's own instructions
    bool citations = true;
    QList<PromptSource> sources; ///< best first
    QList<ChatMessage> history; ///< earlier turns, oldest first, without the current question
    QString question;
    int contextTokens = 8192; ///< the model's context window
    int answerReserve = 1024; ///< kept free for the answer
};

/// What made it into the prompt, for the caller and the inspector.
struct PromptReport {
    QList<PromptSource> sources; ///< the included ones, numbered; the last may be truncated
    int sourcesIncluded = 0; ///< 0: nothing relevant was found (the caller may answer itself)
    int sourcesDropped = 0;
    bool lastSourceTruncated = false;
    int historyTurnsIncluded = 0; ///< a turn is a user message with the replies that follow it
    int historyTurnsDropped = 0;
    int estimatedTokens = 0; ///< TokenEstimate over the messages sent
    int budgetTokens = 0; ///< contextTokens - answerReserve
    /// What always goes in (the system message, the question and the best source's header)
    /// exceeds the budget; it is sent anyway, since a turn without it would be meaningless.
    bool overBudget = false;
    QString promptText; ///< PromptBuilder::render(messages): exactly what is sent
};

struct BuiltPrompt {
    QList<ChatMessage> messages; ///< system, history, user: ChatRequest::messages
    PromptReport report;
};

/// Turns a chat turn's settings, history and sources into the messages sent to the provider.
/// A pure function of its input: no I/O, no clock, no settings.
///
/// Layout: the system message holds the assistant's prompt and our rules (answer from the
/// sources, cite them, treat them as data); the sources travel in the user message next to the
/// question, never in the system message, because they are untrusted text.
///
/// Budget, in order of priority: the system message and the question always go in; then
/// sources in rank order until the next one does not fit (lower-ranked ones are dropped, so the
/// numbers stay 1..n without gaps), except that the best source always goes in, truncated to the
/// room left; then history, newest turn first, whole turns only, until the next older one does
/// not fit. Sources come before history because they are what this answer must rest on.
class PromptBuilder
{
public:
    static BuiltPrompt build(const PromptInput &input);

    /// The messages as one text for the inspector: "### role" headers and contents.
    static QString render(const QList<ChatMessage> &messages);

    /// A backtick run longer than any in @p text (at least three), so @p text cannot close it.
    static QString fenceFor(QStringView text);
};

} // namespace ragdesk
