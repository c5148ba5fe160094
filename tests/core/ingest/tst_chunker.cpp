#include "core/ingest/Chunker.h"
#include "core/ingest/TokenEstimator.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
using Kind = TextBlock::Kind;

TextBlock block(Kind kind, QString text, int page = 0, int level = 0, QString header = {})
{
    TextBlock result;
    result.kind = kind;
    result.text = std::move(text);
    result.page = page;
    result.level = level;
    result.header = std::move(header);
    return result;
}
TextBlock heading(int level, QString text, int page = 0) { return block(Kind::Heading, std::move(text), page, level); }
TextBlock paragraph(QString text, int page = 0) { return block(Kind::Paragraph, std::move(text), page); }

ExtractedDocument document(QList<TextBlock> blocks)
{
    ExtractedDocument result;
    result.blocks = std::move(blocks);
    return result;
}

ChunkedDocument chunk(const ExtractedDocument &doc, int target, int overlap)
{
    return Chunker(ChunkingOptions{target, overlap}).chunk(doc);
}

// ---- an independent statement of the rules, used by the property and structure checks ----

bool isSpace(char32_t c) { return TokenEstimator::classify(c) == TokenEstimator::CharClass::Space; }
bool isCjk(char32_t c) { return TokenEstimator::classify(c) == TokenEstimator::CharClass::Cjk; }
bool isGlue(char32_t c)
{
    const auto category = QChar::category(c);
    return c == 0x200D || c == 0xFF9E || c == 0xFF9F || category == QChar::Mark_NonSpacing
        || category == QChar::Mark_SpacingCombining || category == QChar::Mark_Enclosing;
}
bool splitsSurrogatePair(const QString &text, qsizetype pos)
{
    return pos > 0 && pos < text.size() && text[pos - 1].isHighSurrogate() && text[pos].isLowSurrogate();
}
char32_t codePointAt(const QString &text, qsizetype pos)
{
    if (text[pos].isHighSurrogate() && pos + 1 < text.size() && text[pos + 1].isLowSurrogate())
        return QChar::surrogateToUcs4(text[pos], text[pos + 1]);
    return text[pos].unicode();
}
char32_t codePointBefore(const QString &text, qsizetype pos)
{
    if (text[pos - 1].isLowSurrogate() && pos >= 2 && text[pos - 2].isHighSurrogate())
        return QChar::surrogateToUcs4(text[pos - 2], text[pos - 1]);
    return text[pos - 1].unicode();
}
/// Whether a cut at @p pos falls between two words (whitespace or a CJK character on either side).
bool isWordBoundary(const QString &text, qsizetype pos)
{
    if (pos <= 0 || pos >= text.size())
        return true;
    if (splitsSurrogatePair(text, pos))
        return false;
    const char32_t before = codePointBefore(text, pos);
    const char32_t after = codePointAt(text, pos);
    if (isSpace(before) || isSpace(after))
        return true;
    return (isCjk(before) || isCjk(after)) && !isGlue(after) && before != 0x200D;
}

/// Token estimates of the words of a text, each computed once (target 1 cuts a long word everywhere).
class Words
{
public:
    explicit Words(const QString &text) : m_text(text), m_boundary(text.size() + 1)
    {
        for (qsizetype pos = 0; pos <= text.size(); ++pos)
            m_boundary[pos] = isWordBoundary(text, pos);
    }
    bool isBoundary(qsizetype pos) const { return m_boundary[pos]; }
    /// Token estimate of the word that contains @p pos.
    int tokensAround(qsizetype pos)
    {
        qsizetype left = pos;
        while (!m_boundary[left])
            --left;
        if (const auto known = m_tokens.constFind(left); known != m_tokens.cend())
            return *known;
        qsizetype right = pos;
        while (!m_boundary[right])
            ++right;
        return m_tokens[left] = TokenEstimator::estimate(QStringView(m_text).sliced(left, right - left));
    }

private:
    const QString &m_text;
    QList<bool> m_boundary;
    QHash<qsizetype, int> m_tokens;
};

struct Placed {
    TextBlock block;
    qsizetype start = 0;
    qsizetype end = 0;
    bool sectionStart = false;
    QString headingPath; ///< the open headings at this block
    QString sectionPath; ///< what chunks of this block's section carry
};

/// The blocks as the rules place them: offsets in the joined text, section starts, heading paths.
QList<Placed> place(const ExtractedDocument &doc, QString *text)
{
    QList<Placed> placed;
    QList<std::pair<int, QString>> open;
    text->clear();
    for (const TextBlock &b : doc.blocks) {
        if (b.text.trimmed().isEmpty())
            continue;
        if (!placed.isEmpty())
            *text += u"\n\n"_s;
        Placed p{b, text->size(), text->size() + b.text.size(), true, {}, {}};
        *text += b.text;
        if (!placed.isEmpty()) {
            const TextBlock &prev = placed.constLast().block;
            const bool table = b.kind == Kind::TableRow;
            p.sectionStart = (b.kind == Kind::Heading && prev.kind != Kind::Heading) || b.page != prev.page
                || table != (prev.kind == Kind::TableRow) || (table && b.header != prev.header);
        }
        if (b.kind == Kind::Heading) {
            while (!open.isEmpty() && open.constLast().first >= std::max(1, b.level))
                open.removeLast();
            open.append({std::max(1, b.level), b.text.simplified()});
        }
        QStringList titles;
        for (const auto &entry : std::as_const(open))
            titles.append(entry.second);
        p.headingPath = titles.join(u" \u203A "_s);
        placed.append(p);
    }
    // A section's chunks carry the path after its leading headings: the path of its last block.
    for (qsizetype i = placed.size() - 1; i >= 0; --i)
        placed[i].sectionPath = (i + 1 < placed.size() && !placed[i + 1].sectionStart) ? placed[i + 1].sectionPath
                                                                                       : placed[i].headingPath;
    return placed;
}

qsizetype blockAt(const QList<Placed> &placed, qsizetype pos)
{
    for (qsizetype i = 0; i < placed.size(); ++i) {
        if (pos >= placed[i].start && pos < placed[i].end)
            return i;
    }
    return -1;
}

/// Checks every documented rule on one chunking; returns the first violation, empty if none.
QString violation(const ExtractedDocument &doc, const ChunkedDocument &result, int target, bool checkWords = true)
{
    QString text;
    const QList<Placed> placed = place(doc, &text);
    if (result.text != text)
        return u"text is not the blocks joined by blank lines"_s;
    const int budget = std::max(1, target);
    qsizetype covered = 0;
    qsizetype nonSpace = 0;
    for (QChar c : text)
        nonSpace += c.isSpace() ? 0 : 1;
    if (result.chunks.size() > nonSpace)
        return u"more chunks than characters"_s;
    QList<bool> sectionHasChunk(placed.size(), false);
    Words words(text);
    for (qsizetype i = 0; i < result.chunks.size(); ++i) {
        const ChunkDraft &c = result.chunks[i];
        const QString where = u"chunk %1 [%2, %3): "_s.arg(i).arg(c.start).arg(c.end);
        if (c.ordinal != i)
            return where + u"ordinal %1"_s.arg(c.ordinal);
        if (c.start < 0 || c.end > text.size() || c.start >= c.end)
            return where + u"bad range"_s;
        if (c.tokenCount != TokenEstimator::estimate(c.text) || c.tokenCount > budget)
            return where + u"tokenCount %1, estimate %2, budget %3"_s.arg(c.tokenCount)
                                .arg(TokenEstimator::estimate(c.text)).arg(budget);
        const qsizetype first = blockAt(placed, c.start);
        const qsizetype last = blockAt(placed, c.end - 1);
        if (first < 0 || last < 0)
            return where + u"starts or ends between blocks"_s;
        const Placed &lead = placed[first];
        for (qsizetype b = first + 1; b <= last; ++b) {
            if (placed[b].sectionStart)
                return where + u"crosses a hard boundary at block %1"_s.arg(b);
        }
        if (c.page != lead.block.page)
            return where + u"page %1, block page %2"_s.arg(c.page).arg(lead.block.page);
        if (c.headingPath != lead.sectionPath)
            return where + u"headingPath '%1', expected '%2'"_s.arg(c.headingPath, lead.sectionPath);
        const QString mid = text.mid(c.start, c.end - c.start);
        int wordBudget = budget;
        if (lead.block.kind == Kind::TableRow) {
            const QString &header = lead.block.header;
            const bool withHeader = !header.trimmed().isEmpty() && TokenEstimator::estimate(header) <= budget / 2;
            if (c.text != (withHeader ? QString(header + u'\n' + mid) : mid))
                return where + u"table text is not header + rows"_s;
            if (withHeader)
                wordBudget -= TokenEstimator::estimate(header);
        } else if (c.text != mid) {
            return where + u"text is not text.mid(start, end - start)"_s;
        }
        if (splitsSurrogatePair(text, c.start) || splitsSurrogatePair(text, c.end))
            return where + u"splits a surrogate pair"_s;
        if (checkWords) {
            const bool startOk = c.start == lead.start || words.isBoundary(c.start)
                || words.tokensAround(c.start) > wordBudget;
            const bool endOk = c.end == placed[last].end || words.isBoundary(c.end)
                || words.tokensAround(c.end) > wordBudget;
            if (!startOk || !endOk)
                return where + u"cuts a word that fits the budget"_s;
        }
        if (c.start == lead.start && lead.sectionStart)
            sectionHasChunk[first] = true;
        if (i > 0) {
            const ChunkDraft &prev = result.chunks[i - 1];
            if (c.start <= prev.start || c.end <= prev.end)
                return where + u"does not advance"_s;
            if (c.start < prev.end && (lead.sectionStart && c.start == lead.start))
                return where + u"overlaps across a hard boundary"_s;
            if (c.start < prev.end && lead.block.kind == Kind::TableRow)
                return where + u"table rows overlap"_s;
        }
        for (qsizetype k = covered; k < c.start; ++k) {
            if (!text[k].isSpace())
                return where + u"character %1 is in no chunk"_s.arg(k);
        }
        covered = std::max(covered, c.end);
    }
    for (qsizetype k = covered; k < text.size(); ++k) {
        if (!text[k].isSpace())
            return u"character %1 after the last chunk is in no chunk"_s.arg(k);
    }
    for (qsizetype b = 0; b < placed.size(); ++b) {
        if (placed[b].sectionStart && !sectionHasChunk[b])
            return u"no chunk starts at hard boundary block %1"_s.arg(b);
    }
    return {};
}

// ---- generated documents ----

class DocumentGenerator
{
public:
    explicit DocumentGenerator(quint32 seed) : m_random(seed) {}

    ExtractedDocument next()
    {
        ExtractedDocument doc;
        const bool paged = m_random.bounded(3) == 0;
        int page = paged ? 1 : 0;
        const int count = m_random.bounded(40);
        QString header = u"id,name,note"_s;
        for (int i = 0; i < count; ++i) {
            if (paged && m_random.bounded(6) == 0)
                page += 1 + m_random.bounded(2);
            const int pick = m_random.bounded(100);
            if (pick < 12) {
                doc.blocks.append(heading(1 + m_random.bounded(4), words(1 + m_random.bounded(6), false), page));
            } else if (pick < 17) {
                doc.blocks.append(block(Kind::Paragraph, m_random.bounded(2) ? QString() : u"  \n "_s, page));
            } else if (pick < 27) {
                QString code;
                for (int line = 1 + m_random.bounded(30); line > 0; --line)
                    code += u"    "_s.left(m_random.bounded(5)) + words(m_random.bounded(10), false) + u'\n';
                doc.blocks.append(block(Kind::Code, code.trimmed(), page));
            } else if (pick < 40) {
                if (m_random.bounded(4) == 0)
                    header = m_random.bounded(3) ? u"h,%1"_s.arg(m_random.bounded(9)) : QString();
                for (int row = 1 + m_random.bounded(30); row > 0; --row)
                    doc.blocks.append(block(Kind::TableRow, words(1 + m_random.bounded(8), false).replace(u' ', u','),
                                            page, 0, header));
            } else if (pick < 50) {
                doc.blocks.append(block(Kind::ListItem, words(1 + m_random.bounded(30), true), page));
            } else if (pick < 58) {
                QString cjk; // no spaces, as CJK is written
                for (int n = 1 + m_random.bounded(400); n > 0; --n)
                    cjk += m_cjk[m_random.bounded(m_cjk.size())];
                doc.blocks.append(paragraph(cjk, page));
            } else {
                doc.blocks.append(paragraph(words(1 + m_random.bounded(300), true), page));
            }
        }
        return doc;
    }

    int bounded(int limit) { return m_random.bounded(limit); }

private:
    QString words(int count, bool sentences)
    {
        QString out;
        for (int i = 0; i < count; ++i) {
            if (i > 0)
                out += m_random.bounded(15) == 0 ? u"\n"_s : u" "_s;
            if (m_random.bounded(60) == 0) {
                out += longWord(20 + m_random.bounded(600));
            } else {
                out += m_vocabulary[m_random.bounded(m_vocabulary.size())];
            }
            if (sentences && m_random.bounded(8) == 0)
                out += m_random.bounded(2) ? u"."_s : u"?\u201D"_s;
        }
        return out;
    }

    /// A word with no break opportunity: letters, combining marks, emoji and surrogate pairs.
    QString longWord(int length)
    {
        static const QList<QString> parts{u"a"_s, u"Z"_s, u"9"_s, u"e\u0301"_s, u"\U0001F600"_s, u"\U0001F44D\U0001F3FD"_s,
                                          u"\U0001F468\u200D\U0001F469"_s, u"/"_s, u"+"_s, u"\u0915\u094D\u0937"_s};
        QString out;
        while (out.size() < length)
            out += parts[m_random.bounded(parts.size())];
        return out;
    }

    QRandomGenerator m_random;
    const QList<QString> m_vocabulary{
        u"the"_s, u"retrieval"_s, u"a"_s, u"of"_s, u"chunk"_s, u"42"_s, u"3.14"_s, u"caf\u00E9"_s, u"cafe\u0301"_s,
        u"na\u00EFve"_s, u"\U0001F600"_s, u"\U0001F44D\U0001F3FD"_s, u"\u65E5\u672C\u8A9E"_s, u"\U0002000B"_s,
        u"\uD55C\uAD6D\uC5B4"_s, u"\u043F\u0440\u0438\u0432\u0435\u0442"_s, u"\u0645\u0631\u062D\u0628\u0627"_s,
        u"(see)"_s, u"e.g."_s, u"x\u0308\u0323"_s, u"internationalization"_s, u"\u3002"_s, u"--"_s};
    const QList<QString> m_cjk{u"\u65E5"_s, u"\u672C"_s, u"\u8A9E"_s, u"\u3002"_s, u"\u3072"_s, u"\u30AB"_s,
                               u"\uD55C"_s, u"\U00020B9F"_s, u"\u300C"_s, u"\u300D"_s, u"\uFF01"_s, u"\u304B\u3099"_s};
};

// ---- golden files ----

QString goldenDir()
{
    return QString::fromUtf8(RAGDESK_CHUNKER_GOLDEN_DIR);
}

/// Parses a golden input: "%directive" lines start blocks, the lines after them are the block's text.
/// %options target=N overlap=N | %page N | %heading LEVEL | %paragraph | %list | %code |
/// %table HEADER (each following line is one row). A line starting "%%" is text starting "%".
bool parseInput(const QString &source, ExtractedDocument *doc, ChunkingOptions *options)
{
    int page = 0;
    TextBlock current;
    bool open = false;
    bool table = false;
    QStringList lines;
    auto flush = [&] {
        if (open && table) {
            for (const QString &row : std::as_const(lines)) {
                if (!row.trimmed().isEmpty())
                    doc->blocks.append(block(Kind::TableRow, row, page, 0, current.header));
            }
        } else if (open) {
            current.text = lines.join(u'\n').trimmed();
            doc->blocks.append(current);
        }
        lines.clear();
        open = false;
    };
    for (const QString &line : source.split(u'\n')) {
        if (!line.startsWith(u'%') || line.startsWith(u"%%"_s)) {
            if (!open) {
                if (line.trimmed().isEmpty() || line.startsWith(u'#'))
                    continue; // comments before the first block
                return false;
            }
            lines.append(line.startsWith(u"%%"_s) ? line.mid(1) : line);
            continue;
        }
        flush();
        const QString directive = line.section(u' ', 0, 0);
        const QString argument = line.section(u' ', 1);
        if (directive == u"%options"_s) {
            for (const QString &pair : argument.split(u' ', Qt::SkipEmptyParts)) {
                const int value = pair.section(u'=', 1).toInt();
                (pair.startsWith(u"target="_s) ? options->targetTokens : options->overlapTokens) = value;
            }
            continue;
        }
        if (directive == u"%page"_s) {
            page = argument.toInt();
            continue;
        }
        current = TextBlock{};
        current.page = page;
        table = directive == u"%table"_s;
        open = true;
        if (directive == u"%heading"_s) {
            current.kind = Kind::Heading;
            current.level = argument.toInt();
        } else if (directive == u"%list"_s) {
            current.kind = Kind::ListItem;
        } else if (directive == u"%code"_s) {
            current.kind = Kind::Code;
        } else if (table) {
            current.kind = Kind::TableRow;
            current.header = argument;
        } else if (directive != u"%paragraph"_s) {
            return false;
        }
    }
    flush();
    return true;
}

QString describe(const QString &name, const ChunkingOptions &options, const ChunkedDocument &result)
{
    QString out = u"# Expected chunks of %1.input.txt (target %2, overlap %3).\n"
                  "# Regenerate with tests/core/ingest/update-golden.sh and review the diff.\n"_s
                      .arg(name)
                      .arg(options.targetTokens)
                      .arg(options.overlapTokens);
    out += u"text: %1 UTF-16 units\nchunks: %2\n"_s.arg(result.text.size()).arg(result.chunks.size());
    for (const ChunkDraft &c : result.chunks) {
        out += u"\n=== chunk %1 | page %2 | [%3, %4) | %5 tokens\npath: %6\n"_s.arg(c.ordinal)
                   .arg(c.page)
                   .arg(c.start)
                   .arg(c.end)
                   .arg(c.tokenCount)
                   .arg(c.headingPath);
        for (const QString &line : c.text.split(u'\n'))
            out += u"| "_s + line + u'\n';
    }
    return out;
}
} // namespace

class TestChunker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyDocumentGivesNoChunks()
    {
        const auto nothing = chunk(document({}), 512, 64);
        QVERIFY(nothing.text.isEmpty());
        QVERIFY(nothing.chunks.isEmpty());
        const auto blank = chunk(document({paragraph({}), paragraph(u" \n\t "_s), heading(1, u""_s)}), 512, 64);
        QVERIFY(blank.text.isEmpty());
        QVERIFY(blank.chunks.isEmpty());
    }

    void textJoinsBlocksWithBlankLines()
    {
        const auto doc = document({heading(1, u"Title"_s), paragraph(u"one"_s), paragraph(u""_s),
                                   block(Kind::ListItem, u"two\nlines"_s), block(Kind::Code, u"  x = 1"_s)});
        const auto result = chunk(doc, 512, 64);
        QCOMPARE(result.text, u"Title\n\none\n\ntwo\nlines\n\n  x = 1"_s);
        QCOMPARE(result.chunks.size(), 1); // short blocks of one section are packed together
        QCOMPARE(result.chunks[0].text, result.text);
        QCOMPARE(result.chunks[0].start, 0);
        QCOMPARE(result.chunks[0].end, result.text.size());
        QCOMPARE(result.chunks[0].headingPath, u"Title"_s);
        QCOMPARE(result.chunks[0].tokenCount, TokenEstimator::estimate(result.text));
    }

    void headingPathFollowsNesting()
    {
        const auto doc = document({paragraph(u"Preface."_s), heading(1, u"Install"_s), paragraph(u"a"_s),
                                   heading(2, u"Linux"_s), heading(3, u"Debian\n  13"_s), paragraph(u"b"_s),
                                   heading(2, u"Windows"_s), paragraph(u"c"_s), heading(1, u"Use"_s)});
        const auto result = chunk(doc, 512, 64);
        QStringList paths;
        QStringList firsts;
        for (const ChunkDraft &c : result.chunks) {
            paths.append(c.headingPath);
            firsts.append(c.text.section(u'\n', 0, 0));
        }
        // "Linux" is followed at once by "Debian 13": headings in a row share a chunk and its deepest path.
        QCOMPARE(paths, (QStringList{u""_s, u"Install"_s, u"Install \u203A Linux \u203A Debian 13"_s,
                                     u"Install \u203A Windows"_s, u"Use"_s}));
        // Each heading line (or run of headings) starts its chunk.
        QCOMPARE(firsts, (QStringList{u"Preface."_s, u"Install"_s, u"Linux"_s, u"Windows"_s, u"Use"_s}));
        QCOMPARE(violation(doc, result, 512), QString());
    }

    void pageChangeStartsChunkWithoutOverlap()
    {
        const auto doc = document({paragraph(u"alpha beta"_s, 1), paragraph(u"gamma delta"_s, 1),
                                   paragraph(u"epsilon"_s, 2), paragraph(u"zeta"_s, 4)});
        const auto result = chunk(doc, 512, 64);
        QCOMPARE(result.chunks.size(), 3);
        QCOMPARE(result.chunks[0].text, u"alpha beta\n\ngamma delta"_s);
        QCOMPARE(result.chunks[1].page, 2);
        QCOMPARE(result.chunks[1].text, u"epsilon"_s);
        QCOMPARE(result.chunks[2].page, 4);
        QCOMPARE(violation(doc, result, 512), QString());
    }

    void tableRowsStayApartWithHeader()
    {
        QList<TextBlock> blocks{paragraph(u"Prices below."_s)};
        for (int i = 0; i < 40; ++i)
            blocks.append(block(Kind::TableRow, u"%1,item %1,%2"_s.arg(i).arg(i * 3), 0, 0, u"id,name,price"_s));
        blocks.append(paragraph(u"After the table."_s));
        const auto doc = document(blocks);
        const auto result = chunk(doc, 40, 10);
        QVERIFY(result.chunks.size() > 3);
        QCOMPARE(result.chunks.constFirst().text, u"Prices below."_s);
        QCOMPARE(result.chunks.constLast().text, u"After the table."_s);
        for (qsizetype i = 1; i + 1 < result.chunks.size(); ++i) {
            QVERIFY(result.chunks[i].text.startsWith(u"id,name,price\n"_s));
            QVERIFY(!result.chunks[i].text.contains(u"Prices"_s));
            QVERIFY(!result.chunks[i].text.endsWith(u","_s)); // whole rows
        }
        QCOMPARE(violation(doc, result, 40), QString());

        // A header that would eat more than half the budget is left out rather than starve the rows.
        const QString wide = u"a,b,c,d,e,f,g,h,i,j,k,l"_s;
        const auto narrow = chunk(document({block(Kind::TableRow, u"1,2"_s, 0, 0, wide)}), 16, 0);
        QCOMPARE(narrow.chunks.size(), 1);
        QCOMPARE(narrow.chunks[0].text, u"1,2"_s);
    }

    void prefersBlockThenSentenceThenWord()
    {
        // The block boundary wins when the chunk is at least half full.
        const QString p1 = u"one two three four five six seven eight nine ten."_s;
        const QString p2 = u"eleven twelve thirteen fourteen fifteen sixteen."_s;
        auto result = chunk(document({paragraph(p1), paragraph(p2)}), 20, 0);
        QCOMPARE(result.chunks.size(), 2);
        QCOMPARE(result.chunks[0].text, p1);
        QCOMPARE(result.chunks[1].text, p2);

        // Inside a long paragraph the cut falls after a sentence, not mid-sentence.
        const QString sentences = u"Alpha beta gamma. Delta epsilon zeta eta. Theta iota kappa lambda mu nu xi omicron."_s;
        result = chunk(document({paragraph(sentences)}), 14, 0);
        QVERIFY(result.chunks.size() >= 2);
        QCOMPARE(result.chunks[0].text, u"Alpha beta gamma. Delta epsilon zeta eta."_s);

        // Without sentence ends, whitespace.
        result = chunk(document({paragraph(u"aaaa bbbb cccc dddd eeee ffff"_s)}), 4, 0);
        QCOMPARE(result.chunks.size(), 2);
        QCOMPARE(result.chunks[0].text, u"aaaa bbbb cccc dddd"_s);
        QCOMPARE(result.chunks[1].text, u"eeee ffff"_s);
    }

    void codeSplitsAtLineEnds()
    {
        QString code;
        for (int i = 0; i < 30; ++i)
            code += u"    value%1 = compute(value%1, %1);\n"_s.arg(i);
        const auto doc = document({block(Kind::Code, u"def f():\n"_s + code.chopped(1))});
        const auto result = chunk(doc, 50, 16);
        QVERIFY(result.chunks.size() > 2);
        for (const ChunkDraft &c : result.chunks) {
            QVERIFY2(c.start == 0 || result.text[c.start - 1] == u'\n', qPrintable(c.text));
            QVERIFY2(c.end == result.text.size() || result.text[c.end] == u'\n', qPrintable(c.text));
        }
        // Overlap repeats whole lines.
        QVERIFY(result.chunks[1].start < result.chunks[0].end);
        QCOMPARE(violation(doc, result, 50), QString());
    }

    void overlapStartsAtWordAndStaysInSection()
    {
        QString words;
        for (int i = 0; i < 200; ++i)
            words += u"word%1 "_s.arg(i);
        const auto doc = document({heading(1, u"A"_s), paragraph(words.trimmed()), heading(1, u"B"_s),
                                   paragraph(words.trimmed())});
        const auto result = chunk(doc, 64, 16);
        int overlapping = 0;
        for (qsizetype i = 1; i < result.chunks.size(); ++i) {
            const ChunkDraft &prev = result.chunks[i - 1];
            const ChunkDraft &c = result.chunks[i];
            if (c.start < prev.end) {
                ++overlapping;
                QVERIFY(result.text[c.start - 1].isSpace());
                QVERIFY(TokenEstimator::estimate(QStringView(result.text).sliced(c.start, prev.end - c.start)) <= 16);
            }
            if (c.text.startsWith(u"B\n"_s))
                QVERIFY(c.start >= prev.end);
        }
        QVERIFY(overlapping >= 4);
        QCOMPARE(violation(doc, result, 64), QString());

        const auto none = chunk(doc, 64, 0);
        for (qsizetype i = 1; i < none.chunks.size(); ++i)
            QVERIFY(none.chunks[i].start >= none.chunks[i - 1].end);
        QCOMPARE(violation(doc, none, 64), QString());
    }

    void extremeBudgetsTerminate_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("overlap");
        QTest::newRow("target 1") << 1 << 0;
        QTest::newRow("target 1, overlap 5") << 1 << 5;
        QTest::newRow("overlap equals target") << 8 << 8;
        QTest::newRow("overlap over target") << 8 << 100;
        QTest::newRow("target 0 acts as 1") << 0 << 0;
        QTest::newRow("negative overlap") << 16 << -3;
    }

    void extremeBudgetsTerminate()
    {
        QFETCH(int, target);
        QFETCH(int, overlap);
        DocumentGenerator generator(7);
        for (int round = 0; round < 10; ++round) {
            const ExtractedDocument doc = generator.next();
            const auto result = chunk(doc, target, overlap);
            QCOMPARE(violation(doc, result, target), QString());
        }
    }

    void cjkSplitsBetweenCharacters()
    {
        QString text;
        for (int i = 0; i < 100; ++i)
            text += (i % 3 == 0) ? u"\U00020B9F"_s : u"\u65E5"_s; // some ideographs need surrogate pairs
        const auto doc = document({paragraph(text)});
        const auto result = chunk(doc, 10, 2);
        QVERIFY(result.chunks.size() >= 10);
        for (qsizetype i = 0; i + 1 < result.chunks.size(); ++i)
            QVERIFY(result.chunks[i].tokenCount >= 9); // filled, not one character each
        QCOMPARE(violation(doc, result, 10), QString());
    }

    void longWordCutsOnGraphemes()
    {
        QString word;
        for (int i = 0; i < 300; ++i)
            word += i % 2 ? u"e\u0301"_s : u"\U0001F44D\U0001F3FD"_s;
        const auto doc = document({paragraph(u"before "_s + word + u" after"_s)});
        const auto result = chunk(doc, 16, 4);
        QVERIFY(result.chunks.size() > 5);
        for (const ChunkDraft &c : result.chunks) {
            QVERIFY(c.end == result.text.size() || result.text[c.end].unicode() != 0x0301);
            QVERIFY(c.end == result.text.size() || result.text[c.end].unicode() != 0xD83C); // skin tone stays
        }
        QCOMPARE(violation(doc, result, 16), QString());
        QCOMPARE(result.chunks.constFirst().text, u"before"_s);
    }

    void cancelStopsChunking()
    {
        QString words;
        for (int i = 0; i < 5000; ++i)
            words += u"w "_s;
        CancelToken cancel;
        cancel.cancel();
        const auto result = Chunker(ChunkingOptions{8, 0}).chunk(document({paragraph(words)}), cancel);
        QVERIFY(!result);
        QVERIFY(result.error().isCancelled());
        const auto done = Chunker(ChunkingOptions{8, 0}).chunk(document({paragraph(words)}), CancelToken());
        QVERIFY(done.has_value());
        QVERIFY(done->chunks.size() > 100);
    }

    /// The rule checker used by the property tests must itself reject broken chunkings.
    void checkerRejectsBrokenChunks()
    {
        const auto doc = document({heading(1, u"A"_s, 1), paragraph(u"alpha beta gamma delta"_s, 1),
                                   paragraph(u"epsilon"_s, 2)});
        const auto good = chunk(doc, 512, 0);
        QCOMPARE(good.chunks.size(), 2);
        QCOMPARE(violation(doc, good, 512), QString());
        QVERIFY(!violation(doc, good, 3).isEmpty()); // over budget

        auto broken = good;
        broken.chunks[0].end -= 2; // inside "delta"
        broken.chunks[0].text.chop(2);
        broken.chunks[0].tokenCount = TokenEstimator::estimate(broken.chunks[0].text);
        QVERIFY(violation(doc, broken, 512).contains(u"word"_s));
        broken = good;
        broken.chunks[1].headingPath = u"B"_s;
        QVERIFY(violation(doc, broken, 512).contains(u"headingPath"_s));
        broken = good;
        broken.chunks[1].page = 1;
        QVERIFY(violation(doc, broken, 512).contains(u"page"_s));
        broken = good;
        broken.chunks.removeLast();
        QVERIFY(violation(doc, broken, 512).contains(u"no chunk"_s));
        broken = good;
        broken.chunks[1].ordinal = 5;
        QVERIFY(violation(doc, broken, 512).contains(u"ordinal"_s));
        broken = good;
        broken.chunks[0].text += u"x"_s;
        QVERIFY(!violation(doc, broken, 512).isEmpty());
    }

    void properties()
    {
        DocumentGenerator generator(20261126);
        for (int round = 0; round < 400; ++round) {
            const ExtractedDocument doc = generator.next();
            const int target = 8 + generator.bounded(1017);
            const int overlap = generator.bounded(4) == 0 ? 0 : generator.bounded(target + target / 2);
            const auto result = chunk(doc, target, overlap);
            const QString problem = violation(doc, result, target);
            if (!problem.isEmpty())
                QFAIL(qPrintable(u"round %1 (target %2, overlap %3): %4"_s.arg(round).arg(target).arg(overlap).arg(problem)));
        }
    }

    void golden_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList inputs = QDir(goldenDir()).entryList({u"*.input.txt"_s}, QDir::Files, QDir::Name);
        QVERIFY2(inputs.size() >= 5, qPrintable(goldenDir()));
        for (const QString &input : inputs) {
            const QString name = input.chopped(u".input.txt"_s.size());
            QTest::newRow(qPrintable(name)) << name;
        }
    }

    void golden()
    {
        QFETCH(QString, name);
        QFile input(goldenDir() + u'/' + name + u".input.txt"_s);
        QVERIFY(input.open(QIODevice::ReadOnly));
        ExtractedDocument doc;
        ChunkingOptions options;
        QVERIFY2(parseInput(QString::fromUtf8(input.readAll()), &doc, &options), "malformed golden input");
        const ChunkedDocument result = Chunker(options).chunk(doc);
        QCOMPARE(violation(doc, result, options.targetTokens), QString());
        const QString actual = describe(name, options, result);

        const QString expectedPath = goldenDir() + u'/' + name + u".expected.txt"_s;
        if (qEnvironmentVariableIntValue("RAGDESK_UPDATE_GOLDEN") == 1) {
            QFile out(expectedPath);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(actual.toUtf8());
            qInfo("updated %s", qPrintable(expectedPath));
            return;
        }
        QFile expectedFile(expectedPath);
        QVERIFY2(expectedFile.open(QIODevice::ReadOnly), qPrintable(u"missing %1; run tests/core/ingest/update-golden.sh"_s.arg(expectedPath)));
        const QString expected = QString::fromUtf8(expectedFile.readAll());
        if (actual == expected)
            return;
        const QStringList want = expected.split(u'\n');
        const QStringList got = actual.split(u'\n');
        qsizetype line = 0;
        while (line < want.size() && line < got.size() && want[line] == got[line])
            ++line;
        QFAIL(qPrintable(u"%1 differs from the chunker's output at line %2:\n  expected: %3\n  actual:   %4\n"
                         "If the change is intended, run tests/core/ingest/update-golden.sh [build-dir] and review "
                         "the diff (or set RAGDESK_UPDATE_GOLDEN=1 for this test)."_s
                             .arg(expectedPath)
                             .arg(line + 1)
                             .arg(want.value(line, u"<end of file>"_s), got.value(line, u"<end of file>"_s))));
    }

    void fiftyMegabyteLine_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::newRow("prose without line breaks") << u"lorem ipsum dolor sit amet, consectetur adipiscing elit. "_s;
        QTest::newRow("one unbroken word") << u"QWxhZGRpbjpvcGVuIHNlc2FtZQ"_s;
    }

    /// Linear, not quadratic: asserts only correctness; prints the time for the record.
    void fiftyMegabyteLine()
    {
        QFETCH(QString, pattern);
        constexpr qsizetype size = 50'000'000;
        QString line;
        line.reserve(size);
        while (line.size() + pattern.size() <= size)
            line += pattern;
        const auto doc = document({paragraph(line)});
        QElapsedTimer timer;
        timer.start();
        const ChunkedDocument result = chunk(doc, 512, 64);
        qInfo("chunked %lld UTF-16 units into %lld chunks in %lld ms", qlonglong(line.size()),
              qlonglong(result.chunks.size()), qlonglong(timer.elapsed()));
        QVERIFY(result.chunks.size() > 10'000);
        qsizetype covered = 0;
        for (const ChunkDraft &c : std::as_const(result.chunks)) {
            QVERIFY(c.tokenCount <= 512);
            QVERIFY(c.start <= covered && c.end > covered);
            QVERIFY(QStringView(result.text).sliced(c.start, c.end - c.start) == c.text);
            covered = c.end;
        }
        QCOMPARE(covered, line.trimmed().size());
    }
};

QTEST_GUILESS_MAIN(TestChunker)
#include "tst_chunker.moc"
