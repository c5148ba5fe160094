#pragma once

#include "core/retrieval/RetrievalTypes.h"

#include <QSet>
#include <QStringList>

#include <vector>

struct sb_stemmer;

namespace ragdesk {

/// Marks the query's words in a retrieved chunk and cuts the excerpt around where they cluster,
/// for the result list and citations. A word matches when it folds and stems like a query word
/// (the index's rules, so "running" lights up for "runs"); Chinese and Japanese query words
/// match as substrings, as the index matches them.
///
/// Done here rather than with FTS5's snippet(): that re-evaluates the whole MATCH for each row
/// it is asked about, measured at over 1 ms per hit on 512-token chunks. One instance per
/// search, on the thread that runs it (the stemmers are not thread-safe).
class PassageHighlighter
{
public:
    static constexpr int excerptWords = 40;

    PassageHighlighter(const QStringList &queryWords, const QStringList &languages);
    ~PassageHighlighter();

    PassageHighlighter(const PassageHighlighter &) = delete;
    PassageHighlighter &operator=(const PassageHighlighter &) = delete;

    /// The whole @p text if short, else about excerptWords words around the densest cluster of
    /// matches (or its opening when nothing matches), with the matches as spans.
    [[nodiscard]] HighlightedText excerpt(const QString &text) const;

private:
    [[nodiscard]] bool matches(QStringView word) const;
    [[nodiscard]] QStringList stems(const QString &folded) const;

    std::vector<sb_stemmer *> m_stemmers;
    QSet<QString> m_keys;   ///< folded query words and their stems in every language searched
    QStringList m_cjkWords; ///< matched as substrings
};

} // namespace ragdesk
