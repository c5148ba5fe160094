#include "core/retrieval/PassageHighlighter.h"

#include "core/retrieval/QueryAnalyzer.h"
#include "core/storage/SearchTokenizer.h"

#include <libstemmer.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr qsizetype wholeTextLength = 320; ///< shorter chunks are shown whole

bool hasCjk(const QString &word)
{
    const QList<uint> characters = word.toUcs4();
    return std::ranges::any_of(characters, [](uint c) { return SearchTokenizer::isCjk(char32_t(c)); });
}

bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c.isMark();
}

/// A word of the text: where it is and whether it matched.
struct Word {
    qsizetype start = 0;
    qsizetype end = 0;
    bool match = false;
};
} // namespace

PassageHighlighter::PassageHighlighter(const QStringList &queryWords, const QStringList &languages)
{
    for (const QString &language : languages) {
        if (language.isEmpty())
            continue;
        if (sb_stemmer *stemmer = sb_stemmer_new(language.toUtf8().constData(), "UTF_8"))
            m_stemmers.push_back(stemmer);
    }
    for (const QString &word : queryWords) {
        if (hasCjk(word)) {
            m_cjkWords.append(word);
            continue;
        }
        const QString folded = QueryAnalyzer::folded(word);
        m_keys.insert(folded);
        for (const QString &stem : stems(folded))
            m_keys.insert(stem);
    }
}

PassageHighlighter::~PassageHighlighter()
{
    for (sb_stemmer *stemmer : m_stemmers)
        sb_stemmer_delete(stemmer);
}

QStringList PassageHighlighter::stems(const QString &folded) const
{
    QStringList result;
    const QByteArray utf8 = folded.toUtf8();
    for (sb_stemmer *stemmer : m_stemmers) {
        const sb_symbol *stem = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol *>(utf8.constData()),
                                                int(utf8.size()));
        if (stem)
            result.append(QString::fromUtf8(reinterpret_cast<const char *>(stem), sb_stemmer_length(stemmer)));
    }
    return result;
}

bool PassageHighlighter::matches(QStringView word) const
{
    const QString folded = QueryAnalyzer::folded(word.toString());
    if (m_keys.contains(folded))
        return true;
    const QStringList wordStems = stems(folded);
    return std::ranges::any_of(wordStems, [this](const QString &stem) { return m_keys.contains(stem); });
}

HighlightedText PassageHighlighter::excerpt(const QString &text) const
{
    QList<Word> words;
    for (qsizetype i = 0; i < text.size();) {
        if (!isWordCharacter(text.at(i))) {
            ++i;
            continue;
        }
        Word word;
        word.start = i;
        while (i < text.size() && isWordCharacter(text.at(i)))
            ++i;
        word.end = i;
        word.match = !m_keys.isEmpty() && matches(QStringView(text).sliced(word.start, word.end - word.start));
        words.append(word);
    }
    QList<std::pair<qsizetype, qsizetype>> spans; // in text
    for (const Word &word : std::as_const(words)) {
        if (word.match)
            spans.append({word.start, word.end - word.start});
    }
    for (const QString &cjk : m_cjkWords) {
        for (qsizetype at = text.indexOf(cjk); at >= 0; at = text.indexOf(cjk, at + cjk.size()))
            spans.append({at, cjk.size()});
    }
    std::ranges::sort(spans);

    // The window of excerptWords words holding the most matches; the opening if none.
    qsizetype from = 0;
    qsizetype to = text.size();
    if (text.size() > wholeTextLength && !words.isEmpty()) {
        const qsizetype window = std::min<qsizetype>(excerptWords, words.size());
        qsizetype bestFirst = 0;
        qsizetype best = -1;
        for (qsizetype first = 0; first + window <= words.size(); ++first) {
            const qsizetype startAt = words[first].start;
            const qsizetype endAt = words[first + window - 1].end;
            const auto inside = std::ranges::count_if(spans, [&](const auto &span) {
                return span.first >= startAt && span.first + span.second <= endAt;
            });
            if (inside > best) {
                best = inside;
                bestFirst = first;
            }
            if (spans.isEmpty())
                break; // nothing to find: the opening it is
        }
        from = words[bestFirst].start;
        to = words[bestFirst + window - 1].end;
    }

    HighlightedText result;
    // Whitespace is collapsed as the excerpt is copied, and the spans shifted with it.
    const bool cutStart = from > 0;
    const bool cutEnd = to < text.size();
    if (cutStart)
        result.text = u"…"_s;
    QList<qsizetype> offsetOf(to - from + 1, 0);
    bool lastSpace = cutStart;
    for (qsizetype i = from; i < to; ++i) {
        offsetOf[i - from] = result.text.size();
        const QChar c = text.at(i);
        if (c.isSpace()) {
            if (!lastSpace && !result.text.isEmpty())
                result.text.append(u' ');
            lastSpace = true;
        } else {
            result.text.append(c);
            lastSpace = false;
        }
    }
    offsetOf[to - from] = result.text.size();
    while (result.text.endsWith(u' '))
        result.text.chop(1);
    if (cutEnd)
        result.text.append(u'…');
    for (const auto &[start, length] : std::as_const(spans)) {
        if (start < from || start + length > to)
            continue;
        const qsizetype mappedStart = offsetOf[start - from];
        const qsizetype mappedEnd = std::min(offsetOf[start + length - from], result.text.size());
        if (mappedEnd > mappedStart && (result.spans.isEmpty() || mappedStart >= result.spans.last().first + result.spans.last().second))
            result.spans.append({mappedStart, mappedEnd - mappedStart});
    }
    return result;
}

} // namespace ragdesk
