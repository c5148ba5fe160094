#include "ui/markdown/MarkdownBlocks.h"

namespace ragdesk {

namespace {

/// One line of the text; complete once its '\n' arrived (or the text is final).
struct Line {
    qsizetype start = 0;
    qsizetype end = 0;  ///< before the '\n'
    qsizetype next = 0; ///< after the '\n'
    bool complete = false;
};

Line lineAt(QStringView text, qsizetype from, bool final)
{
    const qsizetype newline = text.indexOf(u'\n', from);
    if (newline < 0)
        return { from, text.size(), text.size(), final };
    return { from, newline, newline + 1, true };
}

QStringView lineText(QStringView text, const Line &line)
{
    return text.sliced(line.start, line.end - line.start);
}

bool isBlank(QStringView line)
{
    return line.trimmed().isEmpty();
}

qsizetype leadingSpaces(QStringView line)
{
    qsizetype n = 0;
    while (n < line.size() && line.at(n) == u' ')
        ++n;
    return n;
}

/// A fence line: up to three spaces, then three or more ` or ~.
struct Fence {
    QChar marker;
    qsizetype run = 0;
    QStringView info;
};

bool parseFence(QStringView line, Fence &fence)
{
    const qsizetype indent = leadingSpaces(line);
    if (indent > 3 || indent >= line.size())
        return false;
    const QChar marker = line.at(indent);
    if (marker != u'`' && marker != u'~')
        return false;
    qsizetype run = 0;
    while (indent + run < line.size() && line.at(indent + run) == marker)
        ++run;
    if (run < 3)
        return false;
    const QStringView info = line.sliced(indent + run).trimmed();
    // A backtick fence's info string cannot hold a backtick (it would be inline code).
    if (marker == u'`' && info.contains(u'`'))
        return false;
    fence = { marker, run, info };
    return true;
}

bool closesFence(QStringView line, const Fence &open)
{
    Fence candidate;
    return parseFence(line, candidate) && candidate.marker == open.marker && candidate.run >= open.run
        && candidate.info.isEmpty();
}

bool isListItem(QStringView line)
{
    const QStringView rest = line.sliced(qMin(leadingSpaces(line), line.size()));
    if (rest.size() >= 2 && (rest.at(0) == u'-' || rest.at(0) == u'*' || rest.at(0) == u'+')
        && (rest.at(1) == u' ' || rest.at(1) == u'\t'))
        return true;
    qsizetype digits = 0;
    while (digits < rest.size() && digits < 9 && rest.at(digits).isDigit())
        ++digits;
    return digits > 0 && digits + 1 < rest.size() && (rest.at(digits) == u'.' || rest.at(digits) == u')')
        && (rest.at(digits + 1) == u' ' || rest.at(digits + 1) == u'\t');
}

bool isIndented(QStringView line)
{
    return !line.isEmpty() && (line.at(0) == u' ' || line.at(0) == u'\t');
}

/// A fence from its opening line on; @p resume is where the next block starts.
MarkdownBlock scanFence(QStringView text, const Line &openLine, const Fence &fence, bool final, qsizetype &resume)
{
    MarkdownBlock block;
    block.kind = MarkdownBlock::Kind::Fence;
    block.start = openLine.start;
    block.language = fence.info.left(qMax<qsizetype>(0, fence.info.indexOf(u' '))).toString();
    if (block.language.isEmpty())
        block.language = fence.info.toString();
    block.codeStart = openLine.next;
    qsizetype at = openLine.next;
    while (at < text.size()) {
        const Line line = lineAt(text, at, final);
        if (line.complete && closesFence(lineText(text, line), fence)) {
            block.codeLength = line.start - block.codeStart;
            block.length = line.next - block.start;
            block.closed = true;
            block.stable = true;
            resume = line.next;
            return block;
        }
        at = line.next;
    }
    // Unclosed: the code runs to the end of the text (as CommonMark has it).
    block.codeLength = qMax<qsizetype>(0, text.size() - block.codeStart);
    block.length = text.size() - block.start;
    block.stable = final;
    resume = text.size();
    return block;
}

} // namespace

QList<MarkdownBlock> MarkdownBlocks::split(QStringView text, bool final)
{
    MarkdownBlocks blocks;
    if (final)
        blocks.finish(text);
    else
        blocks.update(text);
    return blocks.blocks();
}

void MarkdownBlocks::clear()
{
    m_blocks.clear();
    m_stableCount = 0;
    m_resumeAt = 0;
    m_textSize = 0;
}

qsizetype MarkdownBlocks::update(QStringView text)
{
    return rescan(text, false);
}

qsizetype MarkdownBlocks::finish(QStringView text)
{
    return rescan(text, true);
}

qsizetype MarkdownBlocks::rescan(QStringView text, bool final)
{
    if (text.size() < m_textSize)
        clear();
    m_textSize = text.size();
    const qsizetype firstChanged = m_stableCount;
    m_blocks.resize(m_stableCount);

    qsizetype at = m_resumeAt;
    while (at < text.size()) {
        Line line = lineAt(text, at, final);
        if (!line.complete) {
            // A lone partial line: too early to know what it is; it is the open tail.
            MarkdownBlock tail;
            tail.start = line.start;
            tail.length = text.size() - line.start;
            m_blocks.append(tail);
            return firstChanged;
        }
        if (isBlank(lineText(text, line))) {
            at = line.next;
            m_resumeAt = at;
            continue;
        }
        Fence fence;
        if (parseFence(lineText(text, line), fence)) {
            qsizetype resume = 0;
            const MarkdownBlock block = scanFence(text, line, fence, final, resume);
            m_blocks.append(block);
            if (!block.stable)
                return firstChanged;
            ++m_stableCount;
            at = m_resumeAt = resume;
            continue;
        }

        // Markdown: runs to a blank line or a fence. A list goes on past blank lines while the
        // next line is indented or another item, so a loose list stays one list.
        MarkdownBlock block;
        block.start = line.start;
        const bool list = isListItem(lineText(text, line));
        qsizetype end = line.end;
        qsizetype resume = line.next;
        bool decided = false;
        at = line.next;
        while (!decided) {
            if (at >= text.size()) {
                // Out of text: only a final text ends here.
                decided = final;
                resume = text.size();
                break;
            }
            line = lineAt(text, at, final);
            if (!line.complete)
                break;
            const QStringView current = lineText(text, line);
            if (isBlank(current)) {
                // Look past the blank lines at what follows.
                qsizetype after = line.next;
                Line next;
                bool nextKnown = false;
                while (after < text.size()) {
                    next = lineAt(text, after, final);
                    if (!next.complete)
                        break;
                    if (!isBlank(lineText(text, next))) {
                        nextKnown = true;
                        break;
                    }
                    after = next.next;
                }
                if (!list) {
                    resume = line.next;
                    decided = true;
                    break;
                }
                if (!nextKnown) {
                    decided = final && after >= text.size();
                    if (decided)
                        resume = text.size();
                    break;
                }
                const QStringView following = lineText(text, next);
                if (isIndented(following) || isListItem(following)) {
                    Fence inner;
                    if (!isIndented(following) && parseFence(following, inner)) {
                        resume = next.start;
                        decided = true;
                        break;
                    }
                    at = next.start;
                    continue;
                }
                resume = next.start;
                decided = true;
                break;
            }
            Fence startsFence;
            if (parseFence(current, startsFence)) {
                resume = line.start;
                decided = true;
                break;
            }
            end = line.end;
            at = line.next;
        }
        if (!decided) {
            block.length = text.size() - block.start;
            m_blocks.append(block);
            return firstChanged;
        }
        block.length = end - block.start;
        block.stable = true;
        m_blocks.append(block);
        ++m_stableCount;
        at = m_resumeAt = resume;
    }
    return firstChanged;
}

} // namespace ragdesk
