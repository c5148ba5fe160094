#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli kb create|add|list|status|remove|delete`: knowledge bases from the terminal,
/// through the same library, queue and extractor processes as the GUI.
class KbCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    /// Returns the process exit code: 0 on success, 1 if any file failed or an operation failed, 2 on usage errors.
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
