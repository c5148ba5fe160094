#include "core/chat/CitationAligner.h"

#include "core/retrieval/Stopwords.h"

#include <QTextBoundaryFinder>
#include <QVarLengthArray>

#include <algorithm>
#include <vector>

namespace ragdesk {

namespace {
// Words are compared as 64-bit hashes of their case-folded letters, so scanning an answer and
// its sources allocates no QString per word; a collision would only add one matched word.
using WordKey = quint64;

WordKey keyOf(const QVarLengthArray<char32_t, 48> &word)
{
    qsizetype size = word.size();
    // A plural "s" is dropped so "passages" in the answer still matches "passage" in the
    // source; the full stemmer lives in retrieval, which chat does not link.
    if (size > 3 && word[size - 1] == U's' && word[size - 2] != U's')
        --size;
    WordKey hash = 0xcbf29ce484222325ULL; // FNV-1a
    for (qsizetype i = 0; i < size; ++i) {
        hash ^= word[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/// Calls @p onWord with the key of every word: a run of letters and digits, case-folded.
/// Apostrophes inside a word are dropped ("model's" is "models", then "model").
template<typename OnWord>
void forEachWord(QStringView text, OnWord &&onWord)
{
    QVarLengthArray<char32_t, 48> word;
    const auto flush = [&] {
        if (!word.isEmpty())
            onWord(keyOf(word));
        word.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (QChar::isLetterOrNumber(c))
            word.append(QChar::toCaseFolded(c));
        else if (c != U'\'' && c != U'\u2019')
            flush();
    }
    flush();
}

std::vector<WordKey> sortedKeys(QStringView text)
{
    std::vector<WordKey> keys;
    keys.reserve(static_cast<size_t>(text.size() / 5));
    forEachWord(text, [&](WordKey key) { keys.push_back(key); });
    std::ranges::sort(keys);
    keys.erase(std::ranges::unique(keys).begin(), keys.end());
    return keys;
}

bool contains(const std::vector<WordKey> &sorted, WordKey key)
{
    return std::ranges::binary_search(sorted, key);
}

// The search's stopword lists, for every language it has one: answers come in any of them.
const std::vector<WordKey> &stopwords()
{
    static const std::vector<WordKey> keys = [] {
        QStringList words;
        for (const char *language : {"en", "de", "fr", "es", "it", "pt", "nl"})
            words += Stopwords::of(QString::fromLatin1(language)).values();
        return sortedKeys(words.join(u' '));
    }();
    return keys;
}
} // namespace

QList<CitationMarker> CitationAligner::align(QStringView answer, const QList<QString> &sources)
{
    QList<CitationMarker> markers;
    if (answer.isEmpty() || sources.isEmpty())
        return markers;

    std::vector<std::vector<WordKey>> sourceWords;
    sourceWords.reserve(static_cast<size_t>(sources.size()));
    for (const QString &source : sources)
        sourceWords.push_back(sortedKeys(source));
    const auto &stop = stopwords();

    std::vector<WordKey> sentenceWords;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Sentence, answer);
    qsizetype start = 0;
    for (qsizetype end = finder.toNextBoundary(); end != -1; start = end, end = finder.toNextBoundary()) {
        // Trimmed, so the marker covers the words and not the space before the next sentence.
        qsizetype first = start;
        qsizetype last = end;
        while (first < last && answer[first].isSpace())
            ++first;
        while (last > first && answer[last - 1].isSpace())
            --last;
        const QStringView sentence = answer.sliced(first, last - first);

        sentenceWords.clear();
        forEachWord(sentence, [&](WordKey key) {
            if (!contains(stop, key))
                sentenceWords.push_back(key);
        });
        std::ranges::sort(sentenceWords);
        sentenceWords.erase(std::ranges::unique(sentenceWords).begin(), sentenceWords.end());
        if (std::ssize(sentenceWords) < kMinWords)
            continue;

        int bestSource = -1;
        int bestMatched = 0;
        for (int s = 0; s < std::ssize(sourceWords); ++s) {
            const auto matched = std::ranges::count_if(
                sentenceWords, [&](WordKey key) { return contains(sourceWords[static_cast<size_t>(s)], key); });
            if (matched > bestMatched) { // strictly greater: a tie keeps the higher-ranked source
                bestMatched = static_cast<int>(matched);
                bestSource = s;
            }
        }
        if (bestMatched >= kMinWords && bestMatched >= kMinShare * static_cast<double>(sentenceWords.size()))
            markers.append(CitationMarker{first, last - first, {bestSource + 1}, {}, true});
    }
    return markers;
}

} // namespace ragdesk
