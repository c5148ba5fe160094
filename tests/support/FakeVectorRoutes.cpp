#include "tests/support/FakeVectorRoutes.h"

#include "tests/support/FakeCompletionScript.h"
#include "tests/support/HashingEmbedder.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

using Route = FakeVectorRoutes::Route;
using VectorFailure = FakeLlmOptions::VectorFailure;

QByteArray compact(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

/// Ollama reports errors as {"error": "text"}; the OpenAI-style routes as {"error": {...}}.
FakeHttpAnswer errorAnswer(Route route, int status, const QString &message)
{
    if (route == Route::OllamaEmbed)
        return {status, compact(QJsonObject{{u"error"_s, message}}), {}, false};
    return {status, FakeCompletionScript::errorBody(status, message.toUtf8()), {}, false};
}

QJsonArray toJson(const QList<float> &vector)
{
    QJsonArray array;
    for (const float value : vector)
        array.append(static_cast<double>(value));
    return array;
}

FakeHttpAnswer embeddings(Route route, const QJsonObject &body, const QStringList &texts, const FakeLlmOptions &options,
                          VectorFailure failure)
{
    const int requested = body.value(u"dimensions"_s).toInt(0);
    const int dimensions = requested > 0 ? requested : qMax(1, options.embeddingDimensions);
    QList<QJsonArray> vectors;
    for (const QString &text : texts)
        vectors.append(toJson(HashingEmbedder::embed(text, dimensions)));

    if (failure == VectorFailure::WrongCount && !vectors.isEmpty())
        vectors.removeLast();
    if (failure == VectorFailure::NonNumeric && !vectors.isEmpty())
        vectors.front()[0] = u"NaN"_s;
    if (failure == VectorFailure::MixedDimensions && !vectors.isEmpty())
        vectors.back().removeLast();

    const QString model = body.value(u"model"_s).toString();
    if (route == Route::OllamaEmbed) {
        QJsonArray all;
        for (const QJsonArray &vector : std::as_const(vectors))
            all.append(vector);
        return {200, compact(QJsonObject{{u"model"_s, model}, {u"embeddings"_s, all}}), {}, false};
    }

    QJsonArray data;
    for (qsizetype i = 0; i < vectors.size(); ++i) {
        const QJsonObject entry{{u"object"_s, u"embedding"_s}, {u"index"_s, i}, {u"embedding"_s, vectors[i]}};
        if (options.shuffleEmbeddings)
            data.prepend(entry);
        else
            data.append(entry);
    }
    qsizetype characters = 0;
    for (const QString &text : texts)
        characters += text.size();
    const int tokens = static_cast<int>(characters / 4 + texts.size());
    return {200,
            compact(QJsonObject{{u"object"_s, u"list"_s},
                                {u"data"_s, data},
                                {u"model"_s, model},
                                {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, tokens}, {u"total_tokens"_s, tokens}}}}),
            {}, false};
}

FakeHttpAnswer rerank(const QJsonObject &body, const QStringList &documents, VectorFailure failure)
{
    const bool tei = body.contains(u"texts"_s);
    const QList<float> query = HashingEmbedder::embed(body.value(u"query"_s).toString());
    QList<double> scores;
    for (const QString &document : documents)
        scores.append(HashingEmbedder::cosine(query, HashingEmbedder::embed(document)));

    // Best first, as every real reranker answers; ties keep input order.
    QList<qsizetype> order(documents.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) { return scores[a] > scores[b]; });
    const int topN = body.value(u"top_n"_s).toInt(0);
    if (!tei && topN > 0 && topN < order.size())
        order.resize(topN);

    QJsonArray results;
    for (const qsizetype index : std::as_const(order)) {
        QJsonValue score = scores[index];
        if (failure == VectorFailure::NonNumeric && results.isEmpty())
            score = u"high"_s;
        const qsizetype shownIndex = failure == VectorFailure::WrongCount && results.isEmpty() ? documents.size() : index;
        results.append(QJsonObject{{u"index"_s, shownIndex}, {tei ? u"score"_s : u"relevance_score"_s, score}});
    }
    if (tei)
        return {200, compact(results), {}, false};
    return {200,
            compact(QJsonObject{{u"model"_s, body.value(u"model"_s)},
                                {u"results"_s, results},
                                {u"usage"_s, QJsonObject{{u"total_tokens"_s, documents.size() * 10}}}}),
            {}, false};
}

} // namespace

std::optional<Route> FakeVectorRoutes::routeFor(QByteArrayView method, QByteArrayView path)
{
    if (method != "POST")
        return std::nullopt;
    if (path == "/v1/embeddings")
        return Route::OpenAiEmbeddings;
    if (path == "/api/embed")
        return Route::OllamaEmbed;
    if (path == "/v1/rerank" || path == "/rerank")
        return Route::Rerank;
    return std::nullopt;
}

QStringList FakeVectorRoutes::inputs(Route route, const QJsonObject &body)
{
    QJsonValue value;
    if (route == Route::Rerank)
        value = body.contains(u"texts"_s) ? body.value(u"texts"_s) : body.value(u"documents"_s);
    else
        value = body.value(u"input"_s);
    if (value.isString())
        return {value.toString()};
    QStringList texts;
    for (const QJsonValue &item : value.toArray())
        texts.append(item.isObject() ? item.toObject().value(u"text"_s).toString() : item.toString());
    return texts;
}

FakeHttpAnswer FakeVectorRoutes::answer(Route route, const QJsonObject &body, bool validJson,
                                        const FakeLlmOptions &options, bool scriptedFailure)
{
    const VectorFailure failure = scriptedFailure ? options.vectorFailure : VectorFailure::None;
    switch (failure) {
    case VectorFailure::Http503:
        return errorAnswer(route, 503, u"Model is loading, try again shortly"_s);
    case VectorFailure::Http429: {
        FakeHttpAnswer limited = errorAnswer(route, 429, u"Rate limit reached"_s);
        limited.extraHeaders = "Retry-After: " + QByteArray::number(options.retryAfterSeconds) + "\r\n";
        return limited;
    }
    case VectorFailure::MalformedJson:
        return {200, "{\"data\": [{\"index\": 0, \"embedding\": [0.1, 0.2"_ba, {}, false};
    default:
        break;
    }

    if (!validJson)
        return errorAnswer(route, 400, u"Invalid JSON body"_s);
    const QString model = body.value(u"model"_s).toString();
    const bool teiRerank = route == Route::Rerank && body.contains(u"texts"_s);
    if (model.isEmpty() && !teiRerank)
        return errorAnswer(route, 400, u"'model' is a required property"_s);
    if (!teiRerank && !options.vectorModels.isEmpty() && !options.vectorModels.contains(model)) {
        return errorAnswer(route, 404, route == Route::OllamaEmbed
                                           ? u"model \"%1\" not found, try pulling it first"_s.arg(model)
                                           : u"The model '%1' does not exist"_s.arg(model));
    }
    const QStringList texts = inputs(route, body);
    if (texts.isEmpty())
        return errorAnswer(route, 400, route == Route::Rerank ? u"'documents' must be a non-empty list"_s
                                                              : u"'input' must be a string or a non-empty list"_s);

    FakeHttpAnswer answer = route == Route::Rerank ? rerank(body, texts, failure)
                                                   : embeddings(route, body, texts, options, failure);
    answer.cutMidBody = failure == VectorFailure::CutConnection;
    return answer;
}

} // namespace ragdesk::testing
