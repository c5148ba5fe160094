#pragma once

#include "core/foundation/Error.h"
#include "core/retrieval/RetrievalTypes.h"

#include <QSet>
#include <QSqlDatabase>
#include <QVariantList>

#include <optional>

namespace ragdesk {

/// The documents a search may return (knowledge bases, documents, file types), as SQL. Both
/// stages start from it: the keyword stage joins it as a materialized CTE, so FTS5 drives the
/// query and the filter is one lookup per match; the vector stage takes the set of ids.
class DocumentScope
{
public:
    explicit DocumentScope(const RetrievalOptions &options);

    /// True when every document qualifies: no CTE, no set, nothing to check.
    [[nodiscard]] bool isUnrestricted() const { return m_conditions.isEmpty(); }

    /// "scope(id) AS MATERIALIZED (SELECT id FROM documents WHERE ...)", for a WITH clause.
    [[nodiscard]] QString cte() const;
    /// The values cte()'s placeholders take, in order.
    [[nodiscard]] QVariantList values() const { return m_values; }

    /// The ids of the documents in scope; std::nullopt when unrestricted. Reader threads only.
    [[nodiscard]] Result<std::optional<QSet<qint64>>> documentIds(QSqlDatabase &db) const;

private:
    QStringList m_conditions;
    QVariantList m_values;
};

} // namespace ragdesk
