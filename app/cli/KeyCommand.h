#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli key set|forget|status PROVIDER_ID`: API keys in the OS keychain. The key is
/// read from stdin (without echo on a terminal), never from the command line, where other users
/// could see it in the process list; it is never printed.
class KeyCommand
{
public:
    /// Returns the process exit code: 0 on success, 1 when the keychain failed, 2 on usage errors.
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
