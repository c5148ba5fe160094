#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/llm/ResilientStream.h"
#include "core/llm/RetryPolicy.h"
#include "core/retrieval/RetrievalTypes.h"
#include "core/storage/Assistant.h"
#include "core/storage/ConversationTypes.h"

#include <QCoroTask>
#include <QObject>

#include <functional>

namespace ragdesk {

/// An AI summary of a search's top passages: the assistant's model answers the query from the
/// assistant's top N hits, fenced and numbered as in a chat turn, streamed, with citations
/// resolved at the end. Nothing is saved. Lives on the UI thread; never blocks it.
class SearchSummary : public QObject
{
    Q_OBJECT
public:
    /// Opens the provider for a summary: (provider id, model), either empty for the default.
    using OpenProvider = std::function<QCoro::Task<Result<ProviderHandle>>(QString providerId, QString model)>;

    explicit SearchSummary(OpenProvider openProvider, RetryPolicy retryPolicy = {}, QObject *parent = nullptr);
    ~SearchSummary() override;

    /// Summarises @p result's first assistant.topN hits for @p query; a running summary is
    /// cancelled first. Fails at once (failed()) when there is nothing to summarise.
    void start(QString query, RetrievalResult result, Assistant assistant);
    /// Cancels the running summary; its partial text stays, marked stopped.
    void stop();
    /// Forgets the last summary (cancelling it if it still runs).
    void clear();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] bool isEmpty() const { return m_transcript.isEmpty(); }
    /// The summary as an assistant message: text, status, error, numbered sources, citations.
    [[nodiscard]] const MessageRecord &message() const;
    /// message() as a one-message list (empty before start()), the shape MessageView shows.
    [[nodiscard]] const QList<MessageRecord> &transcript() const { return m_transcript; }
    /// The query of the last start().
    [[nodiscard]] QString query() const { return m_query; }
    /// The model that answers: the assistant's, else the provider's default; empty until known.
    [[nodiscard]] QString model() const { return m_model; }
    /// How many passages went into the prompt.
    [[nodiscard]] int passageCount() const { return int(message().sources.size()); }

Q_SIGNALS:
    /// A new summary began (its message is empty and streaming).
    void started();
    /// The numbered sources are known, before any text streams.
    void sourcesReady();
    /// Text arrived. Cheap and frequent: views throttle their repaints.
    void textAppended();
    /// The summary ended: done or stopped (message().status tells which), or failed.
    void finished();
    /// The summary failed with @p message (also in message().errorText); finished() follows.
    void failed(const QString &message);
    /// The request waits for a slot or counts down to a retry; Reason::None when it goes on.
    void waitChanged(const ragdesk::StreamWait &wait);

private:
    QCoro::Task<> run(quint64 generation, QString query, RetrievalResult result, Assistant assistant,
        CancelToken cancel);
    /// Whether @p generation is still the summary on show.
    [[nodiscard]] bool current(quint64 generation) const { return generation == m_generation; }

    OpenProvider m_openProvider;
    RetryPolicy m_retryPolicy;
    QList<MessageRecord> m_transcript;
    QString m_query;
    QString m_model;
    CancelToken m_cancel;
    /// Bumped by every start() and clear(); an older run's late text is dropped.
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace ragdesk
