#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrl>

#include <chrono>
#include <optional>

namespace ragdesk::testing {

/// How the fake LLM server behaves: pacing, answer, failure and wire-format quirks.
/// A plain value that each request copies when it starts, so tests may change it between requests.
struct FakeLlmOptions {
    enum class Failure {
        None,
        Http401,        ///< every chat and models route answers 401 "Invalid API key provided"
        Http429,        ///< 429 "Rate limit reached" with a Retry-After header
        Http500,        ///< 500 "Internal server error: model crashed"
        CutMidStream,   ///< close the socket after half the tokens, with no [DONE] and no last chunk
        StallMidStream, ///< stop sending after half the tokens and keep the connection open
        ErrorInStream,  ///< after half the tokens send the family's error event, then end the body
        Http404,        ///< chat routes: the requested model does not exist
        Http503,        ///< 503 (overloaded / loading) with a Retry-After header
        ContextLength,  ///< chat routes: 400, the prompt exceeds the 8192-token context
        KeepAliveDrip,  ///< chat routes: headers at once, then only keep-alives every dripInterval, forever
        SlowFirstByte,  ///< chat streams: not even the status line before ttft, then a normal answer
    };

    // QStringLiteral rather than u""_s: a header must not pull the literal namespace into includers.
    QString model = QStringLiteral("fake-model");
    QStringList extraModels;            ///< listed by GET /v1/models after `model`
    std::chrono::milliseconds ttft{20}; ///< delay before the first token; headers go out at once (but see SlowFirstByte)
    int tokensPerSecond = 200;          ///< zero or less sends every token at once
    int tokens = 24;                    ///< answer length when `reply` is empty (at least 1)
    QString reply;                      ///< exact answer, streamed in ~word tokens; overrides `tokens`
    /// Answers from the sources in the request instead (FakeSourceQuoter): the one sharing most
    /// words with the question, its first words quoted, with its "[n]" marker or without.
    enum class QuoteSources { Off, WithMarker, WithoutMarker };
    QuoteSources quoteSources = QuoteSources::Off;
    /// When not empty, the answer to a question-refinement request (a system message asking for
    /// a "standalone search query"), whatever else is scripted.
    QString refineReply;
    /// When not empty, the answer to a title request (a system message asking to name the
    /// conversation, as ConversationTitle sends), whatever else is scripted.
    QString titleReply;
    Failure failure = Failure::None;
    /// How many chat requests `failure` hits, counted from the last FakeLlmServer::setOptions()
    /// (or construction); -1: all of them. Models routes fail while the count is not used up.
    int failureCount = -1;
    int retryAfterSeconds = 1;          ///< Retry-After of the 429 and 503 answers
    /// Retry-After as an IMF-fixdate (now + retryAfterSeconds) instead of a number of seconds.
    bool retryAfterHttpDate = false;
    std::chrono::milliseconds dripInterval{100}; ///< pace of Failure::KeepAliveDrip
    /// When valid, every chat and models route answers 307 with Location: redirectTo + the path.
    QUrl redirectTo;

    /// Scripted failures of the embedding and rerank routes (/v1/embeddings, /api/embed,
    /// /v1/rerank, /rerank). Unlike `failure`, they can stop after a number of requests, so a
    /// test can prove that a client retries and then succeeds.
    enum class VectorFailure {
        None,
        Http503,         ///< 503 "Model is loading"
        Http429,         ///< 429 with a Retry-After header of `retryAfterSeconds`
        MalformedJson,   ///< 200 with a body that is not JSON
        WrongCount,      ///< one vector fewer than inputs; for rerank an index out of range
        NonNumeric,      ///< a vector (or score) holding a string instead of a number
        MixedDimensions, ///< the last vector one value shorter than the others
        CutConnection,   ///< promise the whole body, send half of it, close
    };
    VectorFailure vectorFailure = VectorFailure::None;
    /// How many embedding/rerank requests fail, counted from the last FakeLlmServer::setOptions()
    /// (or construction); -1: all of them.
    int vectorFailureCount = -1;
    /// Vector size when the request does not ask for "dimensions".
    int embeddingDimensions = 384;
    /// Delay before an embedding or rerank answer, so concurrency and cancellation are observable.
    std::chrono::milliseconds vectorDelay{0};
    /// When not empty, embedding and rerank requests for any other model get 404 as real servers do.
    QStringList vectorModels;
    /// The OpenAI embeddings "data" list in reverse order; a client must sort by "index".
    bool shuffleEmbeddings = false;
    /// When not empty, every route answers 401 unless "Authorization: Bearer <key>" is sent
    /// ("x-api-key: <key>" on the Anthropic routes).
    QString requiredApiKey;

    // Quirks seen in real servers; each is one thing a robust client has to accept.
    bool crlf = false;             ///< CRLF line endings in the event stream
    bool noSpaceAfterData = false; ///< "data:{...}" instead of "data: {...}"
    bool comments = false;         ///< ": ping" comment lines before the first token and between events
    bool gluedFrames = false;      ///< two data lines in one event, without the blank line between
    bool reasoning = false;        ///< a few delta.reasoning_content tokens before the content
    bool usageChunk = false;       ///< a final chunk with "choices":[] and a usage object
    bool splitWrites = false;      ///< every event in several tiny writes, cut inside UTF-8 sequences

    /// The answer as the tokens it is streamed in.
    [[nodiscard]] QStringList tokenTexts() const;
    /// The whole answer, as a client should show it.
    [[nodiscard]] QString replyText() const;
    /// The reasoning tokens streamed before the answer; empty unless `reasoning` is set.
    [[nodiscard]] QStringList reasoningTexts() const;
    /// The whole "Retry-After: ...\r\n" header line of a 429 or 503 answer.
    [[nodiscard]] QByteArray retryAfterHeader() const;

    /// Maps the program's --fail names (none|401|404|429|500|503|context|cut|stall|stream-error|drip|slow).
    [[nodiscard]] static std::optional<Failure> failureFromName(QStringView name);
    /// Maps the program's --vector-fail names (none|503|429|malformed|wrong-count|non-numeric|mixed-dims|cut).
    [[nodiscard]] static std::optional<VectorFailure> vectorFailureFromName(QStringView name);
};

} // namespace ragdesk::testing
