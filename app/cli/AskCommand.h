#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli ask [--assistant NAME] [--conversation ID] [--json] QUESTION`: one chat turn as
/// the app runs it (the assistant's knowledge bases searched, the sources numbered in the
/// prompt, the answer streamed to stdout and saved to the conversation), then its sources.
/// With --json the last line is {"answer", "citations": [{n, document, page, chunk_id}],
/// "metrics", "conversation_id"}. Exit status 1 when the answer failed.
class AskCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
