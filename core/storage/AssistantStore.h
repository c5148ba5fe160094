#pragma once

#include "core/foundation/Error.h"
#include "core/storage/Assistant.h"

#include <QCoroTask>

#include <memory>

namespace ragdesk {

class ProfileDatabase;

/// The assistants in profile.db, in the user's order. Writes run on the writer thread, reads on
/// the reader pool; every call is awaited by the caller.
class AssistantStore
{
public:
    explicit AssistantStore(std::shared_ptr<ProfileDatabase> database);

    /// In picker order: by position, then by creation.
    QCoro::Task<Result<QList<Assistant>>> list();
    /// Stores @p assistant last in the order and returns it with its id. A blank name, or one
    /// taken case-insensitively, is refused with a sentence saying so.
    QCoro::Task<Result<Assistant>> create(Assistant assistant);
    /// Replaces every setting of the assistant with @p assistant's id.
    QCoro::Task<Result<void>> update(Assistant assistant);
    /// A copy of @p id named "NAME (copy)", or "NAME (copy 2)", ... when that is taken.
    QCoro::Task<Result<Assistant>> duplicate(qint64 id);
    /// Conversations of the assistant stay; they lose their assistant (assistant_id NULL).
    QCoro::Task<Result<void>> remove(qint64 id);
    /// The Assistants dialog's result in one transaction: deletes @p removed, then stores
    /// @p ordered (id 0: new) in that order, so the first is the one new chats use. Names may
    /// be swapped between assistants in one save. Returns the list as stored, with ids.
    QCoro::Task<Result<QList<Assistant>>> saveAll(QList<Assistant> ordered, QList<qint64> removed);
    /// First start: stores Assistant::makeDefault() when there is no assistant at all, then
    /// returns the list. Never adds a second default.
    QCoro::Task<Result<QList<Assistant>>> ensureDefault();

private:
    std::shared_ptr<ProfileDatabase> m_database;
};

} // namespace ragdesk
