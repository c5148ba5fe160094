#include "ui/FileTypeFilter.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace ragdesk {

QList<FileTypeGroup> fileTypeGroups()
{
    // Kept in step with core/ingest/DocumentFormat.cpp's extension table by hand: the table is
    // private there, and the filter groups formats the way people think of them, not one per enum.
    const auto tr = [](const char *text) { return QCoreApplication::translate("FileTypeFilter", text); };
    return {
        { tr("PDF"), { u"pdf"_s } },
        { tr("Word / ODT"), { u"docx"_s, u"docm"_s, u"odt"_s } },
        { tr("Markdown / Text"),
            { u"md"_s, u"markdown"_s, u"mdown"_s, u"mkd"_s, u"mkdn"_s, u"mdx"_s, u"txt"_s, u"text"_s, u"log"_s,
                u"nfo"_s, u"rst"_s, u"rest"_s } },
        { tr("HTML"), { u"html"_s, u"htm"_s, u"xhtml"_s, u"xht"_s } },
        { tr("EPUB"), { u"epub"_s } },
        { tr("Tables (CSV/TSV)"), { u"csv"_s, u"tsv"_s, u"tab"_s } },
        { tr("Code"),
            { u"c"_s, u"h"_s, u"cc"_s, u"cpp"_s, u"cxx"_s, u"hh"_s, u"hpp"_s, u"hxx"_s, u"m"_s, u"mm"_s, u"cs"_s,
                u"java"_s, u"kt"_s, u"scala"_s, u"go"_s, u"rs"_s, u"swift"_s, u"zig"_s, u"dart"_s, u"py"_s,
                u"pyi"_s, u"rb"_s, u"pl"_s, u"php"_s, u"lua"_s, u"r"_s, u"jl"_s, u"sh"_s, u"bash"_s, u"zsh"_s,
                u"ps1"_s, u"js"_s, u"mjs"_s, u"jsx"_s, u"ts"_s, u"tsx"_s, u"vue"_s, u"css"_s, u"scss"_s,
                u"hs"_s, u"ml"_s, u"fs"_s, u"ex"_s, u"erl"_s, u"clj"_s, u"el"_s, u"sql"_s, u"json"_s,
                u"yaml"_s, u"yml"_s, u"toml"_s, u"ini"_s, u"xml"_s, u"cmake"_s, u"qml"_s, u"proto"_s,
                u"tex"_s, u"nix"_s } },
    };
}

} // namespace ragdesk
