#include "core/storage/KnowledgeBaseStore.h"

#include "core/storage/ProfileDatabase.h"
#include "core/storage/SqlStatement.h"

#include <QCoroFuture>
#include <QDir>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QString saveFailed()
{
    return u"Could not save the knowledge base"_s;
}

QString loadFailed()
{
    return u"Could not load the knowledge bases"_s;
}

const QString kbColumns = u"id, name, chunk_tokens, chunk_overlap, language, created_at, embedding_model"_s;
const QString sourceColumns = u"id, knowledge_base_id, path, is_folder, watched"_s;

KnowledgeBase readKnowledgeBase(const SqlStatement &row)
{
    KnowledgeBase kb;
    kb.id = row.value(0).toLongLong();
    kb.name = row.value(1).toString();
    kb.chunking = ChunkingOptions{row.value(2).toInt(), row.value(3).toInt()};
    kb.language = row.value(4).toString();
    kb.createdAt = SqlStatement::fromMs(row.value(5));
    kb.embeddingModel = row.value(6).toString();
    return kb;
}

KnowledgeBaseSource readSource(const SqlStatement &row)
{
    return KnowledgeBaseSource{row.value(0).toLongLong(), row.value(1).toLongLong(), row.value(2).toString(),
                               row.value(3).toBool(), row.value(4).toBool()};
}

/// Checks a name before SQL sees it, so the user gets a sentence rather than a constraint code.
Result<QString> validName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return fail(Error::Kind::Configuration, u"A knowledge base needs a name. Type one and try again."_s);
    return trimmed;
}

/// Turns the UNIQUE violation on name into a sentence naming the clash.
Error nameError(const Error &error, const QString &name)
{
    if (!error.detail.contains(u"UNIQUE"_s))
        return error;
    return Error{Error::Kind::Configuration,
                 u"A knowledge base named \u201c%1\u201d already exists. Choose another name."_s.arg(name),
                 error.detail, 0};
}

Error noSuchKnowledgeBase(qint64 id)
{
    return Error{Error::Kind::Database,
                 u"%1: it no longer exists (id %2). Reload the list and try again."_s.arg(saveFailed()).arg(id), {},
                 0};
}

/// Runs an UPDATE/DELETE of one knowledge base row and reports a missing row.
Result<void> changeOne(SqlStatement &statement, const QString &sql, const QVariantList &values, qint64 id)
{
    if (auto done = statement.exec(sql, values); !done)
        return done;
    if (statement.rowsAffected() == 0)
        return std::unexpected(noSuchKnowledgeBase(id));
    return {};
}
} // namespace

KnowledgeBaseStore::KnowledgeBaseStore(std::shared_ptr<ProfileDatabase> database)
    : m_database(std::move(database))
{
}

// Each call copies m_database into its frame before the first await, so the frame keeps the
// database alive on its own and never touches this store again.

QCoro::Task<Result<KnowledgeBase>> KnowledgeBaseStore::create(QString name, ChunkingOptions chunking, QString language)
{
    const auto database = m_database;
    const auto valid = validName(name);
    if (!valid)
        co_return std::unexpected(valid.error());
    co_return co_await database->writer().run(
        [name = *valid, chunking, language = std::move(language)](QSqlDatabase &db) -> Result<KnowledgeBase> {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            SqlStatement insert(db, saveFailed());
            if (auto done = insert.exec(u"INSERT INTO knowledge_bases (name, chunk_tokens, chunk_overlap, language,"
                                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"_s,
                                        {name, chunking.targetTokens, chunking.overlapTokens,
                                         SqlStatement::notNull(language), now, now});
                !done)
                return std::unexpected(nameError(done.error(), name));
            return KnowledgeBase{insert.lastInsertId(), name, chunking, SqlStatement::notNull(language),
                                 SqlStatement::fromMs(now), QString()};
        });
}

QCoro::Task<Result<QList<KnowledgeBase>>> KnowledgeBaseStore::list()
{
    const auto database = m_database;
    co_return co_await database->readers().run([](QSqlDatabase &db) -> Result<QList<KnowledgeBase>> {
        SqlStatement select(db, loadFailed());
        return select.selectAll<KnowledgeBase>(u"SELECT %1 FROM knowledge_bases ORDER BY name, id"_s.arg(kbColumns),
                                      {}, readKnowledgeBase);
    });
}

QCoro::Task<Result<std::optional<KnowledgeBase>>> KnowledgeBaseStore::byName(QString name)
{
    const auto database = m_database;
    co_return co_await database->readers().run(
        [name = name.trimmed()](QSqlDatabase &db) -> Result<std::optional<KnowledgeBase>> {
            SqlStatement select(db, loadFailed());
            // The column's NOCASE collation makes = case-insensitive and lets it use the UNIQUE index.
            auto rows = select.selectAll<KnowledgeBase>(u"SELECT %1 FROM knowledge_bases WHERE name = ?"_s.arg(kbColumns), {name}, readKnowledgeBase);
            if (!rows)
                return std::unexpected(rows.error());
            return rows->isEmpty() ? std::nullopt : std::optional(rows->first());
        });
}

QCoro::Task<Result<void>> KnowledgeBaseStore::rename(qint64 id, QString name)
{
    const auto database = m_database;
    const auto valid = validName(name);
    if (!valid)
        co_return std::unexpected(valid.error());
    co_return co_await database->writer().run([id, name = *valid](QSqlDatabase &db) -> Result<void> {
        SqlStatement update(db, saveFailed());
        auto done = changeOne(update, u"UPDATE knowledge_bases SET name = ?, updated_at = ? WHERE id = ?"_s,
                              {name, QDateTime::currentMSecsSinceEpoch(), id}, id);
        return done ? done : std::unexpected(nameError(done.error(), name));
    });
}

QCoro::Task<Result<void>> KnowledgeBaseStore::updateSettings(qint64 id, ChunkingOptions chunking, QString language)
{
    const auto database = m_database;
    co_return co_await database->writer().run(
        [id, chunking, language = std::move(language)](QSqlDatabase &db) -> Result<void> {
            SqlStatement update(db, saveFailed());
            return changeOne(update,
                             u"UPDATE knowledge_bases SET chunk_tokens = ?, chunk_overlap = ?, language = ?,"
                             " updated_at = ? WHERE id = ?"_s,
                             {chunking.targetTokens, chunking.overlapTokens, SqlStatement::notNull(language),
                              QDateTime::currentMSecsSinceEpoch(), id},
                             id);
        });
}

QCoro::Task<Result<void>> KnowledgeBaseStore::setEmbeddingModel(qint64 id, QString model)
{
    const auto database = m_database;
    co_return co_await database->writer().run([id, model = std::move(model)](QSqlDatabase &db) -> Result<void> {
        SqlStatement update(db, saveFailed());
        return changeOne(update, u"UPDATE knowledge_bases SET embedding_model = ?, updated_at = ? WHERE id = ?"_s,
                         {SqlStatement::notNull(model.trimmed()), QDateTime::currentMSecsSinceEpoch(), id}, id);
    });
}

QCoro::Task<Result<void>> KnowledgeBaseStore::remove(qint64 id)
{
    const auto database = m_database;
    // Sources go with it through ON DELETE CASCADE.
    co_return co_await database->writer().run([id](QSqlDatabase &db) -> Result<void> {
        SqlStatement remove(db, u"Could not remove the knowledge base"_s);
        return changeOne(remove, u"DELETE FROM knowledge_bases WHERE id = ?"_s, {id}, id);
    });
}

QCoro::Task<Result<KnowledgeBaseSource>> KnowledgeBaseStore::addSource(qint64 knowledgeBaseId, QString path,
                                                                       bool isFolder, bool watched)
{
    const auto database = m_database;
    const QString cleaned = QDir::cleanPath(path);
    if (cleaned.isEmpty() || cleaned == u"."_s)
        co_return fail(Error::Kind::File, u"Could not add the source: the path is empty. Choose a file or folder."_s);
    co_return co_await database->writer().run(
        [knowledgeBaseId, cleaned, isFolder, watched](QSqlDatabase &db) -> Result<KnowledgeBaseSource> {
            SqlStatement upsert(db, u"Could not add %1 to the knowledge base"_s.arg(QDir::toNativeSeparators(cleaned)));
            // An upsert keeps the row's id and added_at when the path is added again.
            if (auto done = upsert.exec(u"INSERT INTO knowledge_base_sources"
                                        " (knowledge_base_id, path, is_folder, watched, added_at)"
                                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (knowledge_base_id, path)"
                                        " DO UPDATE SET is_folder = excluded.is_folder, watched = excluded.watched"
                                        " RETURNING %1"_s.arg(sourceColumns),
                                        {knowledgeBaseId, cleaned, isFolder, watched,
                                         QDateTime::currentMSecsSinceEpoch()});
                !done) {
                if (done.error().detail.contains(u"FOREIGN KEY"_s))
                    return std::unexpected(noSuchKnowledgeBase(knowledgeBaseId));
                return std::unexpected(done.error());
            }
            if (!upsert.next())
                return std::unexpected(noSuchKnowledgeBase(knowledgeBaseId));
            return readSource(upsert);
        });
}

QCoro::Task<Result<bool>> KnowledgeBaseStore::removeSource(qint64 knowledgeBaseId, QString path)
{
    const auto database = m_database;
    co_return co_await database->writer().run(
        [knowledgeBaseId, path = QDir::cleanPath(path)](QSqlDatabase &db) -> Result<bool> {
            SqlStatement remove(db, u"Could not remove the source"_s);
            if (auto done = remove.exec(u"DELETE FROM knowledge_base_sources WHERE knowledge_base_id = ? AND path = ?"_s,
                                        {knowledgeBaseId, path});
                !done)
                return std::unexpected(done.error());
            return remove.rowsAffected() > 0;
        });
}

QCoro::Task<Result<QList<KnowledgeBaseSource>>> KnowledgeBaseStore::sources(qint64 knowledgeBaseId)
{
    const auto database = m_database;
    co_return co_await database->readers().run([knowledgeBaseId](QSqlDatabase &db) -> Result<QList<KnowledgeBaseSource>> {
        SqlStatement select(db, loadFailed());
        return select.selectAll<KnowledgeBaseSource>(u"SELECT %1 FROM knowledge_base_sources WHERE knowledge_base_id = ? ORDER BY id"_s.arg(sourceColumns),
            {knowledgeBaseId}, readSource);
    });
}

QCoro::Task<Result<QList<KnowledgeBaseSource>>> KnowledgeBaseStore::watchedFolders()
{
    const auto database = m_database;
    co_return co_await database->readers().run([](QSqlDatabase &db) -> Result<QList<KnowledgeBaseSource>> {
        SqlStatement select(db, loadFailed());
        return select.selectAll<KnowledgeBaseSource>(u"SELECT %1 FROM knowledge_base_sources WHERE watched AND is_folder"
                                            " ORDER BY knowledge_base_id, id"_s.arg(sourceColumns),
                                            {}, readSource);
    });
}

} // namespace ragdesk
