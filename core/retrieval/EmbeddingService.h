#pragma once

#include "core/foundation/CancelToken.h"
#include "core/foundation/Error.h"
#include "core/retrieval/EmbeddingClient.h"

#include <QCache>
#include <QCoroTask>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace ragdesk {

class RequestLimiter;

/// Where embeddings come from for every model: the current provider's server, one shared cap
/// on concurrent requests for the backfill and the searches together, and a small cache of
/// query vectors, because a search tab re-sends the same query while the user edits around it.
/// UI thread only.
class EmbeddingService
{
public:
    /// Fills in server, key and API for @p model from the current provider settings.
    using SettingsFor = std::function<EmbeddingSettings(const QString &model)>;

    EmbeddingService(QNetworkAccessManager *network, SettingsFor settingsFor, int maxConcurrent = 2);
    ~EmbeddingService();

    QCoro::Task<Result<Embeddings>> embed(QString model, QStringList texts, CancelToken cancel = {});
    QCoro::Task<Result<QList<float>>> embedQuery(QString model, QString query, CancelToken cancel = {});

private:
    QNetworkAccessManager *m_network;
    SettingsFor m_settingsFor;
    std::shared_ptr<RequestLimiter> m_limiter;
    /// Shared with running calls, so a call that resumes after the service is gone (quitting
    /// while a query is embedded) still has its cache to write to.
    std::shared_ptr<QCache<QString, QList<float>>> m_queries;
};

} // namespace ragdesk
