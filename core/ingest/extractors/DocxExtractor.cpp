#include "core/ingest/extractors/DocxExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/DocumentBuilder.h"
#include "core/ingest/extractors/ExtractionErrors.h"
#include "core/ingest/extractors/OfficeXml.h"
#include "core/ingest/extractors/ZipReader.h"

#include <QHash>
#include <QRegularExpression>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString FormatName = u"Word document"_s;

/// Heading level (1..6) a style id or style name stands for, or 0.
int headingLevelForStyle(QStringView style)
{
    static const QRegularExpression heading(u"^heading\\s*([1-9])$"_s, QRegularExpression::CaseInsensitiveOption);
    if (style.compare(u"Title", Qt::CaseInsensitive) == 0)
        return 1;
    if (const QRegularExpressionMatch match = heading.matchView(style); match.hasMatch())
        return qMin(match.capturedView(1).toInt(), 6);
    return 0;
}

/// styleId -> heading level, from word/styles.xml: localised documents use ids such as
/// "berschrift2" whose *name* is still "heading 2", or only an outline level.
QHash<QString, int> headingStyles(const QByteArray &stylesXml)
{
    QHash<QString, int> levels;
    QXmlStreamReader xml(stylesXml);
    QString styleId;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"style") {
            styleId = officexml::attribute(xml, u"styleId").toString();
        } else if (!styleId.isEmpty() && xml.name() == u"name") {
            if (const int level = headingLevelForStyle(officexml::attribute(xml, u"val")))
                levels.insert(styleId, level);
        } else if (!styleId.isEmpty() && xml.name() == u"outlineLvl") {
            const int outline = officexml::attribute(xml, u"val").toInt();
            if (outline >= 0 && outline < 9 && !levels.contains(styleId))
                levels.insert(styleId, qMin(outline + 1, 6));
        }
    }
    return levels;
}

struct ParagraphState {
    QString style;
    int outlineLevel = -1;
    bool numbered = false;
};

} // namespace

Result<ExtractedDocument> DocxExtractor::extract(const QString &path, const ExtractionLimits &limits)
{
    auto zip = ZipReader::open(path, limits, FormatName);
    if (!zip)
        return std::unexpected(zip.error());
    const Result<QByteArray> body = (*zip)->read(u"word/document.xml"_s);
    if (!body)
        return std::unexpected(body.error());

    QHash<QString, int> styleLevels;
    if ((*zip)->contains(u"word/styles.xml"_s)) {
        const Result<QByteArray> styles = (*zip)->read(u"word/styles.xml"_s);
        if (!styles)
            return std::unexpected(styles.error());
        styleLevels = headingStyles(*styles);
    }

    DocumentBuilder builder;
    QList<ParagraphState> paragraphs; // w:p nests inside text boxes
    int runDepth = 0;
    QXmlStreamReader xml(*body);
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringView name = xml.name();
            if (name == u"p") {
                builder.beginParagraph();
                paragraphs.append(ParagraphState{});
            } else if (name == u"pStyle" && !paragraphs.isEmpty()) {
                paragraphs.last().style = officexml::attribute(xml, u"val").toString();
            } else if (name == u"outlineLvl" && !paragraphs.isEmpty()) {
                paragraphs.last().outlineLevel = officexml::attribute(xml, u"val").toInt();
            } else if (name == u"numPr" && !paragraphs.isEmpty()) {
                paragraphs.last().numbered = true;
            } else if (name == u"r") {
                ++runDepth;
            } else if (name == u"t" && runDepth > 0) {
                builder.appendText(xml.readElementText(QXmlStreamReader::SkipChildElements));
            } else if (name == u"tab" && runDepth > 0) { // w:tab outside a run is a tab stop
                builder.appendText(u"\t");
            } else if ((name == u"br" || name == u"cr") && runDepth > 0) {
                builder.appendText(u"\n");
            } else if (name == u"tbl") {
                builder.beginTable();
            } else if (name == u"tr") {
                builder.beginRow();
            } else if (name == u"tblHeader") {
                builder.markHeaderRow();
            } else if (name == u"tc") {
                builder.beginCell();
            }
        } else if (token == QXmlStreamReader::EndElement) {
            const QStringView name = xml.name();
            if (name == u"p" && !paragraphs.isEmpty()) {
                const ParagraphState state = paragraphs.takeLast();
                int level = headingLevelForStyle(state.style);
                if (level == 0)
                    level = styleLevels.value(state.style);
                if (level == 0 && state.outlineLevel >= 0 && state.outlineLevel < 9)
                    level = state.outlineLevel + 1;
                const bool listItem = state.numbered || state.style.startsWith(u"List", Qt::CaseInsensitive);
                builder.endParagraph(level > 0 ? TextBlock::Kind::Heading
                                               : (listItem ? TextBlock::Kind::ListItem : TextBlock::Kind::Paragraph),
                                     level);
                if (builder.textChars() > limits.maxTextChars)
                    return std::unexpected(ExtractionErrors::textLimitExceeded(path, limits.maxTextChars));
            } else if (name == u"r") {
                runDepth = qMax(0, runDepth - 1);
            } else if (name == u"tc") {
                builder.endCell();
            } else if (name == u"tr") {
                builder.endRow();
            } else if (name == u"tbl") {
                builder.endTable();
            }
        }
    }
    if (xml.hasError())
        return std::unexpected(officexml::malformedPart(path, FormatName, u"word/document.xml"_s, xml));

    ExtractedDocument document;
    document.mimeType = mimeTypeFor(DocumentFormat::Docx);
    if ((*zip)->contains(u"docProps/core.xml"_s)) {
        if (const Result<QByteArray> core = (*zip)->read(u"docProps/core.xml"_s))
            document.title = officexml::firstElementText(*core, u"title");
    }
    if (document.title.isEmpty())
        document.title = builder.firstHeading();
    document.blocks = builder.takeBlocks();
    return document;
}

} // namespace ragdesk
