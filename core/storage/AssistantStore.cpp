#include "core/storage/AssistantStore.h"

#include "core/storage/ProfileDatabase.h"
#include "core/storage/SqlStatement.h"
#include "core/storage/SqlTransaction.h"

#include <QCoroFuture>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString saveFailed()
{
    return u"Could not save the assistant"_s;
}

QString loadFailed()
{
    return u"Could not load the assistants"_s;
}

const QString columns = u"id, name, settings"_s;
const QString listSql = u"SELECT id, name, settings FROM assistants ORDER BY position, id"_s;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString settingsText(const Assistant &assistant)
{
    return QString::fromUtf8(QJsonDocument(assistant.settingsJson()).toJson(QJsonDocument::Compact));
}

Assistant readAssistant(const SqlStatement &row)
{
    // A damaged settings blob falls back to the defaults; the row and its name survive.
    Assistant assistant = Assistant::fromSettingsJson(QJsonDocument::fromJson(row.value(2).toString().toUtf8()).object());
    assistant.id = row.value(0).toLongLong();
    assistant.name = row.value(1).toString(); // the column is the authority (it carries the UNIQUE rule)
    return assistant;
}

/// @p assistant with its name trimmed; a blank name is refused before SQL sees it.
Result<Assistant> withValidName(Assistant assistant)
{
    assistant.name = assistant.name.trimmed();
    if (assistant.name.isEmpty())
        return fail(Error::Kind::Configuration, u"An assistant needs a name. Type one and try again."_s);
    return assistant;
}

/// Turns the UNIQUE violation on name into a sentence naming the clash.
Error nameError(const Error &error, const QString &name)
{
    if (!error.detail.contains(u"UNIQUE"_s))
        return error;
    return Error{Error::Kind::Configuration,
                 u"An assistant named \u201c%1\u201d already exists. Choose another name."_s.arg(name), error.detail,
                 0};
}

Error noSuchAssistant(qint64 id)
{
    return Error{Error::Kind::Database,
                 u"%1: it no longer exists (id %2). Reload the list and try again."_s.arg(saveFailed()).arg(id), {},
                 0};
}

/// Inserts @p assistant after every other one; runs on the writer, inside the caller's transaction if any.
Result<Assistant> insert(QSqlDatabase &db, Assistant assistant)
{
    const qint64 now = nowMs();
    SqlStatement statement(db, saveFailed());
    if (auto done = statement.exec(u"INSERT INTO assistants (name, settings, position, created_at, updated_at)"
                                   " VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM assistants), ?, ?)"_s,
                                   {assistant.name, settingsText(assistant), now, now});
        !done)
        return std::unexpected(nameError(done.error(), assistant.name));
    assistant.id = statement.lastInsertId();
    return assistant;
}

/// "NAME (copy)", then "NAME (copy 2)", ...: the first not taken (case-insensitively).
Result<QString> copyName(QSqlDatabase &db, const QString &name)
{
    SqlStatement taken(db, saveFailed());
    if (auto prepared = taken.prepare(u"SELECT 1 FROM assistants WHERE name = ?"_s); !prepared)
        return std::unexpected(prepared.error());
    // Bounded: a profile never holds this many copies, and a bound keeps a damaged one from spinning.
    for (int n = 1; n <= 10'000; ++n) {
        const QString candidate = n == 1 ? u"%1 (copy)"_s.arg(name) : u"%1 (copy %2)"_s.arg(name).arg(n);
        if (auto done = taken.run({candidate}); !done)
            return std::unexpected(done.error());
        if (!taken.next())
            return candidate;
    }
    return fail(Error::Kind::Configuration, u"Could not copy \u201c%1\u201d: too many copies exist."_s.arg(name));
}
} // namespace

AssistantStore::AssistantStore(std::shared_ptr<ProfileDatabase> database)
    : m_database(std::move(database))
{
}

// Each call copies m_database into its frame before the first await, so the frame keeps the
// database alive on its own and never touches this store again.

QCoro::Task<Result<QList<Assistant>>> AssistantStore::list()
{
    const auto database = m_database;
    co_return co_await database->readers().run([](QSqlDatabase &db) -> Result<QList<Assistant>> {
        SqlStatement select(db, loadFailed());
        return select.selectAll<Assistant>(listSql, {}, readAssistant);
    });
}

QCoro::Task<Result<Assistant>> AssistantStore::create(Assistant assistant)
{
    const auto database = m_database;
    auto valid = withValidName(std::move(assistant));
    if (!valid)
        co_return std::unexpected(valid.error());
    co_return co_await database->writer().run(
        [assistant = *std::move(valid)](QSqlDatabase &db) -> Result<Assistant> { return insert(db, assistant); });
}

QCoro::Task<Result<void>> AssistantStore::update(Assistant assistant)
{
    const auto database = m_database;
    auto valid = withValidName(std::move(assistant));
    if (!valid)
        co_return std::unexpected(valid.error());
    co_return co_await database->writer().run([assistant = *std::move(valid)](QSqlDatabase &db) -> Result<void> {
        SqlStatement update(db, saveFailed());
        if (auto done = update.exec(u"UPDATE assistants SET name = ?, settings = ?, updated_at = ? WHERE id = ?"_s,
                                    {assistant.name, settingsText(assistant), nowMs(), assistant.id});
            !done)
            return std::unexpected(nameError(done.error(), assistant.name));
        if (update.rowsAffected() == 0)
            return std::unexpected(noSuchAssistant(assistant.id));
        return {};
    });
}

QCoro::Task<Result<Assistant>> AssistantStore::duplicate(qint64 id)
{
    const auto database = m_database;
    co_return co_await database->writer().run([id](QSqlDatabase &db) -> Result<Assistant> {
        // One transaction: the name chosen is still free when the copy is inserted.
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        SqlStatement select(db, saveFailed());
        auto rows = select.selectAll<Assistant>(u"SELECT %1 FROM assistants WHERE id = ?"_s.arg(columns), {id},
                                                readAssistant);
        if (!rows)
            return std::unexpected(rows.error());
        if (rows->isEmpty())
            return std::unexpected(noSuchAssistant(id));
        Assistant copy = rows->first();
        auto name = copyName(db, copy.name);
        if (!name)
            return std::unexpected(name.error());
        copy.name = *name;
        auto inserted = insert(db, copy);
        if (!inserted)
            return inserted;
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        return inserted;
    });
}

QCoro::Task<Result<void>> AssistantStore::remove(qint64 id)
{
    const auto database = m_database;
    // Conversations keep existing: assistant_id is ON DELETE SET NULL. Removing an id that is
    // already gone succeeds, since the user's intent is met either way.
    co_return co_await database->writer().run([id](QSqlDatabase &db) -> Result<void> {
        SqlStatement remove(db, saveFailed());
        return remove.exec(u"DELETE FROM assistants WHERE id = ?"_s, {id});
    });
}

QCoro::Task<Result<QList<Assistant>>> AssistantStore::saveAll(QList<Assistant> ordered, QList<qint64> removed)
{
    const auto database = m_database;
    for (Assistant &assistant : ordered) {
        auto valid = withValidName(std::move(assistant));
        if (!valid)
            co_return std::unexpected(valid.error());
        assistant = std::move(*valid);
    }
    co_return co_await database->writer().run([ordered = std::move(ordered), removed = std::move(removed)](
                                                  QSqlDatabase &db) mutable -> Result<QList<Assistant>> {
        SqlTransaction transaction(db, saveFailed());
        if (auto begun = transaction.begin(); !begun)
            return std::unexpected(begun.error());
        SqlStatement remove(db, saveFailed());
        if (auto done = remove.exec(u"DELETE FROM assistants WHERE id IN (SELECT value FROM json_each(?))"_s,
                                    {SqlStatement::jsonIds(removed)});
            !done)
            return std::unexpected(done.error());
        // UNIQUE is checked per statement, so "A" and "B" swapping names would clash halfway:
        // every kept row first takes a name no user can type (a control character and its id).
        QList<qint64> kept;
        for (const Assistant &assistant : std::as_const(ordered)) {
            if (assistant.id > 0)
                kept.append(assistant.id);
        }
        SqlStatement park(db, saveFailed());
        if (auto done = park.exec(u"UPDATE assistants SET name = char(1) || id"
                                  " WHERE id IN (SELECT value FROM json_each(?))"_s,
                                  {SqlStatement::jsonIds(kept)});
            !done)
            return std::unexpected(done.error());
        SqlStatement update(db, saveFailed());
        if (auto prepared = update.prepare(u"UPDATE assistants SET name = ?, settings = ?, position = ?,"
                                           " updated_at = ? WHERE id = ?"_s);
            !prepared)
            return std::unexpected(prepared.error());
        for (qsizetype position = 0; position < ordered.size(); ++position) {
            Assistant &assistant = ordered[position];
            if (assistant.id <= 0) {
                auto inserted = insert(db, assistant);
                if (!inserted)
                    return std::unexpected(inserted.error());
                assistant.id = inserted->id;
            }
            if (auto done = update.run({assistant.name, settingsText(assistant), position, nowMs(), assistant.id});
                !done)
                return std::unexpected(nameError(done.error(), assistant.name));
            if (update.rowsAffected() == 0)
                return std::unexpected(noSuchAssistant(assistant.id));
        }
        if (auto committed = transaction.commit(); !committed)
            return std::unexpected(committed.error());
        return ordered;
    });
}

QCoro::Task<Result<QList<Assistant>>> AssistantStore::ensureDefault()
{
    const auto database = m_database;
    // On the writer, check and insert together: two callers at start still make one default.
    co_return co_await database->writer().run([](QSqlDatabase &db) -> Result<QList<Assistant>> {
        SqlStatement select(db, loadFailed());
        auto existing = select.selectAll<Assistant>(listSql, {}, readAssistant);
        if (!existing || !existing->isEmpty())
            return existing;
        auto created = insert(db, Assistant::makeDefault());
        if (!created)
            return std::unexpected(created.error());
        return QList<Assistant>{*created};
    });
}

} // namespace ragdesk
