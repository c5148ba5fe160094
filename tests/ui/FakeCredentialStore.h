#pragma once

#include "core/llm/CredentialStore.h"

#include <QHash>

namespace ragdesk::testing {

/// An in-memory CredentialStore; `unavailable` makes every call fail as without a keychain.
class FakeCredentialStore : public CredentialStore
{
public:
    QHash<QString, QString> keys;
    bool unavailable = false;
    int writes = 0;
    int removals = 0;

    QCoro::Task<Result<QString>> readKey(QString providerId) override
    {
        if (unavailable)
            co_return missing();
        co_return keys.value(providerId);
    }
    QCoro::Task<Result<void>> writeKey(QString providerId, QString key) override
    {
        if (unavailable)
            co_return missing();
        ++writes;
        keys.insert(providerId, key);
        co_return Result<void> {};
    }
    QCoro::Task<Result<void>> removeKey(QString providerId) override
    {
        if (unavailable)
            co_return missing();
        ++removals;
        keys.remove(providerId);
        co_return Result<void> {};
    }

private:
    static std::unexpected<Error> missing()
    {
        return fail(Error::Kind::Unavailable, QStringLiteral("No keychain (Secret Service) is running."));
    }
};

} // namespace ragdesk::testing
