#pragma once

#include <QString>
#include <QStringList>

namespace ragdesk {

/// What the keyword stage searches for, derived from what the user typed.
struct AnalyzedQuery {
    QStringList words;         ///< the query's words in order, stopwords removed (unless all were)
    QStringList droppedStopwords;
    QString matchExpression;   ///< an FTS5 MATCH expression for chunks_fts; empty: nothing to search
    QStringList languages;     ///< those the expression looks words up in
    /// matchExpression for people: language tags shown as "en:" instead of control characters.
    [[nodiscard]] QString readableExpression() const;
    [[nodiscard]] bool isEmpty() const { return matchExpression.isEmpty(); }
};

/// Turns a query into an FTS5 expression. Word boundaries come from ICU, which also splits
/// Chinese and Japanese runs into dictionary words; folding and stemming happen in the index's
/// tokenizer (SearchTokenizer), to which each word is handed with its language tag.
///
/// The expression matches any word, so a passage missing one word still ranks; BM25 ranks
/// passages with more and rarer words first. With two or more words the whole query is added
/// as a phrase: a passage with the words together scores that phrase on top of its words.
/// The user's own FTS5 syntax is never interpreted: every word is quoted, so "AND", "*" or
/// unbalanced quotes are just text.
class QueryAnalyzer
{
public:
    static constexpr int maxWords = 24; ///< longer queries are cut here; BM25 gains nothing after

    /// @p languages: those of the knowledge bases searched ("en", "de", ...; empty entries fold
    /// without stemming). A word is looked up once per language, since each knowledge base's
    /// chunks were stemmed in its own.
    static AnalyzedQuery analyze(const QString &query, const QStringList &languages);

    /// The expression for @p words, with @p commonWords (a subset, see KeywordIndex::commonWords)
    /// kept only inside the phrase.
    static QString matchExpression(const QStringList &words, const QStringList &languages,
                                   const QStringList &commonWords);
    /// One word, quoted and tagged, as an expression of its own (for counting its matches).
    static QString termExpression(const QString &word, const QString &language);

    /// The query's words by ICU word boundaries, punctuation and spaces dropped.
    static QStringList words(const QString &query);
    /// Case- and diacritic-folded, as the index folds: for stopword lookups.
    static QString folded(const QString &word);
    /// Whether @p foldedWord is a stopword of @p language (lists for en, de, fr, es, it, pt, nl).
    static bool isStopword(const QString &foldedWord, const QString &language);
};

} // namespace ragdesk
