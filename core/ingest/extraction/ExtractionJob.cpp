#include "core/ingest/extraction/ExtractionJob.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

ExtractionJob::ExtractionJob(QString path, CancelToken cancel)
    : m_path(std::move(path))
    , m_cancel(std::move(cancel))
{
    m_promise.start();
}

ExtractionJob::~ExtractionJob()
{
    // A QPromise dropped unfinished would leave its awaiter with a cancelled QFuture and no result.
    settle(cancelled(u"ragdesk stopped the extractor before this file was read."_s));
}

bool ExtractionJob::settle(Result<ExtractedDocument> result)
{
    std::scoped_lock lock(m_mutex);
    if (m_settled)
        return false;
    m_settled = true;
    m_promise.addResult(std::move(result));
    m_promise.finish();
    return true;
}

bool ExtractionJob::isSettled() const
{
    std::scoped_lock lock(m_mutex);
    return m_settled;
}

std::unexpected<Error> ExtractionJob::cancelled(const QString &why)
{
    return fail(Error::Kind::Cancelled, why);
}

} // namespace ragdesk
