#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"

#include <QCoroAsyncGenerator>
#include <QCoroTask>
#include <QStringList>

namespace ragdesk {

/// The network boundary for chat completions. Tests and other API families implement it.
class ChatProvider
{
public:
    virtual ~ChatProvider() = default;

    /// Streams the answer. The generator ends after the final chunk; a failure (including
    /// cancellation through @p cancel) arrives as a last chunk whose `error` is set.
    virtual QCoro::AsyncGenerator<StreamChunk> stream(ChatRequest request, CancelToken cancel) = 0;

    /// The models the server offers (GET {base}/models). Cancelling @p cancel aborts the request,
    /// so a closing dialog never leaves the coroutine waiting on a reply that will not come.
    virtual QCoro::Task<Result<QStringList>> listModels(CancelToken cancel) = 0;

    [[nodiscard]] virtual ProviderSettings settings() const = 0;
};

} // namespace ragdesk
