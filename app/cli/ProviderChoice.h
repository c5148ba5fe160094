#pragma once

#include "core/foundation/Error.h"
#include "core/llm/ProviderProfileStore.h"

#include <QCoroTask>

namespace ragdesk::cli {

/// The saved provider that `--provider NAME|ID` names (an id, or a name in any case), or the
/// current one when @p wanted is empty. The error lists the names there are.
Result<ProviderSettings> chooseProvider(const ProviderProfiles &profiles, const QString &wanted);

/// The key of a saved provider, as the app reads it: RAGDESK_API_KEY, else the OS keychain.
/// Empty when none is stored; a missing keychain only means no key (local servers need none).
QCoro::Task<QString> readProviderKey(QString providerId);

} // namespace ragdesk::cli
