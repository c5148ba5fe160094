#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli models`: lists the models of the configured server, one per line.
class ModelsCommand
{
public:
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
