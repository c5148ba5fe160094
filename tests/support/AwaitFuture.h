#pragma once

#include <QCoroFuture>
#include <QCoroTask>
#include <QFuture>

namespace ragdesk::testing {

/// Waits for @p future the way app code does, by co_awaiting it, driven by QCoro::waitFor.
template<typename T>
T await(QFuture<T> future)
{
    return QCoro::waitFor([](QFuture<T> job) -> QCoro::Task<T> { co_return co_await job; }(std::move(future)));
}

} // namespace ragdesk::testing
