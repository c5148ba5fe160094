#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli chat [--provider NAME] [--api KIND] [--model M] [--json] QUESTION`: one question
/// to a provider, the answer streamed to stdout as it arrives; waits and retries are reported
/// on stderr. Exit status 1 when the answer failed (its partial text is still printed).
class ChatCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
