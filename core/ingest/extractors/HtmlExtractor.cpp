#include "core/ingest/extractors/HtmlExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/CharsetDecoder.h"
#include "core/ingest/extractors/DocumentBuilder.h"

#include <QStringDecoder>

#include <gumbo.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

bool isSkipped(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_HEAD: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON:
        return true;
    default:
        return false;
    }
}

/// Permalink anchors that documentation generators put after each heading ("¶" in Sphinx,
/// "#" elsewhere): page furniture, not text, and they would end up in every heading path.
bool isPermalink(const GumboNode *node)
{
    if (node->v.element.tag != GUMBO_TAG_A)
        return false;
    const GumboAttribute *classes = gumbo_get_attribute(&node->v.element.attributes, "class");
    if (!classes)
        return false;
    const QString names = QString::fromUtf8(classes->value);
    return names.contains(QStringLiteral("headerlink")) || names.contains(QStringLiteral("anchor-link"))
           || names.contains(QStringLiteral("heading-anchor"));
}

// Elements that end the running text before and after them.
bool isBlock(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_PRE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_MAIN: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_BODY:
        return true;
    default:
        return false;
    }
}

int headingLevel(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
    }
}

/// Walks gumbo's tree with an explicit stack: hostile pages nest elements thousands deep.
class HtmlWalker
{
public:
    explicit HtmlWalker(QList<TextBlock> &blocks)
        : m_blocks(blocks)
    {
    }

    void walk(const GumboNode *root)
    {
        struct Frame {
            const GumboNode *node;
            unsigned int nextChild;
        };
        QList<Frame> stack;
        stack.append({root, 0});
        enter(root);
        while (!stack.isEmpty()) {
            Frame &top = stack.last();
            const GumboVector &children = top.node->v.element.children;
            if (top.nextChild >= children.length) {
                leave(top.node);
                stack.removeLast();
                continue;
            }
            const auto *child = static_cast<const GumboNode *>(children.data[top.nextChild++]);
            if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) {
                if (isSkipped(child->v.element.tag) || isPermalink(child))
                    continue;
                enter(child);
                stack.append({child, 0});
            } else if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE
                       || child->type == GUMBO_NODE_CDATA) {
                appendText(QString::fromUtf8(child->v.text.text));
            }
        }
        flush();
    }

private:
    struct Context {
        TextBlock::Kind kind;
        int level;
    };
    struct Table {
        QString header;
        QStringList row;
        bool rowAllHeader = true;
        bool cellOpen = false;
    };

    void enter(const GumboNode *node)
    {
        const GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_BR) {
            appendLineBreak();
            return;
        }
        if (!isBlock(tag))
            return;
        flush();
        if (const int level = headingLevel(tag))
            m_contexts.append({TextBlock::Kind::Heading, level});
        else if (tag == GUMBO_TAG_LI)
            m_contexts.append({TextBlock::Kind::ListItem, 0});
        else if (tag == GUMBO_TAG_PRE)
            m_contexts.append({TextBlock::Kind::Code, 0});
        else if (tag == GUMBO_TAG_TABLE)
            m_tables.append(Table{});
        else if (tag == GUMBO_TAG_TR && !m_tables.isEmpty())
            m_tables.last() = Table{m_tables.last().header, {}, true, false};
        else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && !m_tables.isEmpty()) {
            m_tables.last().row.append(QString());
            m_tables.last().cellOpen = true;
            m_tables.last().rowAllHeader = m_tables.last().rowAllHeader && tag == GUMBO_TAG_TH;
        }
    }

    void leave(const GumboNode *node)
    {
        const GumboTag tag = node->v.element.tag;
        if (!isBlock(tag))
            return;
        flush();
        if (headingLevel(tag) || tag == GUMBO_TAG_LI || tag == GUMBO_TAG_PRE) {
            if (!m_contexts.isEmpty())
                m_contexts.removeLast();
        } else if (tag == GUMBO_TAG_TABLE && !m_tables.isEmpty()) {
            m_tables.removeLast();
        } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && !m_tables.isEmpty()) {
            m_tables.last().cellOpen = false;
        } else if (tag == GUMBO_TAG_TR && !m_tables.isEmpty()) {
            finishRow(m_tables.last());
        }
    }

    void finishRow(Table &table)
    {
        const bool empty = std::all_of(table.row.cbegin(), table.row.cend(), [](const QString &c) { return c.isEmpty(); });
        if (!empty) {
            const QString line = table.row.join(u" | "_s);
            if (table.rowAllHeader && table.header.isEmpty())
                table.header = line;
            else
                m_blocks.append(TextBlock{TextBlock::Kind::TableRow, 0, 0, line, table.header});
        }
        table.row.clear();
        table.rowAllHeader = true;
    }

    bool inCode() const { return !m_contexts.isEmpty() && m_contexts.last().kind == TextBlock::Kind::Code; }

    void appendText(const QString &text)
    {
        if (inCode()) {
            m_text += text;
            return;
        }
        // Collapse whitespace as a browser does, but keep <br> line breaks.
        for (const QChar c : text) {
            if (c.isSpace()) {
                if (!m_text.isEmpty() && m_text.back() != u' ' && m_text.back() != u'\n')
                    m_text += u' ';
            } else {
                m_text += c;
            }
        }
    }

    void appendLineBreak()
    {
        if (!inCode() && m_text.endsWith(u' '))
            m_text.chop(1);
        m_text += u'\n';
    }

    void flush()
    {
        QString text = std::exchange(m_text, QString());
        if (inCode()) {
            while (text.startsWith(u'\n'))
                text.remove(0, 1);
            while (text.endsWith(u'\n') || text.endsWith(u' '))
                text.chop(1);
        } else {
            text = text.trimmed();
            text.replace(u" \n"_s, u"\n"_s);
        }
        if (text.isEmpty())
            return;
        if (!m_tables.isEmpty() && m_tables.last().cellOpen) {
            DocumentBuilder::appendToCell(m_tables.last().row.last(), text);
            return;
        }
        const Context context = m_contexts.isEmpty() ? Context{TextBlock::Kind::Paragraph, 0} : m_contexts.last();
        if (context.kind == TextBlock::Kind::Heading)
            text = text.simplified();
        m_blocks.append(TextBlock{context.kind, context.level, 0, std::move(text), {}});
    }

    QList<TextBlock> &m_blocks;
    QList<Context> m_contexts;
    QList<Table> m_tables;
    QString m_text;
};

QString findTitle(const GumboNode *root)
{
    QList<const GumboNode *> stack{root};
    while (!stack.isEmpty()) {
        const GumboNode *node = stack.takeLast();
        if (node->type != GUMBO_NODE_ELEMENT)
            continue;
        if (node->v.element.tag == GUMBO_TAG_TITLE) {
            QString title;
            const GumboVector &children = node->v.element.children;
            for (unsigned int i = 0; i < children.length; ++i) {
                const auto *child = static_cast<const GumboNode *>(children.data[i]);
                if (child->type == GUMBO_NODE_TEXT)
                    title += QString::fromUtf8(child->v.text.text);
            }
            return title.simplified();
        }
        if (node->v.element.tag == GUMBO_TAG_BODY)
            continue; // the title lives in <head>
        const GumboVector &children = node->v.element.children;
        for (unsigned int i = children.length; i > 0; --i)
            stack.append(static_cast<const GumboNode *>(children.data[i - 1]));
    }
    return {};
}

/// gumbo parses UTF-8 only; anything else is converted first.
QByteArray toUtf8(const QByteArray &html, QString *charset)
{
    QStringDecoder declared = QStringDecoder::decoderForHtml(html);
    const bool utf8 = declared.isValid() && QString::fromLatin1(declared.name()).compare(u"UTF-8"_s, Qt::CaseInsensitive) == 0;
    if (utf8 && QUtf8StringView(html).isValidUtf8()) {
        if (charset)
            *charset = u"UTF-8"_s;
        return html;
    }
    QString text;
    if (declared.isValid() && !utf8) {
        text = declared.decode(html);
        if (charset)
            *charset = QString::fromLatin1(declared.name()).toUpper();
    } else {
        // No declaration (or a false UTF-8 claim): guess, as for plain text.
        CharsetDecoder::Decoded decoded = CharsetDecoder::decode(html);
        text = std::move(decoded.text);
        if (charset)
            *charset = decoded.charset;
    }
    return text.toUtf8();
}

} // namespace

QString HtmlExtractor::appendBlocks(const QByteArray &html, QList<TextBlock> &blocks, QString *charset)
{
    const QByteArray utf8 = toUtf8(html, charset);
    const std::unique_ptr<GumboOutput, void (*)(GumboOutput *)> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, utf8.constData(), size_t(utf8.size())),
        [](GumboOutput *parsed) { gumbo_destroy_output(&kGumboDefaultOptions, parsed); });
    if (!output || !output->root)
        return {};
    HtmlWalker(blocks).walk(output->root);
    return findTitle(output->root);
}

ExtractedDocument HtmlExtractor::extract(const QByteArray &bytes)
{
    ExtractedDocument document;
    document.mimeType = mimeTypeFor(DocumentFormat::Html);
    document.title = appendBlocks(bytes, document.blocks, &document.charset);
    if (document.title.isEmpty())
        document.title = DocumentBuilder::firstHeading(document.blocks);
    return document;
}

} // namespace ragdesk
