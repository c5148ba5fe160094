#include "ui/markdown/CodeHighlighter.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

/// Fence tags models write that are not definition names or file suffixes.
QString suffixFor(const QString &tag)
{
    static constexpr std::pair<QStringView, QStringView> kAliases[] = {
        { u"shell", u"sh" }, { u"console", u"sh" }, { u"c++", u"cpp" }, { u"objective-c", u"m" },
        { u"golang", u"go" }, { u"rust", u"rs" }, { u"python3", u"py" }, { u"typescript", u"ts" },
        { u"javascript", u"js" }, { u"kotlin", u"kt" }, { u"yml", u"yaml" }, { u"csharp", u"cs" },
    };
    for (const auto &[alias, suffix] : kAliases) {
        if (tag == alias)
            return suffix.toString();
    }
    return tag;
}

} // namespace

KSyntaxHighlighting::Definition CodeHighlighter::definitionFor(
    const KSyntaxHighlighting::Repository &repository, const QString &tag)
{
    if (tag.isEmpty())
        return {};
    const QString lower = tag.toLower();
    KSyntaxHighlighting::Definition definition = repository.definitionForName(tag);
    if (!definition.isValid())
        definition = repository.definitionForFileName(u"code."_s + suffixFor(lower));
    if (!definition.isValid())
        definition = repository.definitionForFileName(lower);
    return definition;
}

CodeHighlighter::CodeHighlighter(const KSyntaxHighlighting::Definition &definition, const KSyntaxHighlighting::Theme &theme)
{
    setDefinition(definition);
    setTheme(theme);
}

QString CodeHighlighter::languageName() const
{
    return definition().isValid() ? definition().name() : QString();
}

KSyntaxHighlighting::State CodeHighlighter::highlight(QStringView line, const KSyntaxHighlighting::State &state,
    QList<Span> &spans)
{
    if (!definition().isValid())
        return state;
    m_spans = &spans;
    KSyntaxHighlighting::State next = highlightLine(line, state);
    m_spans = nullptr;
    return next;
}

void CodeHighlighter::applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format)
{
    if (!m_spans || length <= 0 || format.isDefaultTextStyle(theme()))
        return;
    m_spans->append({ offset, length, charFormat(format) });
}

QTextCharFormat CodeHighlighter::charFormat(const KSyntaxHighlighting::Format &format)
{
    const auto known = m_formats.constFind(format.id());
    if (known != m_formats.cend())
        return *known;
    QTextCharFormat out;
    const KSyntaxHighlighting::Theme &current = theme();
    if (format.hasTextColor(current))
        out.setForeground(format.textColor(current));
    if (format.hasBackgroundColor(current))
        out.setBackground(format.backgroundColor(current));
    if (format.isBold(current))
        out.setFontWeight(QFont::Bold);
    if (format.isItalic(current))
        out.setFontItalic(true);
    if (format.isUnderline(current))
        out.setFontUnderline(true);
    if (format.isStrikeThrough(current))
        out.setFontStrikeOut(true);
    m_formats.insert(format.id(), out);
    return out;
}

} // namespace ragdesk
