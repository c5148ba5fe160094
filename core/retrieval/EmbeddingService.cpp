#include "core/retrieval/EmbeddingService.h"

#include "core/llm/RequestLimiter.h"

#include <QPointer>

namespace ragdesk {

namespace {
constexpr std::chrono::milliseconds queryTimeout{5000};
} // namespace

EmbeddingService::EmbeddingService(QNetworkAccessManager *network, SettingsFor settingsFor, int maxConcurrent)
    : m_network(network)
    , m_settingsFor(std::move(settingsFor))
    , m_limiter(std::make_shared<RequestLimiter>(maxConcurrent))
    , m_queries(std::make_shared<QCache<QString, QList<float>>>(64))
{
}

EmbeddingService::~EmbeddingService() = default;

QCoro::Task<Result<Embeddings>> EmbeddingService::embed(QString model, QStringList texts, CancelToken cancel)
{
    // The client keeps what a running call needs in its own frame, so a client per call is fine.
    EmbeddingClient client(m_network, m_settingsFor(model), m_limiter);
    co_return co_await client.embed(std::move(texts), std::move(cancel));
}

QCoro::Task<Result<QList<float>>> EmbeddingService::embedQuery(QString model, QString query, CancelToken cancel)
{
    const QString key = model + QChar(u'\x1f') + query;
    const auto cache = m_queries;
    if (const QList<float> *cached = cache->object(key))
        co_return *cached;
    // A search waits for this while the user types: a dead or slow server must cost a moment,
    // not the retry schedule the backfill can afford. The keyword results do not wait for it.
    EmbeddingSettings settings = m_settingsFor(model);
    settings.retry.maxAttempts = 1;
    settings.timeout = std::min(settings.timeout, queryTimeout);
    EmbeddingClient client(m_network, settings, m_limiter);
    auto vector = co_await client.embedQuery(query, std::move(cancel));
    if (vector)
        cache->insert(key, new QList<float>(*vector));
    co_return vector;
}

} // namespace ragdesk
