#include "core/chat/SearchSummary.h"

#include "core/chat/CitationResolver.h"
#include "core/chat/TurnPreparation.h"
#include "core/foundation/Detach.h"
#include "core/llm/ChatProvider.h"

#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const MessageRecord &noMessage()
{
    static const MessageRecord empty;
    return empty;
}

/// The user asks for a summary of what they see: the list's order is the ranking.
RetrievalResult topHits(RetrievalResult result, int topN)
{
    if (topN > 0 && result.hits.size() > topN)
        result.hits.resize(topN);
    return result;
}

} // namespace

SearchSummary::SearchSummary(OpenProvider openProvider, RetryPolicy retryPolicy, QObject *parent)
    : QObject(parent)
    , m_openProvider(std::move(openProvider))
    , m_retryPolicy(std::move(retryPolicy))
{
}

SearchSummary::~SearchSummary()
{
    // The run resumes synchronously with a cancellation and finds this object gone.
    ++m_generation;
    m_cancel.cancel();
}

const MessageRecord &SearchSummary::message() const
{
    return m_transcript.isEmpty() ? noMessage() : m_transcript.constFirst();
}

void SearchSummary::start(QString query, RetrievalResult result, Assistant assistant)
{
    m_cancel.cancel();
    m_cancel = CancelToken();
    const quint64 generation = ++m_generation;
    m_query = query;
    m_model = assistant.model;
    MessageRecord pending;
    pending.role = u"assistant"_s;
    pending.status = MessageStatus::Streaming;
    m_transcript = { pending };
    m_running = true;
    Q_EMIT started();
    detach(run(generation, std::move(query), topHits(std::move(result), assistant.topN), std::move(assistant), m_cancel),
        "SearchSummary::run");
}

void SearchSummary::stop()
{
    m_cancel.cancel();
}

void SearchSummary::clear()
{
    const bool wasRunning = m_running;
    ++m_generation;
    m_cancel.cancel();
    m_transcript.clear();
    m_query.clear();
    m_model.clear();
    m_running = false;
    if (wasRunning)
        Q_EMIT finished();
}

QCoro::Task<> SearchSummary::run(
    quint64 generation, QString query, RetrievalResult result, Assistant assistant, CancelToken cancel)
{
    QPointer<SearchSummary> self(this);
    // Every resumption asks again: the tab may be gone, or a newer summary may have replaced this one.
    const auto live = [&] { return self && self->current(generation); };
    const OpenProvider openProvider = m_openProvider;
    const RetryPolicy policy = m_retryPolicy;
    std::optional<Error> failure;

    if (result.hits.isEmpty())
        failure = Error { Error::Kind::Configuration, tr("There are no passages to summarise. Search first."), {} };
    else if (!openProvider)
        failure = Error { Error::Kind::Configuration, tr("No model is set up. Add a provider in Settings."), {} };

    std::optional<ProviderHandle> handle;
    if (!failure) {
        auto opened = co_await openProvider(assistant.providerId, assistant.model);
        if (!live())
            co_return;
        if (opened)
            handle = std::move(*opened);
        else
            failure = opened.error();
    }
    if (handle && m_model.isEmpty() && handle->provider)
        m_model = handle->provider->settings().model;

    if (handle) {
        RetrievalRecord record;
        record.question = query;
        record.refinement.query = query;
        record.result = std::move(result);
        PreparedTurn prepared = TurnPreparation::withSources({ assistant, {}, query }, std::move(record));
        m_transcript.first().sources = prepared.sources;
        Q_EMIT sourcesReady();

        // Owned by this frame: it must live exactly as long as the stream it runs.
        auto request = std::make_unique<ResilientStream>(*handle, policy);
        connect(request.get(), &ResilientStream::waiting, this, &SearchSummary::waitChanged);
        ChatRequest chat;
        chat.messages = std::move(prepared.messages);
        chat.temperature = assistant.temperature;
        auto stream = request->run(std::move(chat), cancel);
        auto it = co_await stream.begin();
        while (it != stream.end()) {
            if (!live())
                co_return;
            StreamChunk &chunk = *it;
            if (chunk.error) {
                failure = std::move(chunk.error);
                break;
            }
            if (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty()) {
                m_transcript.first().content += chunk.content;
                m_transcript.first().reasoning += chunk.reasoning;
                Q_EMIT textAppended();
            }
            co_await ++it;
        }
        if (!live())
            co_return;
    }

    MessageRecord &message = m_transcript.first();
    if (!failure) {
        message.status = MessageStatus::Done;
    } else if (failure->isCancelled()) {
        message.status = MessageStatus::Stopped;
    } else {
        message.status = MessageStatus::Error;
        message.errorText = failure->message;
    }
    if (!message.sources.isEmpty())
        message.citations = CitationResolver::markers(message.content, message.sources, assistant.citations);
    m_running = false;
    if (message.status == MessageStatus::Error)
        Q_EMIT failed(message.errorText);
    Q_EMIT finished();
}

} // namespace ragdesk
