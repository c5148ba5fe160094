#include "core/retrieval/DocumentScope.h"

#include "core/storage/SqlStatement.h"


using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// A LIKE pattern matching paths that end in ".suffix", with LIKE's wildcards escaped.
QString suffixPattern(QString suffix)
{
    suffix.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u"%."_s + suffix;
}
} // namespace

DocumentScope::DocumentScope(const RetrievalOptions &options)
{
    if (!options.knowledgeBaseIds.isEmpty()) {
        m_conditions.append(u"knowledge_base_id IN (SELECT value FROM json_each(?))"_s);
        m_values.append(SqlStatement::jsonIds(options.knowledgeBaseIds));
    }
    if (!options.documentIds.isEmpty()) {
        m_conditions.append(u"id IN (SELECT value FROM json_each(?))"_s);
        m_values.append(SqlStatement::jsonIds(options.documentIds));
    }
    if (!options.fileSuffixes.isEmpty()) {
        QStringList any;
        for (const QString &suffix : options.fileSuffixes) {
            // LIKE ignores ASCII case, which is what file suffixes need.
            any.append(u"path LIKE ? ESCAPE '\\'"_s);
            m_values.append(suffixPattern(suffix));
        }
        m_conditions.append(u'(' + any.join(u" OR "_s) + u')');
    }
}

QString DocumentScope::cte() const
{
    return u"scope(id) AS MATERIALIZED (SELECT id FROM documents WHERE "_s + m_conditions.join(u" AND "_s) + u')';
}

Result<std::optional<QSet<qint64>>> DocumentScope::documentIds(QSqlDatabase &db) const
{
    if (isUnrestricted())
        return std::optional<QSet<qint64>>();
    SqlStatement select(db, u"Could not read which documents to search"_s);
    if (auto done = select.exec(u"WITH "_s + cte() + u" SELECT id FROM scope"_s, m_values); !done)
        return std::unexpected(done.error());
    QSet<qint64> ids;
    while (select.next())
        ids.insert(select.query().value(0).toLongLong());
    return std::optional<QSet<qint64>>(std::move(ids));
}

} // namespace ragdesk
