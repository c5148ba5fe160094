#pragma once

#include "ui/markdown/CodeHighlighter.h"
#include "ui/markdown/RenderStyle.h"

#include <memory>

class QTextCursor;

namespace KSyntaxHighlighting {
class Theme;
}

namespace ragdesk {

/// Writes one fenced code block into a document: a header (language, a Copy link) and one
/// document block per code line. The block can grow: lines that are finished stay, with the
/// highlighter State after each, so a new token re-highlights and rewrites only the last line.
class CodeBlockWriter
{
public:
    /// An invalid @p definition (unknown language, no repository) shows the code plain.
    /// @p language is the fence's tag, @p copyHref the Copy anchor.
    CodeBlockWriter(const KSyntaxHighlighting::Definition &definition, const KSyntaxHighlighting::Theme &theme,
        const RenderStyle &style, const QString &language, const QString &copyHref);
    ~CodeBlockWriter();

    /// Writes the header at @p cursor; later positions are kept relative to @p origin.
    void begin(QTextCursor &cursor, int origin);
    /// @p code is all of the block's code so far; what was written after the last finished line
    /// (up to @p end) is replaced. With @p final the last line counts as finished too.
    void update(QTextCursor &cursor, QStringView code, int origin, int end, bool final);

    /// Code characters written as finished lines ('\n' included): where the next update goes on.
    [[nodiscard]] qsizetype writtenChars() const { return m_doneChars; }
    /// Lines written since the last call; tests and the benchmark count work with it.
    [[nodiscard]] int linesWritten() const { return m_linesWritten; }

private:
    void writeLine(QTextCursor &cursor, QStringView line, const KSyntaxHighlighting::State &state,
        KSyntaxHighlighting::State *next);

    std::unique_ptr<CodeHighlighter> m_highlighter;
    RenderStyle m_style;
    QString m_language;
    QString m_copyHref;
    KSyntaxHighlighting::State m_state; ///< after the last finished line
    qsizetype m_doneChars = 0;          ///< code characters of the finished lines, '\n' included
    int m_openFrom = 0;                 ///< where the unfinished line starts, relative to the origin
    int m_linesWritten = 0;
    QList<CodeHighlighter::Span> m_spans;
};

} // namespace ragdesk
