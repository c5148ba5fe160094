#pragma once

#include "tests/support/FakeChatStream.h"
#include "tests/support/FakeLlmOptions.h"

namespace ragdesk::testing {

/// Ollama's native chat API as pure functions: POST /api/chat streams NDJSON (one JSON object per
/// line, "done":true on the last, which carries the counts), GET /api/tags lists the models, and
/// every error is {"error":"..."}.
class FakeOllamaScript
{
public:
    [[nodiscard]] static FakeChatStream stream(const FakeLlmOptions &options, const QString &model, int promptTokens);
    [[nodiscard]] static QByteArray tagsBody(const FakeLlmOptions &options);
    [[nodiscard]] static QByteArray errorBody(const QString &message);
};

} // namespace ragdesk::testing
