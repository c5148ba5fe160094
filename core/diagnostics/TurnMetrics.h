#pragma once

#include <QJsonObject>

namespace ragdesk {

/// Timings of one chat turn, stored with the answer as its metrics JSON.
struct TurnMetrics {
    double ttftMs = -1;     ///< send() to the first non-empty delta
    double totalMs = -1;    ///< send() to the end of the stream
    double tokensPerSecond = -1;
    int completionTokens = -1; ///< from the server's usage, else the number of deltas
    int promptTokens = -1;
    double refineMs = -1;    ///< rewriting a follow-up into a standalone search query; -1: not done
    double retrievalMs = -1; ///< wall time of the search; -1: the turn searched nothing
    double promptMs = -1;    ///< building the prompt from the sources and the history
    /// send() to the request being handed to the provider: what our own pipeline (provider
    /// opening, refinement, retrieval, prompt) adds before the model can start.
    double overheadMs = -1;

    [[nodiscard]] QJsonObject toJson() const;
    static TurnMetrics fromJson(const QJsonObject &json);
};

} // namespace ragdesk
