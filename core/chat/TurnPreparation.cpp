#include "core/chat/TurnPreparation.h"

#include "core/chat/CitationResolver.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

PreparedTurn TurnPreparation::withoutDocuments(const Input &input)
{
    PreparedTurn turn;
    if (!input.assistant.systemPrompt.trimmed().isEmpty())
        turn.messages.append(ChatMessage{u"system"_s, input.assistant.systemPrompt.trimmed()});
    turn.messages.append(input.history);
    turn.messages.append(ChatMessage{u"user"_s, input.question});
    return turn;
}

PreparedTurn TurnPreparation::withSources(const Input &input, RetrievalRecord record)
{
    const Assistant &assistant = input.assistant;
    PreparedTurn turn;
    if (record.result.hits.isEmpty() && assistant.onEmpty == EmptyRetrieval::ReplyWithText) {
        record.repliedWithoutModel = true;
        turn.replyWithText = true;
        turn.record = std::move(record);
        return turn;
    }
    QElapsedTimer clock;
    clock.start();
    PromptInput prompt;
    prompt.systemPrompt = assistant.systemPrompt;
    prompt.citations = assistant.citations;
    prompt.sources = PromptSource::fromHits(record.result.hits);
    prompt.history = input.history;
    prompt.question = input.question;
    prompt.contextTokens = assistant.contextTokens;
    BuiltPrompt built = PromptBuilder::build(prompt);
    turn.messages = std::move(built.messages);
    turn.sources = CitationResolver::snapshots(built.report.sources, record.result.hits);
    record.prompt = std::move(built.report);
    record.promptMs = msSince(clock);
    turn.record = std::move(record);
    return turn;
}

QCoro::Task<Result<PreparedTurn>> TurnPreparation::prepare(Input input, ProviderHandle handle,
                                                           RetrieveFunction retrieve, CancelToken cancel)
{
    RetrievalRecord record;
    record.question = input.question;
    record.refinement.query = input.question;
    if (input.assistant.refineQuestion && !input.history.isEmpty())
        record.refinement = co_await QuestionRefiner::refine(handle, input.history, input.question, cancel);
    if (cancel.isCancelled())
        co_return fail(Error::Kind::Cancelled, u"Stopped."_s);

    QElapsedTimer clock;
    clock.start();
    auto found = co_await retrieve(record.refinement.query, input.assistant.retrievalOptions(), cancel);
    record.retrievalMs = msSince(clock);
    if (!found) {
        Error error = found.error();
        if (!error.isCancelled())
            error.message = u"Searching the documents failed: "_s + error.message + u" Try again, or chat without documents."_s;
        co_return std::unexpected(std::move(error));
    }
    record.result = std::move(*found);
    co_return withSources(input, std::move(record));
}

} // namespace ragdesk
