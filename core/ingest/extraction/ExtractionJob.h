#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"

#include <QFuture>
#include <QPromise>
#include <QString>

#include <mutex>

namespace ragdesk {

/// One file queued in the ExtractorPool: its path and the promise its awaiter waits on.
/// Shared between the pool, a worker and a cancel callback, any of which may settle it first;
/// it settles exactly once, from any thread, and settles as Cancelled if dropped unsettled.
class ExtractionJob
{
public:
    ExtractionJob(QString path, CancelToken cancel);
    ~ExtractionJob();
    ExtractionJob(const ExtractionJob &) = delete;
    ExtractionJob &operator=(const ExtractionJob &) = delete;

    [[nodiscard]] const QString &path() const { return m_path; }
    [[nodiscard]] CancelToken cancelToken() const { return m_cancel; }
    [[nodiscard]] QFuture<Result<ExtractedDocument>> future() { return m_promise.future(); }

    /// Hands @p result to the awaiter; returns false (and drops it) if the job was already settled.
    bool settle(Result<ExtractedDocument> result);
    [[nodiscard]] bool isSettled() const;

    /// A Cancelled error whose message is @p why.
    static std::unexpected<Error> cancelled(const QString &why);

private:
    QString m_path;
    CancelToken m_cancel;
    mutable std::mutex m_mutex;
    bool m_settled = false;
    QPromise<Result<ExtractedDocument>> m_promise;
};

} // namespace ragdesk
