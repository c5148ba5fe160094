#include "core/chat/CitationParser.h"

#include <optional>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
// Models write many numbers in brackets that are not citations; a "range" wider than this is
// prose ("[1-1000]"), and longer numbers are ids or amounts.
constexpr int kMaxRangeWidth = 100;
constexpr int kMaxDigits = 6;

class Scanner
{
public:
    Scanner(QStringView text, int sourceCount, AnswerState state)
        : m_text(text)
        , m_sourceCount(sourceCount)
        , m_partial(state == AnswerState::Partial)
    {
    }

    CitationParse run();

private:
    [[nodiscard]] QChar at(qsizetype i) const { return i < m_text.size() ? m_text[i] : QChar(); }
    [[nodiscard]] qsizetype runOf(qsizetype i, QChar c) const
    {
        qsizetype j = i;
        while (j < m_text.size() && m_text[j] == c)
            ++j;
        return j - i;
    }
    [[nodiscard]] qsizetype lineEnd(qsizetype i) const
    {
        const qsizetype nl = m_text.indexOf(u'\n', i);
        return nl < 0 ? m_text.size() : nl + 1;
    }
    qsizetype skipFencedBlock(qsizetype from, QChar fence, qsizetype width) const;
    std::optional<qsizetype> skipInlineCode(qsizetype i) const;
    [[nodiscard]] qsizetype paragraphEnd(qsizetype from) const;
    std::optional<qsizetype> readMarker(qsizetype i, CitationMarker &marker) const;
    qsizetype skipSpaces(qsizetype j) const
    {
        while (j < m_text.size() && m_text[j] == u' ')
            ++j;
        return j;
    }
    std::optional<std::pair<qsizetype, int>> readNumber(qsizetype j) const;
    void add(CitationMarker &marker, int number) const;

    QStringView m_text;
    int m_sourceCount;
    bool m_partial;
};

CitationParse Scanner::run()
{
    CitationParse parse;
    qsizetype i = 0;
    bool lineStart = true;
    while (i < m_text.size()) {
        if (lineStart) {
            lineStart = false;
            // CommonMark: a fence is 3+ backticks or tildes after at most 3 spaces of indent.
            qsizetype j = i;
            while (j < m_text.size() && j - i < 3 && m_text[j] == u' ')
                ++j;
            const QChar c = at(j);
            if ((c == u'`' || c == u'~') && runOf(j, c) >= 3) {
                i = skipFencedBlock(lineEnd(j), c, runOf(j, c));
                lineStart = true;
                continue;
            }
        }
        const QChar c = m_text[i];
        if (c == u'\n') {
            lineStart = true;
            ++i;
        } else if (c == u'\\') {
            i += 2; // an escaped bracket is literal text
        } else if (c == u'`') {
            const auto end = skipInlineCode(i);
            if (!end)
                break; // an open code span that may still close: nothing after it is prose yet
            i = *end;
        } else if (c == u']' && at(i + 1) == u'(') {
            // A link destination "](url)": its brackets are part of the URL, not citations.
            const qsizetype newline = m_text.indexOf(u'\n', i);
            const qsizetype paren = m_text.indexOf(u')', i + 2);
            if (paren >= 0 && (newline < 0 || paren < newline))
                i = paren + 1;
            else if (m_partial && newline < 0)
                break; // the ")" may still come
            else
                i += 2;
        } else if (c == u'[' || c == u'\u3010' || c == u'\uff3b') {
            CitationMarker marker;
            if (const auto end = readMarker(i, marker)) {
                marker.start = i;
                marker.length = *end - i;
                for (int n : std::as_const(marker.sources))
                    if (!parse.cited.contains(n))
                        parse.cited.append(n);
                for (int n : std::as_const(marker.outOfRange))
                    if (!parse.outOfRange.contains(n))
                        parse.outOfRange.append(n);
                parse.markers.append(std::move(marker));
                i = *end;
            } else {
                ++i;
            }
        } else {
            ++i;
        }
    }
    return parse;
}

qsizetype Scanner::skipFencedBlock(qsizetype from, QChar fence, qsizetype width) const
{
    qsizetype i = from;
    while (i < m_text.size()) {
        const qsizetype next = lineEnd(i);
        qsizetype j = i;
        while (j < next && j - i < 3 && m_text[j] == u' ')
            ++j;
        const qsizetype run = runOf(j, fence);
        if (run >= width && m_text.sliced(j + run, next - j - run).trimmed().isEmpty())
            return next;
        i = next;
    }
    return m_text.size(); // unclosed: the rest is code
}

qsizetype Scanner::paragraphEnd(qsizetype from) const
{
    qsizetype i = lineEnd(from);
    while (i < m_text.size()) {
        const qsizetype next = lineEnd(i);
        if (m_text.sliced(i, next - i).trimmed().isEmpty())
            return i;
        i = next;
    }
    return m_text.size();
}

std::optional<qsizetype> Scanner::skipInlineCode(qsizetype i) const
{
    const qsizetype width = runOf(i, u'`');
    const qsizetype limit = paragraphEnd(i); // a code span never crosses a blank line
    for (qsizetype j = i + width; j < limit;) {
        const qsizetype run = runOf(j, u'`');
        if (run == width)
            return j + run;
        j += run > 0 ? run : 1;
    }
    // No closing run. In a finished paragraph the backticks are literal text; in one still
    // streaming they may yet close, so the caller stops rather than report markers that vanish.
    if (m_partial && limit == m_text.size())
        return std::nullopt;
    return i + width;
}

std::optional<std::pair<qsizetype, int>> Scanner::readNumber(qsizetype j) const
{
    int value = 0;
    int digits = 0;
    // digitValue() also reads full-width digits, which come with full-width brackets.
    while (j < m_text.size() && m_text[j].isDigit() && m_text[j].digitValue() >= 0) {
        if (++digits > kMaxDigits)
            return std::nullopt;
        value = value * 10 + m_text[j].digitValue();
        ++j;
    }
    if (digits == 0)
        return std::nullopt;
    return std::pair{j, value};
}

void Scanner::add(CitationMarker &marker, int number) const
{
    QList<int> &list = (number >= 1 && number <= m_sourceCount) ? marker.sources : marker.outOfRange;
    if (!list.contains(number))
        list.append(number);
}

std::optional<qsizetype> Scanner::readMarker(qsizetype i, CitationMarker &marker) const
{
    const QChar open = m_text[i];
    const QChar close = open == u'[' ? u']' : open == u'\u3010' ? u'\u3011' : u'\uff3d';
    qsizetype j = i + 1;
    if (at(j) == u'^')
        ++j; // footnote style
    static const QStringView prefixes[] = {u"sources", u"source", u"id", u"ref"};
    while (true) {
        j = skipSpaces(j);
        for (QStringView prefix : prefixes) {
            const QStringView word = m_text.sliced(j).left(prefix.size());
            if (word.compare(prefix, Qt::CaseInsensitive) == 0 && !at(j + prefix.size()).isLetter()) {
                j = skipSpaces(j + prefix.size());
                if (at(j) == u':')
                    j = skipSpaces(j + 1);
                break;
            }
        }
        const auto first = readNumber(j);
        if (!first)
            return std::nullopt;
        int low = first->second;
        int high = low;
        j = skipSpaces(first->first);
        if (at(j) == u'-' || at(j) == u'\u2013') {
            const auto last = readNumber(skipSpaces(j + 1));
            if (!last)
                return std::nullopt;
            high = last->second;
            j = skipSpaces(last->first);
            if (low > high)
                std::swap(low, high);
            if (high - low > kMaxRangeWidth)
                return std::nullopt;
        }
        for (int n = low; n <= high; ++n)
            add(marker, n);
        if (at(j) == u',' || at(j) == u';') {
            ++j;
            continue;
        }
        if (at(j) != close)
            return std::nullopt; // includes the end of a streaming prefix: not a marker yet
        ++j;
        break;
    }
    if (close == u']') {
        if (at(j) == u'(')
            return std::nullopt; // a markdown link "[1](url)"
        if (m_partial && j == m_text.size())
            return std::nullopt; // a "(" may still follow and make it a link
    }
    return j;
}
} // namespace

CitationParse CitationParser::parse(QStringView answer, int sourceCount, AnswerState state)
{
    return Scanner(answer, sourceCount, state).run();
}

} // namespace ragdesk
