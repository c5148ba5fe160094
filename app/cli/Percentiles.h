#pragma once

#include <QList>

#include <algorithm>
#include <cmath>

namespace ragdesk::cli {

/// Nearest-rank percentiles over a small sample (a few hundred runs at most).
struct Percentiles {
    double p50 = 0;
    double p95 = 0;
    double max = 0;

    static Percentiles of(QList<double> values)
    {
        Percentiles result;
        if (values.isEmpty())
            return result;
        std::sort(values.begin(), values.end());
        const auto rank = [&values](double fraction) {
            const auto index = qsizetype(std::ceil(fraction * double(values.size()))) - 1;
            return values.at(std::clamp<qsizetype>(index, 0, values.size() - 1));
        };
        result.p50 = rank(0.50);
        result.p95 = rank(0.95);
        result.max = values.last();
        return result;
    }
};

} // namespace ragdesk::cli
