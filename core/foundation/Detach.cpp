#include "core/foundation/Detach.h"

#include <QLoggingCategory>

#include <exception>

Q_LOGGING_CATEGORY(lcDetach, "ragdesk.detach")

namespace ragdesk {

namespace {
QCoro::Task<> logFailures(QCoro::Task<> task, const char *what)
{
    try {
        co_await std::move(task);
    } catch (const std::exception &e) {
        qCCritical(lcDetach) << what << "failed with an exception:" << e.what();
    } catch (...) {
        qCCritical(lcDetach) << what << "failed with an unknown exception";
    }
}
} // namespace

void detach(QCoro::Task<> task, const char *what)
{
    // QCoro tasks are eager and keep their frame alive until they finish, so dropping the
    // wrapper here is safe: the coroutine continues and cleans itself up.
    [[maybe_unused]] auto running = logFailures(std::move(task), what);
}

} // namespace ragdesk
