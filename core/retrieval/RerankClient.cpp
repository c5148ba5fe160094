#include "core/retrieval/RerankClient.h"

#include "core/llm/RequestLimiter.h"
#include "core/llm/ServerText.h"
#include "core/retrieval/JsonPostRequest.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

std::unexpected<Error> protocolError(QString message, const QJsonDocument &document)
{
    return std::unexpected(Error{Error::Kind::Protocol, std::move(message),
                                 ServerText::forDetail(document.toJson(QJsonDocument::Compact)), 0});
}

} // namespace

RerankClient::RerankClient(QNetworkAccessManager *network, RerankSettings settings)
    : RerankClient(network, settings, std::make_shared<RequestLimiter>(qMax(1, settings.maxConcurrent)))
{
}

RerankClient::RerankClient(QNetworkAccessManager *network, RerankSettings settings, std::shared_ptr<RequestLimiter> limiter)
    : m_network(network)
    , m_settings(std::move(settings))
    , m_limiter(std::move(limiter))
{
}

RerankClient::~RerankClient() = default;

QCoro::Task<Result<RerankScores>> RerankClient::rerank(QString query, QStringList documents, CancelToken cancel)
{
    return run(m_network, m_settings, m_limiter, std::move(query), std::move(documents), std::move(cancel));
}

QCoro::Task<Result<RerankScores>> RerankClient::run(QPointer<QNetworkAccessManager> network, RerankSettings settings,
                                                    std::shared_ptr<RequestLimiter> limiter, QString query,
                                                    QStringList documents, CancelToken cancel)
{
    if (!settings.baseUrl.isValid() || settings.baseUrl.scheme().isEmpty())
        co_return fail(Error::Kind::Configuration, u"No rerank server is configured. Enter its base URL in Settings."_s);
    if (settings.shape == RerankSettings::Shape::JinaCohere && settings.model.isEmpty())
        co_return fail(Error::Kind::Configuration, u"No rerank model is chosen. Enter the model name in Settings."_s);
    if (documents.isEmpty())
        co_return RerankScores{};

    JsonPostRequest request;
    request.url = joinUrl(settings.baseUrl, u"/rerank");
    request.apiKey = settings.apiKey;
    request.body = requestBody(settings, query, documents);
    request.purpose = u"Reranking"_s;
    request.timeout = settings.timeout;
    request.maxConnections = qMax(1, settings.maxConcurrent);

    Result<QJsonDocument> document = co_await postJson(network, std::move(request), RetryPolicy(settings.retry),
                                                       QPointer<RequestLimiter>(limiter.get()), cancel);
    if (!document)
        co_return std::unexpected(std::move(document.error()));
    Result<RerankScores> scores = parseResponse(*document, documents.size());
    if (!scores)
        scores.error().message = u"Reranking failed: "_s + scores.error().message;
    co_return scores;
}

QByteArray RerankClient::requestBody(const RerankSettings &settings, const QString &query, const QStringList &documents)
{
    QJsonObject body;
    if (settings.shape == RerankSettings::Shape::Tei) {
        body.insert(u"query"_s, query);
        body.insert(u"texts"_s, QJsonArray::fromStringList(documents));
        body.insert(u"raw_scores"_s, false);
    } else {
        body.insert(u"model"_s, settings.model);
        body.insert(u"query"_s, query);
        body.insert(u"documents"_s, QJsonArray::fromStringList(documents));
        body.insert(u"top_n"_s, settings.topN > 0 ? qMin<qsizetype>(settings.topN, documents.size()) : documents.size());
        // The texts are ours already; echoing them back only costs bandwidth.
        body.insert(u"return_documents"_s, false);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Result<RerankScores> RerankClient::parseResponse(const QJsonDocument &document, qsizetype documentCount)
{
    QJsonArray results;
    if (document.isArray()) {
        results = document.array();
    } else if (const QJsonValue value = document.object().value(u"results"_s); value.isArray()) {
        results = value.toArray();
    } else {
        return protocolError(
            u"the server's answer is neither a {\"results\": [...]} object (Jina, Cohere) nor a list of scores (TEI). Check the base URL and the rerank API setting."_s,
            document);
    }

    RerankScores scores(documentCount);
    for (const QJsonValue &entry : std::as_const(results)) {
        const QJsonObject object = entry.toObject();
        const QJsonValue indexValue = object.value(u"index"_s);
        const qint64 index = indexValue.isDouble() ? indexValue.toInteger(-1) : -1;
        if (index < 0 || index >= documentCount || scores[index]) {
            return protocolError(
                u"the server scored a document that was not sent (index %1 of %2 documents), or one twice."_s
                    .arg(indexValue.toVariant().toString())
                    .arg(documentCount),
                document);
        }
        QJsonValue scoreValue = object.value(u"relevance_score"_s);
        if (scoreValue.isUndefined())
            scoreValue = object.value(u"score"_s);
        const double score = scoreValue.toDouble(std::nan(""));
        if (!scoreValue.isDouble() || !std::isfinite(score))
            return protocolError(u"the server's score for document %1 is not a number."_s.arg(index + 1), document);
        scores[index] = score;
    }
    return scores;
}

} // namespace ragdesk
