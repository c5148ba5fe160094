#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli search --kb NAME [--top N] [--json] QUERY`: one search through the same
/// retriever as the GUI's search tabs, printed as a ranked list (or JSON with every score).
/// `ragdesk-cli eval --kb NAME --queries FILE.jsonl`: runs each query of the file and prints
/// recall@5, recall@10, MRR and nDCG@10.
class SearchCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    static QCoro::Task<int> search(CliContext context);
    static QCoro::Task<int> eval(CliContext context);
};

} // namespace ragdesk::cli
