#include "core/diagnostics/TurnMetrics.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

QJsonObject TurnMetrics::toJson() const
{
    QJsonObject json;
    // Unknown figures are left out rather than stored as -1, so readers need no sentinel logic.
    const auto known = [&json](const QString &key, double value) {
        if (value >= 0)
            json.insert(key, value);
    };
    known(u"ttft_ms"_s, ttftMs);
    known(u"total_ms"_s, totalMs);
    known(u"tokens_per_s"_s, tokensPerSecond);
    if (completionTokens >= 0)
        json.insert(u"completion_tokens"_s, completionTokens);
    if (promptTokens >= 0)
        json.insert(u"prompt_tokens"_s, promptTokens);
    known(u"refine_ms"_s, refineMs);
    known(u"retrieval_ms"_s, retrievalMs);
    known(u"prompt_ms"_s, promptMs);
    known(u"overhead_ms"_s, overheadMs);
    return json;
}

TurnMetrics TurnMetrics::fromJson(const QJsonObject &json)
{
    TurnMetrics metrics;
    metrics.ttftMs = json.value(u"ttft_ms"_s).toDouble(-1);
    metrics.totalMs = json.value(u"total_ms"_s).toDouble(-1);
    metrics.tokensPerSecond = json.value(u"tokens_per_s"_s).toDouble(-1);
    metrics.completionTokens = json.value(u"completion_tokens"_s).toInt(-1);
    metrics.promptTokens = json.value(u"prompt_tokens"_s).toInt(-1);
    metrics.refineMs = json.value(u"refine_ms"_s).toDouble(-1);
    metrics.retrievalMs = json.value(u"retrieval_ms"_s).toDouble(-1);
    metrics.promptMs = json.value(u"prompt_ms"_s).toDouble(-1);
    metrics.overheadMs = json.value(u"overhead_ms"_s).toDouble(-1);
    return metrics;
}

} // namespace ragdesk
