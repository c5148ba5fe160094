#pragma once

#include <functional>

class QThreadPool;

namespace ragdesk {

/// Runs one piece of CPU work on several threads of a QThreadPool and waits for it, without ever
/// waiting on a pool slot: the caller is participant 0 and does its share itself, and helpers the
/// pool has not started by then are withdrawn instead of awaited. A caller that is itself a pool
/// thread therefore cannot deadlock a saturated pool. The price: a participant may never run, so
/// @p work must pull its items from shared state (an atomic counter) so that any participant can
/// finish all of them.
class PoolFanOut
{
public:
    /// Calls work(participant) for participant 0 on this thread and 1 .. participants - 1 on
    /// @p pool (the global pool when null), returning once every started call has returned.
    static void run(QThreadPool *pool, int participants, const std::function<void(int participant)> &work);
};

} // namespace ragdesk
