#include "ui/markdown/CodeBlockWriter.h"

#include <KSyntaxHighlighting/Theme>

#include <QTextCursor>

using namespace Qt::StringLiterals;

namespace ragdesk {

CodeBlockWriter::CodeBlockWriter(const KSyntaxHighlighting::Definition &definition,
    const KSyntaxHighlighting::Theme &theme, const RenderStyle &style, const QString &language,
    const QString &copyHref)
    : m_style(style)
    , m_language(language)
    , m_copyHref(copyHref)
{
    if (definition.isValid())
        m_highlighter = std::make_unique<CodeHighlighter>(definition, theme);
}

CodeBlockWriter::~CodeBlockWriter() = default;

void CodeBlockWriter::begin(QTextCursor &cursor, int origin)
{
    cursor.insertBlock(m_style.codeHeaderBlock, m_style.codeLanguage);
    const QString shown = m_highlighter ? m_highlighter->languageName()
        : m_language.isEmpty()          ? QObject::tr("code")
                                        : m_language;
    cursor.insertText(shown + u"  ·  "_s, m_style.codeLanguage);
    QTextCharFormat copy = m_style.control;
    copy.setAnchorHref(m_copyHref);
    copy.setToolTip(QObject::tr("Copy this code"));
    cursor.insertText(QObject::tr("Copy"), copy);
    m_openFrom = cursor.position() - origin;
}

void CodeBlockWriter::update(QTextCursor &cursor, QStringView code, int origin, int end, bool final)
{
    m_linesWritten = 0;
    cursor.setPosition(origin + m_openFrom);
    cursor.setPosition(end, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();

    // Finished lines: written once, their end state kept for the next line.
    while (m_doneChars < code.size()) {
        const qsizetype newline = code.indexOf(u'\n', m_doneChars);
        if (newline < 0)
            break;
        writeLine(cursor, code.sliced(m_doneChars, newline - m_doneChars), m_state, &m_state);
        m_doneChars = newline + 1;
    }
    m_openFrom = cursor.position() - origin;
    const QStringView open = code.sliced(m_doneChars);
    if (open.isEmpty())
        return;
    if (final) {
        writeLine(cursor, open, m_state, &m_state);
        m_doneChars = code.size();
        m_openFrom = cursor.position() - origin;
        return;
    }
    // The unfinished line: highlighted from the kept state, replaced by the next update.
    writeLine(cursor, open, m_state, nullptr);
}

void CodeBlockWriter::writeLine(QTextCursor &cursor, QStringView line, const KSyntaxHighlighting::State &state,
    KSyntaxHighlighting::State *next)
{
    ++m_linesWritten;
    if (line.endsWith(u'\r'))
        line.chop(1);
    cursor.insertBlock(m_style.codeBlock, m_style.code);
    if (!m_highlighter) {
        cursor.insertText(line.toString(), m_style.code);
        return;
    }
    m_spans.clear();
    const KSyntaxHighlighting::State after = m_highlighter->highlight(line, state, m_spans);
    if (next)
        *next = after;
    int at = 0;
    for (const CodeHighlighter::Span &span : std::as_const(m_spans)) {
        if (span.start < at || span.start + span.length > line.size())
            continue;
        if (span.start > at)
            cursor.insertText(line.sliced(at, span.start - at).toString(), m_style.code);
        QTextCharFormat format = m_style.code;
        format.merge(span.format);
        cursor.insertText(line.sliced(span.start, span.length).toString(), format);
        at = span.start + span.length;
    }
    if (at < line.size())
        cursor.insertText(line.sliced(at).toString(), m_style.code);
}

} // namespace ragdesk
