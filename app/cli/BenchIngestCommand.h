#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli bench-ingest`: indexes a generated corpus through the real pipeline (extractor
/// processes, chunker, batched writes) while N chats stream, and reports files/s, MB/s, chunks/s,
/// pages/s and the worst UI-thread stall; also times PDF extraction against pdftotext on the same files.
class BenchIngestCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
