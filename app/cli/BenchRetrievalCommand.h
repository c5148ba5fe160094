#pragma once

#include "app/cli/CliContext.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// `ragdesk-cli bench-retrieval`: builds synthetic knowledge bases of 10^4, 10^5 and 10^6
/// chunks with 384-dimensional vectors (cached between runs) and reports p50/p95 latency of
/// keyword search with a knowledge-base filter, hybrid search with and without the filter, the
/// growth per 10x of corpus and the exact scan's throughput. Query vectors come from the server
/// at --base-url (the fake server's embedder in scripts/bench-retrieval.sh).
class BenchRetrievalCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    static QCoro::Task<int> run(CliContext context);
};

} // namespace ragdesk::cli
