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
#include <optional>

class QNetworkAccessManager;

namespace ragdesk {

class RequestLimiter;

/// Where and how to ask a remote reranker.
struct RerankSettings {
    enum class Shape {
        JinaCohere, ///< {"model","query","documents","top_n"} -> {"results":[{"index","relevance_score"}]}
        Tei,        ///< Hugging Face text-embeddings-inference: {"query","texts"} -> [{"index","score"}]
    };
    Shape shape = Shape::JinaCohere;
    QUrl baseUrl; ///< posts to {base}/rerank: https://api.jina.ai/v1, http://localhost:8080
    QString apiKey; ///< never persisted; empty sends no Authorization header
    QString model;  ///< required for JinaCohere, ignored by TEI
    int topN = 0;   ///< asks for only the best N scores; 0 asks for all
    int maxConcurrent = 2;
    std::chrono::milliseconds timeout{std::chrono::seconds(60)}; ///< per request attempt
    RetryPolicy::Settings retry;
};

/// Relevance of each document to the query, aligned to the input documents; nullopt for a
/// document the server did not score (cut by top_n).
using RerankScores = QList<std::optional<double>>;

/// Scores documents against a query through a remote rerank endpoint, with the same retries and
/// error texts as EmbeddingClient. Lives on the UI thread; a running rerank() keeps what it needs
/// in its own frame, so destroying the client meanwhile is safe.
class RerankClient
{
public:
    RerankClient(QNetworkAccessManager *network, RerankSettings settings);
    RerankClient(QNetworkAccessManager *network, RerankSettings settings, std::shared_ptr<RequestLimiter> limiter);
    ~RerankClient();
    RerankClient(const RerankClient &) = delete;
    RerankClient &operator=(const RerankClient &) = delete;

    [[nodiscard]] const RerankSettings &settings() const { return m_settings; }

    /// One score per document (higher is more relevant), or an Error a person can act on.
    QCoro::Task<Result<RerankScores>> rerank(QString query, QStringList documents, CancelToken cancel = {});

    [[nodiscard]] static QByteArray requestBody(const RerankSettings &settings, const QString &query,
                                                const QStringList &documents);
    /// Accepts both answer shapes whatever was asked: {"results":[...]} with "relevance_score"
    /// (Jina, Cohere) and a bare array with "score" (TEI). Indexes must be in range and unique.
    [[nodiscard]] static Result<RerankScores> parseResponse(const QJsonDocument &document, qsizetype documentCount);

private:
    static QCoro::Task<Result<RerankScores>> run(QPointer<QNetworkAccessManager> network, RerankSettings settings,
                                                 std::shared_ptr<RequestLimiter> limiter, QString query,
                                                 QStringList documents, CancelToken cancel);

    QPointer<QNetworkAccessManager> m_network;
    RerankSettings m_settings;
    std::shared_ptr<RequestLimiter> m_limiter;
};

} // namespace ragdesk
