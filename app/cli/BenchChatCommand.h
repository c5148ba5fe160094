#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli bench-chat`: N conversations at once through the same ChatSession path as the
/// GUI (database persistence included), reporting TTFT, totals, throughput and UI-thread stalls.
class BenchChatCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    /// Returns the process exit code.
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
