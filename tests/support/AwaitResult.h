#pragma once

#include "core/foundation/Error.h"

#include <QCoroTask>
#include <QtGlobal>

namespace ragdesk::testing {

/// Waits for a step that must succeed (fixture setup, reading back what a test wrote) and returns
/// its value; a failure stops the test binary with the error's message, which names the step.
template<typename T>
T mustSucceed(QCoro::Task<Result<T>> task)
{
    auto result = QCoro::waitFor(std::move(task));
    if (!result)
        qFatal("a step that must succeed failed: %s (%s)", qPrintable(result.error().message), qPrintable(result.error().detail));
    return std::move(*result);
}

inline void mustSucceed(QCoro::Task<Result<void>> task)
{
    auto result = QCoro::waitFor(std::move(task));
    if (!result)
        qFatal("a step that must succeed failed: %s (%s)", qPrintable(result.error().message), qPrintable(result.error().detail));
}

} // namespace ragdesk::testing
