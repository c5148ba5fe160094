#pragma once

#include <QCoroTask>

namespace ragdesk {

/// The one way to start a coroutine that nobody awaits. The task runs to completion on its own;
/// an exception escaping it is a bug by our error policy, so it is logged with @p what
/// instead of vanishing with the dropped Task.
void detach(QCoro::Task<> task, const char *what);

} // namespace ragdesk
