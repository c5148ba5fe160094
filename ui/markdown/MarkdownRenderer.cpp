#include "ui/markdown/MarkdownRenderer.h"

#include "core/chat/CitationParser.h"
#include "ui/markdown/ViewAnchor.h"

#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QTextList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

/// A replacement in the scratch document, applied from the end so positions stay valid.
struct MarkdownRenderer::Edit {
    int position = 0;
    int length = 0;
    enum class Kind { Link, Image, Chips } kind = Kind::Link;
    QString target;          ///< Link, Image
    QList<int> sources;      ///< Chips: linked numbers
    QList<int> outOfRange;   ///< Chips: numbers with no source
    bool inferred = false;
    QTextCharFormat around;  ///< the format of the replaced text
};

namespace {

/// Caps how deep a line can nest (leading indentation, quote markers) before the importer sees it:
/// hundreds of levels cost the importer and the layout seconds and show nothing useful.
QString flattenDeepNesting(const QString &markdown)
{
    constexpr qsizetype kMaxLeadingSpaces = 4 * MarkdownRenderer::kMaxIndent;
    constexpr qsizetype kMaxQuotes = MarkdownRenderer::kMaxIndent;
    QString out;
    bool changed = false;
    qsizetype lineStart = 0;
    while (lineStart <= markdown.size()) {
        qsizetype lineEnd = markdown.indexOf(u'\n', lineStart);
        if (lineEnd < 0)
            lineEnd = markdown.size();
        const QStringView line = QStringView(markdown).sliced(lineStart, lineEnd - lineStart);
        qsizetype lead = 0;
        qsizetype quotes = 0;
        while (lead < line.size() && (line.at(lead) == u' ' || line.at(lead) == u'\t' || line.at(lead) == u'>')) {
            quotes += line.at(lead) == u'>' ? 1 : 0;
            ++lead;
        }
        if (lead > kMaxLeadingSpaces || quotes > kMaxQuotes) {
            QString prefix = line.first(lead).toString();
            prefix.remove(u'>');
            prefix.replace(u'\t', u"    "_s);
            out += QString(qMin(quotes, kMaxQuotes), u'>') + prefix.left(kMaxLeadingSpaces);
            out += line.sliced(lead);
            changed = true;
        } else {
            out += line;
        }
        if (lineEnd < markdown.size())
            out += u'\n';
        lineStart = lineEnd + 1;
    }
    return changed ? out : markdown;
}

} // namespace

void MarkdownRenderer::insert(QTextCursor &cursor, const QString &markdown, int message, int sourceCount, bool partial)
{
    m_scratch.clear();
    m_scratch.setMarkdown(flattenDeepNesting(markdown), QTextDocument::MarkdownFeatures(QTextDocument::MarkdownNoHTML)
            | QTextDocument::MarkdownDialectGitHub);
    clampIndents();

    QList<Edit> edits;
    collectFragmentEdits(edits);
    collectCitationEdits(edits, sourceCount, partial);
    std::ranges::sort(edits, [](const Edit &a, const Edit &b) { return a.position > b.position; });

    QTextCursor scratch(&m_scratch);
    for (const Edit &edit : edits) {
        scratch.setPosition(edit.position);
        scratch.setPosition(edit.position + edit.length, QTextCursor::KeepAnchor);
        scratch.removeSelectedText();
        QTextCharFormat plain = edit.around;
        plain.clearProperty(QTextFormat::AnchorHref);
        plain.setAnchor(false);
        plain.setFontUnderline(false);
        switch (edit.kind) {
        case Edit::Kind::Image:
        case Edit::Kind::Link: {
            QTextCharFormat link = edit.kind == Edit::Kind::Image ? m_style.link : m_style.linkTarget;
            link.setAnchorHref(ViewAnchor::linkHref(edit.target));
            if (edit.kind == Edit::Kind::Image)
                scratch.insertText(QObject::tr("image: %1").arg(edit.target), link);
            else
                scratch.insertText(u" ("_s + edit.target + u')', link);
            break;
        }
        case Edit::Kind::Chips: {
            const QTextCharFormat &chip = edit.inferred ? m_style.inferredChip : m_style.chip;
            for (int number : edit.sources) {
                QTextCharFormat linked = chip;
                linked.setAnchorHref(ViewAnchor::href(ViewAnchor::Kind::Cite, message, number));
                scratch.insertText(u"\u2009"_s, plain);
                scratch.insertText(u"\u2009"_s + QString::number(number) + u"\u2009"_s, linked);
            }
            for (int number : edit.outOfRange) {
                QTextCharFormat dead = m_style.deadChip;
                dead.setToolTip(QObject::tr("No source %1: the answer cites a number its prompt did not list.").arg(number));
                scratch.insertText(u"\u2009"_s, plain);
                scratch.insertText(u"\u2009"_s + QString::number(number) + u"\u2009"_s, dead);
            }
            break;
        }
        }
    }
    cursor.insertFragment(QTextDocumentFragment(&m_scratch));
}

void MarkdownRenderer::clampIndents()
{
    for (QTextBlock block = m_scratch.begin(); block.isValid(); block = block.next()) {
        if (QTextList *list = block.textList(); list && list->format().indent() > kMaxIndent) {
            QTextListFormat format = list->format();
            format.setIndent(kMaxIndent);
            list->setFormat(format);
        }
        if (block.blockFormat().indent() > kMaxIndent) {
            QTextCursor cursor(block);
            QTextBlockFormat format = block.blockFormat();
            format.setIndent(kMaxIndent);
            cursor.setBlockFormat(format);
        }
    }
}

void MarkdownRenderer::collectFragmentEdits(QList<Edit> &edits)
{
    struct Restyle {
        int position;
        int length;
        QTextCharFormat format;
    };
    QList<Restyle> restyles;
    qsizetype lastTarget = -1; // index: appending may move the list
    for (QTextBlock block = m_scratch.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat format = fragment.charFormat();
            const int end = fragment.position() + fragment.length();
            if (format.isImageFormat()) {
                // Never loaded: the image turns into a link naming its address.
                edits.append({ fragment.position(), fragment.length(), Edit::Kind::Image,
                    format.toImageFormat().name(), {}, {}, false, format });
                lastTarget = -1;
                continue;
            }
            const QString href = format.anchorHref();
            if (!format.isAnchor() && href.isEmpty()) {
                lastTarget = -1;
                continue;
            }
            // The text stays, wrapped so that only LinkGuard can open it...
            QTextCharFormat wrapped = format;
            wrapped.setAnchor(true);
            wrapped.setAnchorHref(ViewAnchor::linkHref(href));
            wrapped.setForeground(m_style.link.foreground());
            wrapped.setFontUnderline(true);
            restyles.append({ fragment.position(), fragment.length(), wrapped });
            // ...and the target follows the link's last fragment, unless the text is the target.
            if (lastTarget >= 0 && edits.at(lastTarget).target == href && edits.at(lastTarget).position == fragment.position()) {
                edits[lastTarget].position = end;
                continue;
            }
            const QString text = fragment.text().trimmed();
            if (text == href || u"mailto:"_s + text == href) {
                lastTarget = -1;
                continue;
            }
            edits.append({ end, 0, Edit::Kind::Link, href, {}, {}, false, m_style.linkTarget });
            lastTarget = edits.size() - 1;
        }
        lastTarget = -1;
    }
    QTextCursor cursor(&m_scratch);
    for (const Restyle &restyle : restyles) {
        cursor.setPosition(restyle.position);
        cursor.setPosition(restyle.position + restyle.length, QTextCursor::KeepAnchor);
        cursor.setCharFormat(restyle.format);
    }
}

void MarkdownRenderer::collectCitationEdits(QList<Edit> &edits, int sourceCount, bool partial)
{
    const QString raw = m_scratch.toRawText();
    const CitationParse parse
        = CitationParser::parse(raw, sourceCount, partial ? AnswerState::Partial : AnswerState::Final);
    for (const CitationMarker &marker : parse.markers) {
        QTextCursor at(&m_scratch);
        at.setPosition(int(marker.start) + 1);
        const QTextCharFormat format = at.charFormat();
        // Inline code shows markers as written; a link's text is the link's.
        if (format.fontFixedPitch() || format.isAnchor())
            continue;
        edits.append({ int(marker.start), int(marker.length), Edit::Kind::Chips, {}, marker.sources,
            marker.outOfRange, false, format });
    }
    static const QRegularExpression inferred(u"\uE000([0-9,]*)\uE001"_s);
    for (auto match = inferred.globalMatch(raw); match.hasNext();) {
        const QRegularExpressionMatch found = match.next();
        Edit edit { int(found.capturedStart()), int(found.capturedLength()), Edit::Kind::Chips, {}, {}, {}, true, {} };
        for (QStringView number : found.capturedView(1).split(u',', Qt::SkipEmptyParts)) {
            const int n = number.toInt();
            (n >= 1 && n <= sourceCount ? edit.sources : edit.outOfRange).append(n);
        }
        edits.append(edit);
    }
}

} // namespace ragdesk
