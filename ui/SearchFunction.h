#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QCoroTask>
#include <QString>

#include <functional>

namespace ragdesk {

/// The search tabs' seam to the retrieval engine. The callable runs retrieval off the UI thread
/// and resolves on it; a cancelled @p cancel may resolve with Error::Kind::Cancelled (or with a
/// late result, which the caller ignores). Empty: the window offers no search tabs.
using SearchFunction = std::function<QCoro::Task<Result<RetrievalResult>>(
    QString query, RetrievalOptions options, CancelToken cancel)>;

/// Loads a document's extracted text (what chunk offsets point into), e.g. ChunkStore::documentText.
using DocumentTextFunction = std::function<QCoro::Task<Result<QString>>(qint64 documentId)>;

} // namespace ragdesk
