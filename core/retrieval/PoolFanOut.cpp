#include "core/retrieval/PoolFanOut.h"

#include <QRunnable>
#include <QThreadPool>

#include <memory>
#include <semaphore>
#include <vector>

namespace ragdesk {

void PoolFanOut::run(QThreadPool *pool, int participants, const std::function<void(int)> &work)
{
    if (!pool)
        pool = QThreadPool::globalInstance();
    if (participants <= 1) {
        work(0);
        return;
    }
    // A standard semaphore rather than QSemaphore: its atomics are in the header, so
    // ThreadSanitizer sees the helpers' writes happen before the caller reads the results.
    std::counting_semaphore<> finished(0);
    std::vector<std::unique_ptr<QRunnable>> helpers;
    helpers.reserve(size_t(participants - 1));
    for (int participant = 1; participant < participants; ++participant) {
        std::unique_ptr<QRunnable> helper(QRunnable::create([&work, &finished, participant] {
            work(participant);
            finished.release();
        }));
        // We own the runnables: tryTake hands a queued one back, and a finished one must outlive
        // this call only until its release() (the pool reads autoDelete before running it).
        helper->setAutoDelete(false);
        pool->start(helper.get());
        helpers.push_back(std::move(helper));
    }
    work(0);
    int started = 0;
    for (const std::unique_ptr<QRunnable> &helper : helpers) {
        if (!pool->tryTake(helper.get()))
            ++started;
    }
    for (int i = 0; i < started; ++i)
        finished.acquire();
}

} // namespace ragdesk
