#pragma once

#include "tests/support/FakeChatStream.h"
#include "tests/support/FakeLlmOptions.h"
#include "tests/support/FakeVectorRoutes.h"
#include "tests/support/HttpRequestParser.h"

#include <optional>

namespace ragdesk::testing {

/// The API families FakeLlmServer speaks, each with its own wire format and error shape.
enum class FakeChatApi {
    OpenAi,    ///< POST /v1/chat/completions, GET /v1/models
    Ollama,    ///< POST /api/chat, GET /api/tags
    Anthropic, ///< POST /v1/messages, GET /v1/models with an anthropic-version header
};

/// A chat or model-list route of one family.
struct FakeChatRoute {
    FakeChatApi api = FakeChatApi::OpenAi;
    bool models = false; ///< lists models rather than chatting
};

/// The chat and models routes of FakeLlmServer as pure functions: which family a request speaks,
/// whether it may pass, and every answer that is not a paced stream, in that family's format.
class FakeChatRoutes
{
public:
    enum class Error {
        Unauthorized,  ///< 401
        ModelNotFound, ///< 404, the model named in the request
        RateLimited,   ///< 429 with Retry-After
        Internal,      ///< 500
        Unavailable,   ///< 503 with Retry-After
        ContextLength, ///< 400, prompt longer than the context
        BadRequest,    ///< 400 with a detail
    };

    [[nodiscard]] static std::optional<FakeChatRoute> routeFor(const HttpRequest &request);
    /// Whether @p request carries @p key the way its family sends it (Bearer, or x-api-key).
    [[nodiscard]] static bool authorized(FakeChatApi api, const HttpRequest &request, const QString &key);
    /// 307 to @p target with the request's path appended.
    [[nodiscard]] static FakeHttpAnswer redirect(const HttpRequest &request, const QUrl &target);
    [[nodiscard]] static FakeHttpAnswer error(FakeChatApi api, Error error, const FakeLlmOptions &options,
                                              const QString &detail = {});
    /// The answer of options.failure when it strikes before any token (not for the mid-stream ones).
    [[nodiscard]] static std::optional<FakeHttpAnswer> failureAnswer(const FakeChatRoute &route, const FakeLlmOptions &options,
                                                                     const QString &model);
    /// A 400 for a request the family's real server would refuse: bad JSON, no messages, no anthropic-version.
    [[nodiscard]] static std::optional<FakeHttpAnswer> rejectInvalid(FakeChatApi api, const HttpRequest &request,
                                                                     const FakeLlmOptions &options);

    [[nodiscard]] static QByteArray modelsBody(FakeChatApi api, const FakeLlmOptions &options);
    /// Ollama streams unless told "stream": false; the other two only when told "stream": true.
    [[nodiscard]] static bool wantsStream(FakeChatApi api, const QJsonObject &body);
    /// @p requestNumber makes the answer's id.
    [[nodiscard]] static FakeChatStream stream(FakeChatApi api, const FakeLlmOptions &options, const QJsonObject &body,
                                               int requestNumber);
};

} // namespace ragdesk::testing
