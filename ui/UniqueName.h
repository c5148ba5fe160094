#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ragdesk {

/// @p name, or "name 2", "name 3"... the first one not in @p taken (case-insensitive), so two
/// entries of a list can always be told apart.
inline QString uniqueName(const QString &name, const QStringList &taken)
{
    QString candidate = name;
    for (int n = 2; taken.contains(candidate, Qt::CaseInsensitive); ++n)
        candidate = QStringLiteral("%1 %2").arg(name).arg(n);
    return candidate;
}

/// The `name` of every entry of @p entries (assistants, provider profiles), for uniqueName().
template<typename Entry>
QStringList namesOf(const QList<Entry> &entries)
{
    QStringList names;
    names.reserve(entries.size());
    for (const Entry &entry : entries)
        names.append(entry.name);
    return names;
}

} // namespace ragdesk
