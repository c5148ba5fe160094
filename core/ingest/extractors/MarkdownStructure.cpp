#include "core/ingest/extractors/MarkdownStructure.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

bool isBlank(QStringView line)
{
    return line.trimmed().isEmpty();
}

qsizetype indentOf(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && (line[i] == u' ' || line[i] == u'\t'))
        ++i;
    return i;
}

/// Strips a list marker ("- ", "* ", "+ ", "1. ", "1) ", RST "#. ") and returns the item text,
/// or a null view if @p line is not a list item.
QStringView listItemText(QStringView line)
{
    const QStringView rest = line.mid(indentOf(line));
    if (rest.size() >= 2 && (rest[0] == u'-' || rest[0] == u'*' || rest[0] == u'+' || rest[0] == u'\u2022')
        && rest[1].isSpace())
        return rest.mid(2).trimmed();
    qsizetype digits = 0;
    while (digits < rest.size() && digits < 9 && (rest[digits].isDigit() || (digits == 0 && rest[0] == u'#')))
        ++digits;
    if (digits > 0 && digits + 1 < rest.size() && (rest[digits] == u'.' || rest[digits] == u')')
        && rest[digits + 1].isSpace())
        return rest.mid(digits + 2).trimmed();
    return {};
}

/// A line made of one repeated punctuation character (RST adornment, setext underline, rule).
QChar adornmentChar(QStringView line)
{
    const QStringView trimmed = line.trimmed();
    if (trimmed.size() < 3)
        return {};
    const QChar c = trimmed[0];
    static constexpr QStringView Allowed = u"=-~^\"'`#*+:._<>!$%&,/;?@\\|";
    if (!Allowed.contains(c))
        return {};
    for (const QChar other : trimmed) {
        if (other != c)
            return {};
    }
    return c;
}

class Parser
{
public:
    explicit Parser(MarkdownStructure::Flavor flavor)
        : m_flavor(flavor)
    {
    }

    void feed(QStringView line)
    {
        if (m_flavor == MarkdownStructure::Flavor::Markdown)
            feedMarkdown(line);
        else
            feedRst(line);
    }

    QList<TextBlock> finish()
    {
        if (m_inFence || m_inLiteral)
            flushCode();
        flush();
        return std::move(m_blocks);
    }

private:
    void feedMarkdown(QStringView line)
    {
        if (m_inFence) {
            const QStringView trimmed = line.trimmed();
            if (trimmed.size() >= m_fence.size() && trimmed.startsWith(m_fence)
                && trimmed.count(m_fence[0]) == trimmed.size()) {
                flushCode();
                m_inFence = false;
            } else {
                m_code.append(line.toString());
            }
            return;
        }
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty()) {
            flush();
            return;
        }
        if (indentOf(line) <= 3 && (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~"))) {
            flush();
            qsizetype n = 0;
            while (n < trimmed.size() && trimmed[n] == trimmed[0])
                ++n;
            m_fence = trimmed.first(n).toString();
            m_inFence = true;
            return;
        }
        if (indentOf(line) <= 3 && trimmed.startsWith(u'#')) {
            qsizetype level = 0;
            while (level < trimmed.size() && trimmed[level] == u'#')
                ++level;
            if (level <= 6 && (level == trimmed.size() || trimmed[level].isSpace())) {
                flush();
                QStringView title = trimmed.mid(level).trimmed();
                // Closing hashes ("## Title ##") are decoration, not text.
                while (title.endsWith(u'#'))
                    title.chop(1);
                addHeading(title.trimmed().toString(), int(level));
                return;
            }
        }
        if (const QChar adorn = adornmentChar(line); !adorn.isNull() && indentOf(line) <= 3) {
            if ((adorn == u'=' || adorn == u'-') && m_kind == TextBlock::Kind::Paragraph && !m_lines.isEmpty()) {
                const QString title = m_lines.join(u' ');
                m_lines.clear();
                addHeading(title, adorn == u'=' ? 1 : 2);
                return;
            }
            if (adorn == u'-' || adorn == u'*' || adorn == u'_') {
                flush(); // a thematic break separates, it carries no text
                return;
            }
        }
        appendTextLine(line, trimmed);
    }

    void feedRst(QStringView line)
    {
        if (m_inLiteral) {
            if (isBlank(line) || indentOf(line) > 0) {
                m_code.append(line.toString());
                return;
            }
            flushCode();
            m_inLiteral = false;
        }
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty()) {
            flush();
            m_inLiteral = m_literalFollows;
            m_overline = {};
            return;
        }
        if (const QChar adorn = adornmentChar(line); !adorn.isNull() && indentOf(line) == 0) {
            if (m_kind == TextBlock::Kind::Paragraph && m_lines.size() == 1) {
                const bool overlined = m_overline == adorn;
                const QString title = m_lines.takeFirst();
                m_overline = {};
                addHeading(title, rstLevel(adorn, overlined));
                return;
            }
            flush();
            m_overline = adorn; // an overline, or a transition when no title follows
            return;
        }
        if (trimmed.startsWith(u".. ")) {
            flush();
            m_literalFollows = trimmed.startsWith(u".. code") || trimmed.startsWith(u".. sourcecode");
            if (m_literalFollows)
                m_inLiteral = true;
            return;
        }
        appendTextLine(line, trimmed);
    }

    // Both flavours write list items the same way; any other line continues the open block.
    void appendTextLine(QStringView line, QStringView trimmed)
    {
        if (const QStringView item = listItemText(line); !item.isNull()) {
            flush();
            m_kind = TextBlock::Kind::ListItem;
            m_lines.append(item.toString());
            return;
        }
        m_lines.append(trimmed.toString());
    }

    // RST has no fixed heading levels: the first adornment style seen is level 1, and so on.
    int rstLevel(QChar adorn, bool overlined)
    {
        const QString style = QString(adorn) + (overlined ? u"o"_s : u"u"_s);
        qsizetype index = m_rstStyles.indexOf(style);
        if (index < 0) {
            m_rstStyles.append(style);
            index = m_rstStyles.size() - 1;
        }
        return int(qMin<qsizetype>(index + 1, 6));
    }

    void addHeading(const QString &title, int level)
    {
        m_kind = TextBlock::Kind::Paragraph;
        if (title.isEmpty())
            return;
        m_blocks.append(TextBlock{TextBlock::Kind::Heading, level, 0, title, {}});
    }

    void flush()
    {
        if (!m_lines.isEmpty()) {
            QString text = m_lines.join(u'\n');
            // "Example::" introduces a literal block; the text keeps one colon, as RST renders it.
            m_literalFollows = m_flavor == MarkdownStructure::Flavor::ReStructuredText && text.endsWith(u"::");
            if (m_literalFollows)
                text.chop(1);
            m_blocks.append(TextBlock{m_kind, 0, 0, std::move(text), {}});
            m_lines.clear();
        }
        m_kind = TextBlock::Kind::Paragraph;
    }

    void flushCode()
    {
        while (!m_code.isEmpty() && isBlank(m_code.constLast()))
            m_code.removeLast();
        while (!m_code.isEmpty() && isBlank(m_code.constFirst()))
            m_code.removeFirst();
        if (!m_code.isEmpty())
            m_blocks.append(TextBlock{TextBlock::Kind::Code, 0, 0, m_code.join(u'\n'), {}});
        m_code.clear();
        m_literalFollows = false;
    }

    MarkdownStructure::Flavor m_flavor;
    QList<TextBlock> m_blocks;
    QStringList m_lines;
    TextBlock::Kind m_kind = TextBlock::Kind::Paragraph;
    QStringList m_code;
    QString m_fence;
    bool m_inFence = false;
    bool m_inLiteral = false;
    bool m_literalFollows = false;
    QChar m_overline;
    QStringList m_rstStyles;
};

} // namespace

QList<TextBlock> MarkdownStructure::parse(QStringView text, Flavor flavor)
{
    Parser parser(flavor);
    for (QStringView line : text.tokenize(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        parser.feed(line);
    }
    return parser.finish();
}

} // namespace ragdesk
