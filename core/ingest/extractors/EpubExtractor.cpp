#include "core/ingest/extractors/EpubExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/DocumentBuilder.h"
#include "core/ingest/extractors/ExtractionErrors.h"
#include "core/ingest/extractors/HtmlExtractor.h"
#include "core/ingest/extractors/OfficeXml.h"
#include "core/ingest/extractors/TextBudget.h"
#include "core/ingest/extractors/ZipReader.h"

#include <QDir>
#include <QHash>
#include <QUrl>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString FormatName = u"EPUB e-book"_s;

struct Package {
    QString title;
    QStringList chapters; // zip paths in spine order
};

Error invalidEpub(const QString &path, const QString &why)
{
    return Error{Error::Kind::Extraction,
                 u"%1 is not a valid EPUB: %2. The file may be damaged; try re-exporting it."_s.arg(
                     QDir::toNativeSeparators(path), why),
                 why, 0};
}

/// @p href relative to the OPF's folder, percent-decoded; empty if it leaves the archive.
QString resolve(const QString &opfDir, const QString &href)
{
    QString relative = QUrl::fromPercentEncoding(href.section(u'#', 0, 0).toUtf8());
    const QString joined = QDir::cleanPath(opfDir.isEmpty() ? relative : opfDir + u'/' + relative);
    if (joined.startsWith(u"../"_s) || joined == u".."_s || joined.startsWith(u'/'))
        return {};
    return joined;
}

Package readPackage(const QByteArray &opf, const QString &opfPath)
{
    const QString opfDir = opfPath.contains(u'/') ? opfPath.section(u'/', 0, -2) : QString();
    QHash<QString, QString> manifest; // id -> zip path of XHTML items
    QStringList spine;
    Package package;
    QXmlStreamReader xml(opf);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = xml.name();
        if (name == u"title" && package.title.isEmpty()) {
            package.title = xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
        } else if (name == u"item") {
            const QStringView mediaType = officexml::attribute(xml, u"media-type");
            if (mediaType.contains(u"html") || mediaType.isEmpty()) {
                manifest.insert(officexml::attribute(xml, u"id").toString(),
                                resolve(opfDir, officexml::attribute(xml, u"href").toString()));
            }
        } else if (name == u"itemref") {
            spine.append(officexml::attribute(xml, u"idref").toString());
        }
    }
    for (const QString &idref : std::as_const(spine)) {
        const QString chapter = manifest.value(idref);
        if (!chapter.isEmpty() && !package.chapters.contains(chapter))
            package.chapters.append(chapter);
    }
    return package;
}

} // namespace

Result<ExtractedDocument> EpubExtractor::extract(const QString &path, const ExtractionLimits &limits)
{
    auto zip = ZipReader::open(path, limits, FormatName);
    if (!zip)
        return std::unexpected(zip.error());
    const Result<QByteArray> container = (*zip)->read(u"META-INF/container.xml"_s);
    if (!container)
        return std::unexpected(container.error());

    QString opfPath;
    QXmlStreamReader containerXml(*container);
    while (!containerXml.atEnd() && opfPath.isEmpty()) {
        if (containerXml.readNext() == QXmlStreamReader::StartElement && containerXml.name() == u"rootfile")
            opfPath = officexml::attribute(containerXml, u"full-path").toString();
    }
    if (opfPath.isEmpty())
        return std::unexpected(invalidEpub(path, u"META-INF/container.xml names no package file"_s));

    const Result<QByteArray> opf = (*zip)->read(opfPath);
    if (!opf)
        return std::unexpected(opf.error());
    const Package package = readPackage(*opf, opfPath);
    if (package.chapters.isEmpty())
        return std::unexpected(invalidEpub(path, u"its package %1 lists no chapters in its spine"_s.arg(opfPath)));

    ExtractedDocument document;
    document.mimeType = mimeTypeFor(DocumentFormat::Epub);
    TextBudget budget(limits.maxTextChars);
    for (const QString &chapter : package.chapters) {
        if (!(*zip)->contains(chapter))
            continue; // a dangling spine entry loses one chapter, not the book
        const Result<QByteArray> html = (*zip)->read(chapter);
        if (!html)
            return std::unexpected(html.error());
        HtmlExtractor::appendBlocks(*html, document.blocks);
        if (!budget.admit(document.blocks))
            return std::unexpected(ExtractionErrors::textLimitExceeded(path, limits.maxTextChars));
    }
    document.title = package.title.isEmpty() ? DocumentBuilder::firstHeading(document.blocks) : package.title;
    return document;
}

} // namespace ragdesk
