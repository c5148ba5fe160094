#include "core/ingest/extractors/OdtExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/DocumentBuilder.h"
#include "core/ingest/extractors/ExtractionErrors.h"
#include "core/ingest/extractors/OfficeXml.h"
#include "core/ingest/extractors/ZipReader.h"

#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString FormatName = u"OpenDocument text"_s;

// Runs of spaces are stored as <text:s text:c="N"/>; a hostile N must not allocate gigabytes.
constexpr int MaxSpaceRun = 64;

} // namespace

Result<ExtractedDocument> OdtExtractor::extract(const QString &path, const ExtractionLimits &limits)
{
    auto zip = ZipReader::open(path, limits, FormatName);
    if (!zip)
        return std::unexpected(zip.error());
    const Result<QByteArray> content = (*zip)->read(u"content.xml"_s);
    if (!content)
        return std::unexpected(content.error());

    DocumentBuilder builder;
    QList<int> headingLevels; // one per open text:p / text:h; 0 for paragraphs
    int listItemDepth = 0;
    int headerRowsDepth = 0;
    int bodyDepth = 0; // text counts only inside office:body
    QXmlStreamReader xml(*content);
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringView name = xml.name();
            if (name == u"body") {
                ++bodyDepth;
            } else if (bodyDepth == 0) {
                continue;
            } else if (name == u"h") {
                const int level = officexml::attribute(xml, u"outline-level").toInt();
                headingLevels.append(level > 0 ? level : 1);
                builder.beginParagraph();
            } else if (name == u"p") {
                headingLevels.append(0);
                builder.beginParagraph();
            } else if (name == u"s") {
                const int count = officexml::attribute(xml, u"c").toInt();
                builder.appendText(QString(qBound(1, count, MaxSpaceRun), u' '));
            } else if (name == u"tab") {
                builder.appendText(u"\t");
            } else if (name == u"line-break") {
                builder.appendText(u"\n");
            } else if (name == u"list-item" || name == u"list-header") {
                ++listItemDepth;
            } else if (name == u"table" && xml.prefix() == u"table") {
                builder.beginTable();
            } else if (name == u"table-row") {
                builder.beginRow();
                if (headerRowsDepth > 0)
                    builder.markHeaderRow();
            } else if (name == u"table-header-rows") {
                ++headerRowsDepth;
            } else if (name == u"table-cell") {
                builder.beginCell();
            } else if (name == u"annotation" || name == u"tracked-changes" || name == u"note-citation") {
                xml.skipCurrentElement(); // comments, deleted text and footnote numbers are not content
            }
        } else if (token == QXmlStreamReader::Characters && bodyDepth > 0 && !headingLevels.isEmpty()) {
            builder.appendText(xml.text());
        } else if (token == QXmlStreamReader::EndElement) {
            const QStringView name = xml.name();
            if (name == u"body") {
                bodyDepth = qMax(0, bodyDepth - 1);
            } else if ((name == u"h" || name == u"p") && !headingLevels.isEmpty()) {
                const int level = headingLevels.takeLast();
                builder.endParagraph(level > 0 ? TextBlock::Kind::Heading
                                               : (listItemDepth > 0 ? TextBlock::Kind::ListItem
                                                                    : TextBlock::Kind::Paragraph),
                                     level);
                if (builder.textChars() > limits.maxTextChars)
                    return std::unexpected(ExtractionErrors::textLimitExceeded(path, limits.maxTextChars));
            } else if (name == u"list-item" || name == u"list-header") {
                listItemDepth = qMax(0, listItemDepth - 1);
            } else if (name == u"table-header-rows") {
                headerRowsDepth = qMax(0, headerRowsDepth - 1);
            } else if (name == u"table-cell") {
                builder.endCell();
            } else if (name == u"table-row") {
                builder.endRow();
            } else if (name == u"table" && xml.prefix() == u"table") {
                builder.endTable();
            }
        }
    }
    if (xml.hasError())
        return std::unexpected(officexml::malformedPart(path, FormatName, u"content.xml"_s, xml));

    ExtractedDocument document;
    document.mimeType = mimeTypeFor(DocumentFormat::Odt);
    if ((*zip)->contains(u"meta.xml"_s)) {
        if (const Result<QByteArray> meta = (*zip)->read(u"meta.xml"_s))
            document.title = officexml::firstElementText(*meta, u"title");
    }
    if (document.title.isEmpty())
        document.title = builder.firstHeading();
    document.blocks = builder.takeBlocks();
    return document;
}

} // namespace ragdesk
