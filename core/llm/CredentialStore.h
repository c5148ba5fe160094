#pragma once

#include "core/foundation/Error.h"

#include <QCoroTask>
#include <QString>

namespace ragdesk {

/// Where API keys live, keyed by provider id. Implementations never write a key to the
/// databases, settings files or logs. Calls are asynchronous and run on the UI thread.
class CredentialStore
{
public:
    virtual ~CredentialStore() = default;

    /// The stored key, or an empty string when none is stored for @p providerId.
    /// Error::Kind::Unavailable when the backing service (the OS keychain) is missing.
    virtual QCoro::Task<Result<QString>> readKey(QString providerId) = 0;
    /// Stores @p key for @p providerId, replacing any earlier one.
    virtual QCoro::Task<Result<void>> writeKey(QString providerId, QString key) = 0;
    /// Forgets the key; succeeds when there was none.
    virtual QCoro::Task<Result<void>> removeKey(QString providerId) = 0;
};

} // namespace ragdesk
