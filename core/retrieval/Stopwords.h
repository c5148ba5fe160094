#pragma once

#include <QSet>
#include <QString>

namespace ragdesk {

/// Function words that carry no topic, per language, folded (lower case, no diacritics).
/// Short on purpose: only words so frequent that they would rank every passage, never words a
/// query could be about ("not", "before" stay searchable).
class Stopwords
{
public:
    /// The list of @p language (ISO 639-1); empty for a language without one.
    static const QSet<QString> &of(const QString &language);
};

} // namespace ragdesk
