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

    [[nodiscard]] QJsonObject toJson() const;
    static TurnMetrics fromJson(const QJsonObject &json);
};

} // namespace ragdesk
