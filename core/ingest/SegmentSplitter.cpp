#include "core/ingest/SegmentSplitter.h"

#include "core/ingest/TokenEstimator.h"

#include <QTextBoundaryFinder>

#include <algorithm>
#include <array>

namespace ragdesk {

namespace {
using CharClass = TokenEstimator::CharClass;

constexpr char32_t zeroWidthJoiner = 0x200D;

char32_t codePointAt(const QChar *data, qsizetype i, qsizetype end, qsizetype *length)
{
    const char16_t unit = data[i].unicode();
    if (QChar::isHighSurrogate(unit) && i + 1 < end && data[i + 1].isLowSurrogate()) {
        *length = 2;
        return QChar::surrogateToUcs4(unit, data[i + 1].unicode());
    }
    *length = 1;
    return unit;
}

char32_t codePointBefore(const QChar *data, qsizetype i, qsizetype *length)
{
    const char16_t unit = data[i - 1].unicode();
    if (QChar::isLowSurrogate(unit) && i >= 2 && data[i - 2].isHighSurrogate()) {
        *length = 2;
        return QChar::surrogateToUcs4(data[i - 2].unicode(), unit);
    }
    *length = 1;
    return unit;
}

/// Characters that belong to the one before them: breaking before them splits what a reader sees as one.
bool isGlue(char32_t c)
{
    if (c < 0x300)
        return false;
    if (c == zeroWidthJoiner || c == 0xFF9E || c == 0xFF9F) // half-width katakana voice marks are letters
        return true;
    const auto category = QChar::category(c);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
        || category == QChar::Mark_Enclosing;
}

/// A word boundary: next to whitespace, or next to a CJK character (those scripts have no spaces).
bool isBoundary(char32_t before, CharClass beforeClass, char32_t after, CharClass afterClass)
{
    if (beforeClass == CharClass::Space || afterClass == CharClass::Space)
        return true;
    return (beforeClass == CharClass::Cjk || afterClass == CharClass::Cjk) && !isGlue(after)
        && before != zeroWidthJoiner;
}

bool isTerminator(char32_t c)
{
    switch (c) {
    case u'.': case u'!': case u'?': case u'\u2026': case u'\u203C': case u'\u2047': case u'\u2048':
    case u'\u2049': case u'\u061F': case u'\u0964': case u'\u0965':
        return true;
    default:
        return false;
    }
}

/// Full-width terminators end a sentence without a following space.
bool isCjkTerminator(char32_t c)
{
    return c == u'\u3002' || c == u'\uFF01' || c == u'\uFF1F' || c == u'\uFF0E' || c == u'\uFF61';
}

/// Closing quotes and brackets may sit between a terminator and the break.
bool isCloser(char32_t c)
{
    switch (c) {
    case u'"': case u'\'': case u')': case u']': case u'}': case u'\u00BB': case u'\u2019': case u'\u201D':
    case u'\u300D': case u'\u300F': case u'\uFF09': case u'\u3011': case u'\u3015': case u'\u3009':
    case u'\u300B': case u'\uFF02':
        return true;
    default:
        return false;
    }
}
} // namespace

SegmentSplitter::SegmentSplitter(QStringView text, QList<Block> blocks, Options options)
    : m_text(text)
    , m_blocks(std::move(blocks))
    , m_options(options)
{
    Q_ASSERT(!m_blocks.isEmpty());
    m_options.budget = std::max(1, m_options.budget);
    // Overlap past half the budget would leave pieces that are mostly repetition.
    m_options.overlap = std::clamp(m_options.overlap, 0, m_options.budget / 2);
    m_options.minFill = std::clamp(m_options.minFill, 0, m_options.budget);
    m_cursor = m_blocks.constFirst().start;
    m_end = m_blocks.constLast().end;
}

std::optional<SegmentSplitter::Piece> SegmentSplitter::next()
{
    const qsizetype content = firstNonSpace(m_cursor);
    if (content >= m_end) {
        m_cursor = m_end;
        return std::nullopt;
    }
    // Every cut lies beyond `content`, so each piece brings new text and the loop always ends.
    qsizetype start = m_cursor;
    std::optional<qsizetype> cut;
    if (m_previous) {
        if (const auto overlap = overlapStart(*m_previous)) {
            cut = findCut(*overlap, content);
            start = *overlap;
        }
    }
    if (!cut) {
        start = m_cursor;
        cut = findCut(m_cursor, content);
    }
    Q_ASSERT(cut && *cut > content);
    qsizetype end = *cut;
    while (end > content + 1 && m_text[end - 1].isSpace())
        --end;
    m_previous = Piece{start, end};
    m_cursor = contentStart(*cut);
    return m_previous;
}

std::optional<qsizetype> SegmentSplitter::findCut(qsizetype from, qsizetype minPos) const
{
    struct Candidate {
        qsizetype pos = -1;
        int tokens = 0;
    };
    std::array<Candidate, LevelCount> best{};
    TokenEstimator counter;
    const QChar *data = m_text.data();

    qsizetype blockIndex = blockIndexAt(from);
    auto nextBlockStart = [this](qsizetype index) {
        return index + 1 < m_blocks.size() ? m_blocks[index + 1].start : m_end;
    };
    qsizetype blockStart = nextBlockStart(blockIndex);
    bool inCode = m_blocks[blockIndex].code;

    char32_t before = 0;
    CharClass beforeClass = CharClass::Space;
    bool sentenceEnd = false;
    bool cjkSentenceEnd = false;
    qsizetype i = from;
    while (i < m_end) {
        qsizetype length = 1;
        const char32_t c = codePointAt(data, i, m_end, &length);
        const CharClass charClass = TokenEstimator::classify(c);
        bool atBlockStart = false;
        if (i == blockStart) {
            ++blockIndex;
            inCode = m_blocks[blockIndex].code;
            blockStart = nextBlockStart(blockIndex);
            atBlockStart = true;
        }
        if (i > minPos) {
            Level level = LevelCount;
            if (atBlockStart || (inCode && before == u'\n'))
                level = BlockBreak;
            else if (isBoundary(before, beforeClass, c, charClass)) {
                const bool sentence = charClass == CharClass::Space
                    ? sentenceEnd
                    : (beforeClass != CharClass::Space && cjkSentenceEnd);
                level = sentence ? SentenceBreak : WordBreak;
            }
            if (level != LevelCount)
                best[level] = {i, counter.total()};
        }
        counter.add(charClass);
        if (counter.total() > m_options.budget)
            break;
        if (charClass != CharClass::Space) {
            if (isTerminator(c) || isCjkTerminator(c)) {
                sentenceEnd = true;
                cjkSentenceEnd = isCjkTerminator(c);
            } else if (!isCloser(c)) {
                sentenceEnd = cjkSentenceEnd = false;
            }
        }
        before = c;
        beforeClass = charClass;
        i += length;
    }
    if (i >= m_end)
        return m_end; // the rest of the section fits

    for (const Level level : {BlockBreak, SentenceBreak}) {
        if (best[level].pos >= 0 && best[level].tokens >= m_options.minFill)
            return best[level].pos;
    }
    qsizetype latest = -1;
    for (const Candidate &candidate : best)
        latest = std::max(latest, candidate.pos);
    if (latest >= 0)
        return latest;
    // With overlap in front, a word may overflow that would fit alone: retry without the overlap,
    // so only a word longer than the whole budget is ever cut.
    if (from < minPos && TokenEstimator::estimate(m_text.sliced(from, minPos - from)) > 0)
        return std::nullopt;
    return forcedCut(minPos, i);
}

qsizetype SegmentSplitter::forcedCut(qsizetype minPos, qsizetype overflowAt) const
{
    // A small window around the cut keeps this O(1) per piece: a grapheme finder over a 50 MB word
    // would build attributes for all of it.
    constexpr qsizetype lookBehind = 64;
    constexpr qsizetype lookAhead = 16;
    qsizetype windowStart = std::max(minPos, overflowAt - lookBehind);
    if (windowStart > 0 && m_text[windowStart].isLowSurrogate() && m_text[windowStart - 1].isHighSurrogate())
        --windowStart;
    qsizetype windowEnd = std::min(m_end, overflowAt + lookAhead);
    if (windowEnd < m_end && m_text[windowEnd].isLowSurrogate())
        ++windowEnd;

    unsigned char buffer[lookBehind + lookAhead + 8];
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, m_text.sliced(windowStart, windowEnd - windowStart),
                               buffer, sizeof buffer);
    finder.setPosition(overflowAt - windowStart);
    const qsizetype grapheme = finder.isAtBoundary() ? finder.position() : finder.toPreviousBoundary();
    // Position 0 of the window is a boundary only because the window starts there.
    if (grapheme > 0 && windowStart + grapheme > minPos)
        return windowStart + grapheme;
    return overflowAt; // one grapheme exceeds the budget: a code point boundary is the best left
}

std::optional<qsizetype> SegmentSplitter::overlapStart(Piece previous) const
{
    if (m_options.overlap <= 0)
        return std::nullopt;
    const QChar *data = m_text.data();
    // Counting backwards gives the same total as estimate() once a whole word is included.
    int tokens = 0;
    int run = 0;
    std::optional<qsizetype> start;
    qsizetype blockIndex = blockIndexAt(previous.end - 1);
    qsizetype i = previous.end;
    while (i > previous.start) {
        qsizetype length = 1;
        const char32_t c = codePointBefore(data, i, &length);
        const qsizetype at = i - length;
        const CharClass charClass = TokenEstimator::classify(c);
        if (charClass == CharClass::Word) {
            if (run++ % 4 == 0)
                ++tokens;
        } else {
            run = 0;
            tokens += charClass == CharClass::Space ? 0 : 1;
        }
        if (tokens > m_options.overlap)
            break;
        if (at > previous.start) {
            while (blockIndex > 0 && at < m_blocks[blockIndex].start)
                --blockIndex;
            bool candidate = false;
            if (m_blocks[blockIndex].code) {
                // Overlap in code starts at a line, so the repeated lines read as code.
                candidate = data[at - 1] == u'\n' && c != u'\n';
            } else if (charClass != CharClass::Space) {
                qsizetype beforeLength = 1;
                const char32_t before = codePointBefore(data, at, &beforeLength);
                candidate = isBoundary(before, TokenEstimator::classify(before), c, charClass);
            }
            if (candidate)
                start = at;
        }
        i = at;
    }
    return start;
}

qsizetype SegmentSplitter::contentStart(qsizetype cut) const
{
    const qsizetype content = firstNonSpace(cut);
    if (content >= m_end || !m_blocks[blockIndexAt(content)].code)
        return content;
    for (qsizetype k = content - 1; k >= cut - 1 && k >= 0; --k) {
        if (m_text[k] == u'\n')
            return k + 1;
    }
    return content;
}

qsizetype SegmentSplitter::firstNonSpace(qsizetype from) const
{
    while (from < m_end && m_text[from].isSpace())
        ++from;
    return from;
}

qsizetype SegmentSplitter::blockIndexAt(qsizetype pos) const
{
    const auto after = std::upper_bound(m_blocks.cbegin(), m_blocks.cend(), pos,
                                        [](qsizetype value, const Block &block) { return value < block.start; });
    return std::max<qsizetype>(0, std::distance(m_blocks.cbegin(), after) - 1);
}

} // namespace ragdesk
