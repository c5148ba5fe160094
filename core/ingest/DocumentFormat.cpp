#include "core/ingest/DocumentFormat.h"

#include <QFileInfo>
#include <QHash>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QHash<QString, DocumentFormat> buildExtensionTable()
{
    QHash<QString, DocumentFormat> table;
    const auto add = [&table](DocumentFormat format, std::initializer_list<QStringView> extensions) {
        for (const QStringView extension : extensions)
            table.insert(extension.toString(), format);
    };
    add(DocumentFormat::PlainText, {u"txt", u"text", u"log", u"nfo"});
    add(DocumentFormat::Markdown, {u"md", u"markdown", u"mdown", u"mkd", u"mkdn", u"mdx"});
    add(DocumentFormat::ReStructuredText, {u"rst", u"rest"});
    add(DocumentFormat::Html, {u"html", u"htm", u"xhtml", u"xht"});
    add(DocumentFormat::Pdf, {u"pdf"});
    add(DocumentFormat::Docx, {u"docx", u"docm"});
    add(DocumentFormat::Odt, {u"odt"});
    add(DocumentFormat::Epub, {u"epub"});
    add(DocumentFormat::Csv, {u"csv"});
    add(DocumentFormat::Tsv, {u"tsv", u"tab"});
    add(DocumentFormat::SourceCode,
        {// C family and systems languages
         u"c", u"h", u"cc", u"cpp", u"cxx", u"c++", u"hh", u"hpp", u"hxx", u"h++", u"ipp", u"inl", u"m", u"mm",
         u"cs", u"java", u"kt", u"kts", u"scala", u"groovy", u"gradle", u"go", u"rs", u"swift", u"d", u"zig",
         u"nim", u"v", u"vala", u"dart", u"f", u"f90", u"f95", u"for", u"ada", u"adb", u"ads", u"pas",
         // scripting
         u"py", u"pyi", u"pyw", u"rb", u"pl", u"pm", u"php", u"lua", u"tcl", u"r", u"jl", u"sh", u"bash",
         u"zsh", u"fish", u"ps1", u"psm1", u"bat", u"cmd", u"awk", u"sed",
         // web
         u"js", u"mjs", u"cjs", u"jsx", u"ts", u"tsx", u"vue", u"svelte", u"css", u"scss", u"sass", u"less",
         // functional
         u"hs", u"lhs", u"ml", u"mli", u"fs", u"fsi", u"fsx", u"ex", u"exs", u"erl", u"hrl", u"clj", u"cljs",
         u"edn", u"lisp", u"el", u"scm", u"rkt", u"elm", u"purs",
         // data, build and configuration
         u"sql", u"json", u"jsonc", u"yaml", u"yml", u"toml", u"ini", u"cfg", u"conf", u"xml", u"xsd", u"xsl",
         u"cmake", u"mk", u"make", u"qml", u"proto", u"graphql", u"gql", u"tex", u"sty", u"bib", u"diff",
         u"patch", u"asm", u"s", u"glsl", u"hlsl", u"vert", u"frag", u"cu", u"tf", u"nix", u"dockerfile"});
    return table;
}

// File names without a telling extension that are still plain source or text.
DocumentFormat formatForBareName(const QString &fileName)
{
    static const QHash<QString, DocumentFormat> names = {
        {u"makefile"_s, DocumentFormat::SourceCode},    {u"gnumakefile"_s, DocumentFormat::SourceCode},
        {u"cmakelists.txt"_s, DocumentFormat::SourceCode}, {u"dockerfile"_s, DocumentFormat::SourceCode},
        {u"meson.build"_s, DocumentFormat::SourceCode}, {u"readme"_s, DocumentFormat::PlainText},
        {u"license"_s, DocumentFormat::PlainText},      {u"copying"_s, DocumentFormat::PlainText},
        {u"authors"_s, DocumentFormat::PlainText},      {u"changelog"_s, DocumentFormat::PlainText},
    };
    return names.value(fileName, DocumentFormat::Unsupported);
}

struct FormatDescription {
    QString name;
    QString mimeType;
};

// One switch for both names keeps a new format from getting a name but no MIME type, and the
// missing-case warning still fires when DocumentFormat grows.
FormatDescription describe(DocumentFormat format)
{
    switch (format) {
    case DocumentFormat::PlainText: return {u"Plain text"_s, u"text/plain"_s};
    case DocumentFormat::Markdown: return {u"Markdown"_s, u"text/markdown"_s};
    case DocumentFormat::ReStructuredText: return {u"reStructuredText"_s, u"text/x-rst"_s};
    case DocumentFormat::SourceCode: return {u"Source code"_s, u"text/x-source"_s};
    case DocumentFormat::Html: return {u"HTML"_s, u"text/html"_s};
    case DocumentFormat::Pdf: return {u"PDF"_s, u"application/pdf"_s};
    case DocumentFormat::Docx:
        return {u"Word document"_s, u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s};
    case DocumentFormat::Odt: return {u"OpenDocument text"_s, u"application/vnd.oasis.opendocument.text"_s};
    case DocumentFormat::Epub: return {u"EPUB"_s, u"application/epub+zip"_s};
    case DocumentFormat::Csv: return {u"CSV"_s, u"text/csv"_s};
    case DocumentFormat::Tsv: return {u"TSV"_s, u"text/tab-separated-values"_s};
    case DocumentFormat::Unsupported: break;
    }
    return {u"Unsupported"_s, u"application/octet-stream"_s};
}

} // namespace

DocumentFormat documentFormatForPath(const QString &path)
{
    // Built once; a read-only table is safe to share between the threads that classify files.
    static const QHash<QString, DocumentFormat> extensions = buildExtensionTable();

    const QString fileName = QFileInfo(path).fileName().toLower();
    if (const DocumentFormat byName = formatForBareName(fileName); byName != DocumentFormat::Unsupported)
        return byName;
    const qsizetype dot = fileName.lastIndexOf(u'.');
    if (dot <= 0 || dot == fileName.size() - 1)
        return DocumentFormat::Unsupported;
    return extensions.value(fileName.mid(dot + 1), DocumentFormat::Unsupported);
}

QString documentFormatName(DocumentFormat format)
{
    return describe(format).name;
}

QString mimeTypeFor(DocumentFormat format)
{
    return describe(format).mimeType;
}

} // namespace ragdesk
