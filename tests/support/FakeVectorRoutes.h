#pragma once

#include "tests/support/FakeLlmOptions.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace ragdesk::testing {

/// What the fake server sends back for one request.
struct FakeHttpAnswer {
    int status = 200;
    QByteArray body;
    QByteArray extraHeaders; ///< whole "Name: value\r\n" lines
    bool cutMidBody = false; ///< announce the whole body, send half, close the connection
};

/// The embedding and rerank routes of FakeLlmServer as pure functions: request JSON and options
/// in, answer out. Vectors come from HashingEmbedder, rerank scores are its cosine similarity.
class FakeVectorRoutes
{
public:
    enum class Route {
        OpenAiEmbeddings, ///< POST /v1/embeddings
        OllamaEmbed,      ///< POST /api/embed
        Rerank,           ///< POST /v1/rerank or /rerank; "texts" gets the TEI answer, "documents" Jina's
    };

    [[nodiscard]] static std::optional<Route> routeFor(QByteArrayView method, QByteArrayView path);

    /// The texts a request carries ("input" as a string or a list; "documents" or "texts"); empty
    /// when the body has none.
    [[nodiscard]] static QStringList inputs(Route route, const QJsonObject &body);

    /// The answer to @p body; @p scriptedFailure says this request is one options.vectorFailure hits.
    [[nodiscard]] static FakeHttpAnswer answer(Route route, const QJsonObject &body, bool validJson,
                                               const FakeLlmOptions &options, bool scriptedFailure);
};

} // namespace ragdesk::testing
