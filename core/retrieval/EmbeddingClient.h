#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/llm/RetryPolicy.h"

#include <QCoroTask>
#include <QJsonDocument>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;

namespace ragdesk {

class RequestLimiter;

/// One embedding vector per input text.
using Embeddings = QList<QList<float>>;

/// Where and how to fetch embeddings.
struct EmbeddingSettings {
    enum class Api {
        OpenAi, ///< POST {base}/embeddings; base is e.g. http://localhost:8080/v1
        Ollama, ///< POST {base}/api/embed; base is e.g. http://localhost:11434
    };
    Api api = Api::OpenAi;
    QUrl baseUrl;
    QString apiKey; ///< never persisted; empty sends no Authorization header
    QString model;
    int dimensions = 0;  ///< asks the server for this many dimensions; 0 leaves it to the model
    int batchSize = 64;  ///< inputs per request
    int maxConcurrent = 2; ///< requests in flight at once
    std::chrono::milliseconds timeout{std::chrono::seconds(120)}; ///< per request attempt
    RetryPolicy::Settings retry;
};

/// Fetches embedding vectors from an OpenAI-compatible or Ollama server: splits the texts into
/// batches, runs up to maxConcurrent batches at once, retries transient failures and returns
/// the vectors in input order. Lives on the UI thread with the QNetworkAccessManager it is
/// given; calls may overlap and share the concurrency cap.
///
/// A running embed() keeps what it needs in its own frame, so destroying the client while it
/// runs is safe (the call finishes). The QNetworkAccessManager must outlive running calls, as
/// for every provider: it owns the replies.
class EmbeddingClient
{
public:
    EmbeddingClient(QNetworkAccessManager *network, EmbeddingSettings settings);
    /// Shares @p limiter (e.g. the provider's) instead of a cap of its own.
    EmbeddingClient(QNetworkAccessManager *network, EmbeddingSettings settings, std::shared_ptr<RequestLimiter> limiter);
    ~EmbeddingClient();
    EmbeddingClient(const EmbeddingClient &) = delete;
    EmbeddingClient &operator=(const EmbeddingClient &) = delete;

    [[nodiscard]] const EmbeddingSettings &settings() const { return m_settings; }

    /// One vector per text, in order, all of the same dimension. Fails as a whole if any batch
    /// fails; the other batches are then cancelled.
    QCoro::Task<Result<Embeddings>> embed(QStringList texts, CancelToken cancel = {});
    /// The vector of a single query text.
    QCoro::Task<Result<QList<float>>> embedQuery(QString text, CancelToken cancel = {});

    /// Request body for one batch, as @p settings' API expects it.
    [[nodiscard]] static QByteArray requestBody(const EmbeddingSettings &settings, const QStringList &texts);
    /// Parses a response to a batch of @p expectedCount texts: the OpenAI shape (sorted by
    /// "index") or the Ollama shape. Checks the count, that every value is a number and that all
    /// vectors have the same dimension.
    [[nodiscard]] static Result<Embeddings> parseResponse(EmbeddingSettings::Api api, const QJsonDocument &document,
                                                          qsizetype expectedCount);

private:
    static QCoro::Task<Result<Embeddings>> run(QPointer<QNetworkAccessManager> network, EmbeddingSettings settings,
                                               std::shared_ptr<RequestLimiter> limiter, QStringList texts,
                                               CancelToken cancel);
    static QCoro::Task<Result<Embeddings>> runBatch(QPointer<QNetworkAccessManager> network, EmbeddingSettings settings,
                                                    std::shared_ptr<RequestLimiter> limiter, QStringList texts,
                                                    CancelToken cancel);

    QPointer<QNetworkAccessManager> m_network;
    EmbeddingSettings m_settings;
    std::shared_ptr<RequestLimiter> m_limiter;
};

} // namespace ragdesk
