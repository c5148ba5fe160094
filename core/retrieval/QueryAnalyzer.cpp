#include "core/retrieval/QueryAnalyzer.h"

#include "core/retrieval/Stopwords.h"
#include "core/storage/SearchTokenizer.h"

#include <QRegularExpression>

#include <unicode/ubrk.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
struct BreakIteratorCloser {
    void operator()(UBreakIterator *iterator) const { ubrk_close(iterator); }
};

/// One quoted FTS5 string: the language tag, then the words. Quotes inside are doubled, which
/// is FTS5's only escape; every other character is literal inside a string.
QString quoted(const QString &language, const QString &words)
{
    QString escaped = words;
    escaped.replace(u'"', u"\"\""_s);
    return u'"' + SearchTokenizer::tagged(language, escaped) + u'"';
}
} // namespace

QStringList QueryAnalyzer::words(const QString &query)
{
    QStringList result;
    UErrorCode status = U_ZERO_ERROR;
    // The root locale's word rules include the dictionaries for Chinese, Japanese, Thai, ...
    std::unique_ptr<UBreakIterator, BreakIteratorCloser> iterator(
        ubrk_open(UBRK_WORD, "", reinterpret_cast<const UChar *>(query.utf16()), int32_t(query.size()), &status));
    if (U_FAILURE(status) || !iterator) {
        // Without ICU data, whitespace still separates most languages' words.
        static const QRegularExpression separators(u"[\\s\\p{P}\\p{S}]+"_s);
        return query.split(separators, Qt::SkipEmptyParts);
    }
    int32_t start = ubrk_first(iterator.get());
    for (int32_t end = ubrk_next(iterator.get()); end != UBRK_DONE; start = end, end = ubrk_next(iterator.get())) {
        // Status UBRK_WORD_NONE marks spaces and punctuation; numbers, letters, kana and
        // ideographs have their own ranges above it.
        if (ubrk_getRuleStatus(iterator.get()) != UBRK_WORD_NONE)
            result.append(query.mid(start, end - start));
    }
    return result;
}

QString QueryAnalyzer::folded(const QString &word)
{
    const QString decomposed = word.toCaseFolded().normalized(QString::NormalizationForm_KD);
    QString result;
    result.reserve(decomposed.size());
    for (QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            result.append(c);
    }
    return result;
}

bool QueryAnalyzer::isStopword(const QString &foldedWord, const QString &language)
{
    return Stopwords::of(language).contains(foldedWord);
}

AnalyzedQuery QueryAnalyzer::analyze(const QString &query, const QStringList &languages)
{
    AnalyzedQuery analyzed;
    QStringList all = words(query);
    if (all.size() > maxWords)
        all.resize(maxWords);
    // A word counts as a stopword when it is one in every language searched, so a German
    // "die" is never dropped from an English knowledge base's query.
    const QStringList searched = languages.isEmpty() ? QStringList{QString()} : languages;
    for (const QString &word : std::as_const(all)) {
        const QString key = folded(word);
        const bool stop = std::ranges::all_of(searched, [&](const QString &language) {
            return isStopword(key, language);
        });
        (stop ? analyzed.droppedStopwords : analyzed.words).append(word);
    }
    // "The Who" or "to be or not to be": a query of nothing but stopwords means those words.
    if (analyzed.words.isEmpty()) {
        analyzed.words = all;
        analyzed.droppedStopwords.clear();
    }
    analyzed.languages = languages;
    analyzed.matchExpression = matchExpression(analyzed.words, languages, {});
    return analyzed;
}

QString QueryAnalyzer::matchExpression(const QStringList &words, const QStringList &languages,
                                       const QStringList &commonWords)
{
    if (words.isEmpty())
        return {};
    QStringList uniqueLanguages = languages.isEmpty() ? QStringList{QString()} : languages;
    uniqueLanguages.removeDuplicates();
    // Words in a large share of all chunks are left out as alternatives of their own: their
    // BM25 weight is next to nothing, yet ranking every chunk they occur in is what a query
    // spends its time on. They still count inside the phrase. If every word is that common,
    // all must occur together, which keeps the candidates few.
    QStringList rare = words;
    for (const QString &common : commonWords)
        rare.removeAll(common);
    QStringList alternatives;
    for (const QString &language : std::as_const(uniqueLanguages)) {
        if (rare.isEmpty()) {
            QStringList all;
            for (const QString &word : words)
                all.append(quoted(language, word));
            alternatives.append(u'(' + all.join(u" AND "_s) + u')');
        }
        for (const QString &word : std::as_const(rare))
            alternatives.append(quoted(language, word));
        if (words.size() > 1)
            alternatives.append(quoted(language, words.join(u' ')));
    }
    alternatives.removeDuplicates();
    return alternatives.join(u" OR "_s);
}

QString QueryAnalyzer::termExpression(const QString &word, const QString &language)
{
    return quoted(language, word);
}

QString AnalyzedQuery::readableExpression() const
{
    // "\x01en\x01word" reads as "en:word"; an empty tag (no stemming) as just "word".
    static const QRegularExpression tag(u"\\x{1}([^\\x{1}]*)\\x{1}"_s);
    QString readable = matchExpression;
    readable.replace(tag, u"\\1:"_s);
    return readable.replace(u"\":"_s, u"\""_s);
}

} // namespace ragdesk
