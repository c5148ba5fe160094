#include "tests/support/documents/TestDocuments.h"
#include "tests/support/documents/BlockGroups.h"

#include <KZip>

using namespace Qt::StringLiterals;

namespace ragdesk::testdocs {

namespace {

QString xmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString docxRun(const QString &text)
{
    QString runs;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            runs += u"<w:r><w:br/></w:r>"_s;
        runs += u"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">"_s + xmlEscaped(lines.at(i)) + u"</w:t></w:r>"_s;
    }
    return runs;
}

QString docxTableRow(const QString &line, bool header)
{
    QString row = u"<w:tr>"_s + (header ? u"<w:trPr><w:tblHeader/></w:trPr>"_s : QString());
    for (const QString &cell : line.split(u" | "_s))
        row += u"<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr><w:p>"_s + docxRun(cell) + u"</w:p></w:tc>"_s;
    return row + u"</w:tr>"_s;
}

QString coreXml(const QString &title)
{
    return u"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>"_s
           + xmlEscaped(title) + u"</dc:title></cp:coreProperties>"_s;
}

} // namespace

bool writeZip(const QString &path, const QList<std::pair<QString, QByteArray>> &entries)
{
    KZip zip(path);
    if (!zip.open(QIODevice::WriteOnly))
        return false;
    for (const auto &[name, data] : entries) {
        // EPUB's "mimetype" must be stored, not deflated, so readers can sniff it.
        zip.setCompression(name == u"mimetype"_s ? KZip::NoCompression : KZip::DeflateCompression);
        if (!zip.writeFile(name, data))
            return false;
    }
    return zip.close();
}

bool writeDocx(const QString &path, const QList<TextBlock> &blocks, const QString &title)
{
    QString body;
    BlockGroups groups(QString(), u"</w:tbl>"_s);
    for (const TextBlock &block : blocks) {
        body += groups.enter(block.kind);
        switch (block.kind) {
        case TextBlock::Kind::Heading:
            body += u"<w:p><w:pPr><w:pStyle w:val=\"Heading%1\"/></w:pPr>"_s.arg(block.level) + docxRun(block.text)
                    + u"</w:p>"_s;
            break;
        case TextBlock::Kind::ListItem:
            body += u"<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"0\"/>"
                    "<w:numId w:val=\"1\"/></w:numPr></w:pPr>"_s
                    + docxRun(block.text) + u"</w:p>"_s;
            break;
        case TextBlock::Kind::TableRow:
            if (groups.starting())
                body += u"<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"_s
                        + docxTableRow(block.header, true);
            body += docxTableRow(block.text, false);
            break;
        case TextBlock::Kind::Paragraph:
        case TextBlock::Kind::Code:
            body += u"<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"_s
                    + docxRun(block.text) + u"</w:p>"_s;
            break;
        }
    }
    body += groups.close();

    const QString document =
        u"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"_s
        + body + u"<w:sectPr/></w:body></w:document>"_s;
    const QString styles =
        u"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"berschrift4\"><w:name w:val=\"heading 4\"/></w:style>"
        "</w:styles>"_s;
    const QString contentTypes =
        u"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        "</Types>"_s;
    const QString rels =
        u"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
        "Target=\"word/document.xml\"/></Relationships>"_s;
    QList<std::pair<QString, QByteArray>> entries{{u"[Content_Types].xml"_s, contentTypes.toUtf8()},
                                                  {u"_rels/.rels"_s, rels.toUtf8()},
                                                  {u"word/document.xml"_s, document.toUtf8()},
                                                  {u"word/styles.xml"_s, styles.toUtf8()}};
    if (!title.isEmpty())
        entries.append({u"docProps/core.xml"_s, coreXml(title).toUtf8()});
    return writeZip(path, entries);
}

bool writeOdt(const QString &path, const QList<TextBlock> &blocks, const QString &title)
{
    QString body;
    BlockGroups groups(u"</text:list>"_s, u"</table:table>"_s);
    const auto tableRow = [](const QString &line) -> QString {
        QString row = u"<table:table-row>"_s;
        for (const QString &cell : line.split(u" | "_s))
            row += u"<table:table-cell office:value-type=\"string\"><text:p>"_s + xmlEscaped(cell)
                   + u"</text:p></table:table-cell>"_s;
        return row + u"</table:table-row>"_s;
    };
    for (const TextBlock &block : blocks) {
        body += groups.enter(block.kind);
        // Runs of spaces are stored compressed, as LibreOffice does.
        QString text = xmlEscaped(block.text).replace(u"  "_s, u" <text:s/>"_s).replace(u"\n"_s, u"<text:line-break/>"_s);
        switch (block.kind) {
        case TextBlock::Kind::Heading:
            body += u"<text:h text:style-name=\"Heading_20_%1\" text:outline-level=\"%1\">"_s.arg(block.level) + text
                    + u"</text:h>"_s;
            break;
        case TextBlock::Kind::ListItem:
            if (groups.starting())
                body += u"<text:list>"_s;
            body += u"<text:list-item><text:p>"_s + text + u"</text:p></text:list-item>"_s;
            break;
        case TextBlock::Kind::TableRow:
            if (groups.starting())
                body += u"<table:table table:name=\"Table1\"><table:table-column/><table:table-header-rows>"_s
                        + tableRow(block.header) + u"</table:table-header-rows>"_s;
            body += tableRow(block.text);
            break;
        case TextBlock::Kind::Paragraph:
        case TextBlock::Kind::Code:
            body += u"<text:p text:style-name=\"Standard\"><text:span>"_s + text + u"</text:span></text:p>"_s;
            break;
        }
    }
    body += groups.close();

    const QString namespaces =
        u"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
        "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" office:version=\"1.3\""_s;
    const QString content = u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content "_s + namespaces
                            + u"><office:automatic-styles><text:p>not body text</text:p></office:automatic-styles>"
                              "<office:body><office:text>"_s
                            + body + u"</office:text></office:body></office:document-content>"_s;
    const QString meta = u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta "_s + namespaces
                         + u"><office:meta><dc:title>"_s + xmlEscaped(title)
                         + u"</dc:title></office:meta></office:document-meta>"_s;
    const QString manifest =
        u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
        "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
        "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
        "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
        "</manifest:manifest>"_s;
    return writeZip(path, {{u"mimetype"_s, "application/vnd.oasis.opendocument.text"},
                           {u"content.xml"_s, content.toUtf8()},
                           {u"meta.xml"_s, meta.toUtf8()},
                           {u"META-INF/manifest.xml"_s, manifest.toUtf8()}});
}

bool writeEpub(const QString &path, const QList<QList<TextBlock>> &chapters, const QString &title)
{
    QList<std::pair<QString, QByteArray>> entries{
        {u"mimetype"_s, "application/epub+zip"},
        {u"META-INF/container.xml"_s,
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles>"
         "<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
         "</rootfiles></container>"}};
    QString manifest;
    QString spine;
    // Chapters are listed in the manifest in reverse, so only a reader that follows the spine
    // gets the order right.
    for (qsizetype i = chapters.size(); i > 0; --i) {
        manifest += u"<item id=\"ch%1\" href=\"text/chapter%20%1.xhtml\" media-type=\"application/xhtml+xml\"/>"_s.arg(i);
    }
    for (qsizetype i = 1; i <= chapters.size(); ++i) {
        spine += u"<itemref idref=\"ch%1\"/>"_s.arg(i);
        QByteArray xhtml = html(chapters.at(i - 1), u"Chapter %1"_s.arg(i));
        xhtml.replace("<!DOCTYPE html>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>");
        xhtml.replace("<html>", "<html xmlns=\"http://www.w3.org/1999/xhtml\">");
        xhtml.replace("<br>", "<br/>");
        entries.append({u"OEBPS/text/chapter %1.xhtml"_s.arg(i), xhtml});
    }
    const QString opf = u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"id\">"
                        "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:identifier id=\"id\">urn:test</dc:identifier>"
                        "<dc:title>"_s
                        + xmlEscaped(title) + u"</dc:title><dc:language>en</dc:language></metadata><manifest>"_s + manifest
                        + u"<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/></manifest><spine>"_s + spine
                        + u"</spine></package>"_s;
    entries.append({u"OEBPS/content.opf"_s, opf.toUtf8()});
    entries.append({u"OEBPS/style.css"_s, "p { margin: 0 }"});
    return writeZip(path, entries);
}

} // namespace ragdesk::testdocs
