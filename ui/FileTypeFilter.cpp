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
            { // C family and systems languages
                u"c"_s, u"h"_s, u"cc"_s, u"cpp"_s, u"cxx"_s, u"c++"_s, u"hh"_s, u"hpp"_s, u"hxx"_s, u"h++"_s, u"ipp"_s,
                u"inl"_s, u"m"_s, u"mm"_s, u"cs"_s, u"java"_s, u"kt"_s, u"kts"_s, u"scala"_s, u"groovy"_s, u"gradle"_s,
                u"go"_s, u"rs"_s, u"swift"_s, u"d"_s, u"zig"_s, u"nim"_s, u"v"_s, u"vala"_s, u"dart"_s, u"f"_s,
                u"f90"_s, u"f95"_s, u"for"_s, u"ada"_s, u"adb"_s, u"ads"_s, u"pas"_s,
                // scripting
                u"py"_s, u"pyi"_s, u"pyw"_s, u"rb"_s, u"pl"_s, u"pm"_s, u"php"_s, u"lua"_s, u"tcl"_s, u"r"_s, u"jl"_s,
                u"sh"_s, u"bash"_s, u"zsh"_s, u"fish"_s, u"ps1"_s, u"psm1"_s, u"bat"_s, u"cmd"_s, u"awk"_s, u"sed"_s,
                // web
                u"js"_s, u"mjs"_s, u"cjs"_s, u"jsx"_s, u"ts"_s, u"tsx"_s, u"vue"_s, u"svelte"_s, u"css"_s, u"scss"_s,
                u"sass"_s, u"less"_s,
                // functional
                u"hs"_s, u"lhs"_s, u"ml"_s, u"mli"_s, u"fs"_s, u"fsi"_s, u"fsx"_s, u"ex"_s, u"exs"_s, u"erl"_s,
                u"hrl"_s, u"clj"_s, u"cljs"_s, u"edn"_s, u"lisp"_s, u"el"_s, u"scm"_s, u"rkt"_s, u"elm"_s, u"purs"_s,
                // data, build and configuration
                u"sql"_s, u"json"_s, u"jsonc"_s, u"yaml"_s, u"yml"_s, u"toml"_s, u"ini"_s, u"cfg"_s, u"conf"_s,
                u"xml"_s, u"xsd"_s, u"xsl"_s, u"cmake"_s, u"mk"_s, u"make"_s, u"qml"_s, u"proto"_s, u"graphql"_s,
                u"gql"_s, u"tex"_s, u"sty"_s, u"bib"_s, u"diff"_s, u"patch"_s, u"asm"_s, u"s"_s, u"glsl"_s, u"hlsl"_s,
                u"vert"_s, u"frag"_s, u"cu"_s, u"tf"_s, u"nix"_s, u"dockerfile"_s } },
    };
}

} // namespace ragdesk
