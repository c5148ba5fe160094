#include "core/retrieval/EmbeddingClient.h"

#include "core/llm/NetworkErrorText.h"
#include "core/llm/RequestLimiter.h"
#include "core/llm/ServerText.h"
#include "core/retrieval/JsonPostRequest.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Error protocolError(QString message, const QJsonDocument &document)
{
    return {Error::Kind::Protocol, std::move(message),
            ServerText::forDetail(document.toJson(QJsonDocument::Compact)), 0};
}

/// One vector from a JSON array; every element must be a finite number.
Result<QList<float>> toVector(const QJsonValue &value, qsizetype position, const QJsonDocument &document)
{
    if (!value.isArray()) {
        return std::unexpected(protocolError(
            u"The server's embedding #%1 is not a list of numbers. Is the model an embedding model?"_s.arg(position + 1), document));
    }
    const QJsonArray array = value.toArray();
    QList<float> vector;
    vector.reserve(array.size());
    for (const QJsonValue &element : array) {
        const double number = element.toDouble(std::nan(""));
        if (!element.isDouble() || !std::isfinite(number)) {
            return std::unexpected(protocolError(
                u"The server's embedding #%1 contains a value that is not a number. Is the model an embedding model?"_s.arg(position + 1),
                document));
        }
        vector.append(static_cast<float>(number));
    }
    if (vector.isEmpty()) {
        return std::unexpected(protocolError(
            u"The server returned an empty embedding (#%1). Is the model an embedding model?"_s.arg(position + 1), document));
    }
    return vector;
}

Error configurationError(QString message)
{
    return {Error::Kind::Configuration, std::move(message), {}, 0};
}

} // namespace

EmbeddingClient::EmbeddingClient(QNetworkAccessManager *network, EmbeddingSettings settings)
    : EmbeddingClient(network, settings, std::make_shared<RequestLimiter>(qMax(1, settings.maxConcurrent)))
{
}

EmbeddingClient::EmbeddingClient(QNetworkAccessManager *network, EmbeddingSettings settings,
                                 std::shared_ptr<RequestLimiter> limiter)
    : m_network(network)
    , m_settings(std::move(settings))
    , m_limiter(std::move(limiter))
{
}

EmbeddingClient::~EmbeddingClient() = default;

QCoro::Task<Result<Embeddings>> EmbeddingClient::embed(QStringList texts, CancelToken cancel)
{
    return run(m_network, m_settings, m_limiter, std::move(texts), std::move(cancel));
}

QCoro::Task<Result<QList<float>>> EmbeddingClient::embedQuery(QString text, CancelToken cancel)
{
    Result<Embeddings> vectors = co_await run(m_network, m_settings, m_limiter, QStringList{std::move(text)}, std::move(cancel));
    if (!vectors)
        co_return std::unexpected(std::move(vectors.error()));
    co_return std::move(vectors->front());
}

QCoro::Task<Result<Embeddings>> EmbeddingClient::run(QPointer<QNetworkAccessManager> network, EmbeddingSettings settings,
                                                     std::shared_ptr<RequestLimiter> limiter, QStringList texts,
                                                     CancelToken cancel)
{
    if (!settings.baseUrl.isValid() || settings.baseUrl.scheme().isEmpty())
        co_return std::unexpected(configurationError(u"No embedding server is configured. Enter its base URL in Settings."_s));
    if (settings.model.isEmpty())
        co_return std::unexpected(configurationError(u"No embedding model is chosen. Enter the model name in Settings."_s));
    if (texts.isEmpty())
        co_return Embeddings{};

    // One failed batch fails the call, so the others are stopped through a token of our own
    // that the caller's token also triggers.
    CancelToken batches;
    const int forward = cancel.onCancel([batches]() mutable { batches.cancel(); });

    const qsizetype batchSize = qMax(1, settings.batchSize);
    // Tasks start at once and queue on the limiter, so up to maxConcurrent run together.
    std::vector<QCoro::Task<Result<Embeddings>>> running;
    running.reserve(static_cast<size_t>((texts.size() + batchSize - 1) / batchSize));
    for (qsizetype start = 0; start < texts.size(); start += batchSize)
        running.push_back(runBatch(network, settings, limiter, texts.mid(start, batchSize), batches));

    Embeddings all;
    all.reserve(texts.size());
    std::optional<Error> firstError;
    for (auto &task : running) {
        Result<Embeddings> batch = co_await std::move(task);
        if (firstError)
            continue; // drained only so no frame outlives this one
        if (!batch) {
            firstError = std::move(batch.error());
            batches.cancel();
            continue;
        }
        for (QList<float> &vector : *batch)
            all.append(std::move(vector));
    }
    cancel.unsubscribe(forward);
    if (cancel.isCancelled())
        co_return fail(Error::Kind::Cancelled, u"Stopped."_s);
    if (firstError)
        co_return std::unexpected(std::move(*firstError));

    // Each batch is consistent on its own; batches may still disagree if the server switched models.
    const qsizetype dimension = all.front().size();
    for (const QList<float> &vector : std::as_const(all)) {
        if (vector.size() != dimension) {
            co_return fail(Error::Kind::Protocol,
                           u"Computing embeddings failed: the server returned vectors of different sizes (%1 and %2). Did the model change while indexing?"_s
                               .arg(dimension)
                               .arg(vector.size()));
        }
    }
    co_return all;
}

QCoro::Task<Result<Embeddings>> EmbeddingClient::runBatch(QPointer<QNetworkAccessManager> network,
                                                          EmbeddingSettings settings,
                                                          std::shared_ptr<RequestLimiter> limiter, QStringList texts,
                                                          CancelToken cancel)
{
    JsonPostRequest request;
    const bool ollama = settings.api == EmbeddingSettings::Api::Ollama;
    request.url = joinUrl(settings.baseUrl, ollama ? u"/api/embed" : u"/embeddings");
    request.apiKey = settings.apiKey;
    request.body = requestBody(settings, texts);
    request.purpose = u"Computing embeddings"_s;
    request.timeout = settings.timeout;
    request.maxConnections = qMax(1, settings.maxConcurrent);

    // The shared_ptr in this frame keeps the limiter alive however long the request runs.
    Result<QJsonDocument> document = co_await postJson(network, std::move(request), RetryPolicy(settings.retry),
                                                       QPointer<RequestLimiter>(limiter.get()), cancel);
    if (!document) {
        Error error = std::move(document.error());
        // The shared 404 hint is about OpenAI-style URLs; Ollama's native API has no /v1.
        if (ollama && error.httpStatus == 404) {
            error.message.replace(hintForHttpStatus(404),
                                  u"Check the model name (is it pulled? `ollama pull MODEL`) and that the base URL does not end in /v1."_s);
        }
        co_return std::unexpected(std::move(error));
    }
    Result<Embeddings> parsed = parseResponse(settings.api, *document, texts.size());
    if (!parsed)
        parsed.error().message = u"Computing embeddings failed: "_s + parsed.error().message;
    co_return parsed;
}

QByteArray EmbeddingClient::requestBody(const EmbeddingSettings &settings, const QStringList &texts)
{
    QJsonObject body{
        {u"model"_s, settings.model},
        {u"input"_s, QJsonArray::fromStringList(texts)},
    };
    if (settings.api == EmbeddingSettings::Api::OpenAi)
        body.insert(u"encoding_format"_s, u"float"_s);
    if (settings.dimensions > 0)
        body.insert(u"dimensions"_s, settings.dimensions);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Result<Embeddings> EmbeddingClient::parseResponse(EmbeddingSettings::Api api, const QJsonDocument &document,
                                                  qsizetype expectedCount)
{
    const QJsonObject object = document.object();
    Embeddings vectors;
    if (api == EmbeddingSettings::Api::Ollama) {
        const QJsonValue embeddings = object.value(u"embeddings"_s);
        if (!embeddings.isArray()) {
            return std::unexpected(protocolError(
                u"The server's answer has no \"embeddings\" list. Is this an Ollama server (base URL without /v1)?"_s, document));
        }
        const QJsonArray array = embeddings.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            Result<QList<float>> vector = toVector(array.at(i), i, document);
            if (!vector)
                return std::unexpected(std::move(vector.error()));
            vectors.append(std::move(*vector));
        }
    } else {
        const QJsonValue data = object.value(u"data"_s);
        if (!data.isArray()) {
            return std::unexpected(protocolError(
                u"The server's answer has no \"data\" list. Is this an OpenAI-compatible server, and does the base URL end in /v1?"_s,
                document));
        }
        const QJsonArray array = data.toArray();
        // Servers may answer out of order; "index" says where each vector belongs.
        std::vector<std::optional<QList<float>>> slots(static_cast<size_t>(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject entry = array.at(i).toObject();
            const QJsonValue indexValue = entry.value(u"index"_s);
            const qsizetype index = indexValue.isDouble() ? static_cast<qsizetype>(indexValue.toInteger(-1)) : i;
            if (index < 0 || index >= array.size() || slots[static_cast<size_t>(index)]) {
                return std::unexpected(protocolError(
                    u"The server's embeddings have a missing, repeated or out-of-range \"index\" (%1)."_s.arg(indexValue.toVariant().toString()),
                    document));
            }
            Result<QList<float>> vector = toVector(entry.value(u"embedding"_s), index, document);
            if (!vector)
                return std::unexpected(std::move(vector.error()));
            slots[static_cast<size_t>(index)] = std::move(*vector);
        }
        for (auto &slot : slots)
            vectors.append(std::move(*slot));
    }

    if (vectors.size() != expectedCount) {
        return std::unexpected(protocolError(
            u"The server returned %1 embeddings for %2 texts. It may have dropped inputs it could not handle; check its logs."_s
                .arg(vectors.size())
                .arg(expectedCount),
            document));
    }
    for (const QList<float> &vector : std::as_const(vectors)) {
        if (vector.size() != vectors.front().size()) {
            return std::unexpected(protocolError(
                u"The server returned embeddings of different sizes (%1 and %2) in one answer."_s.arg(vectors.front().size()).arg(vector.size()),
                document));
        }
    }
    return vectors;
}

} // namespace ragdesk
