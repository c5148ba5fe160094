#include "core/ingest/DocumentFormat.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::DocumentFormat;

class TestDocumentFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifiesByExtension_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<DocumentFormat>("format");
        QTest::newRow("txt") << u"/a/notes.txt"_s << DocumentFormat::PlainText;
        QTest::newRow("md upper case") << u"/a/README.MD"_s << DocumentFormat::Markdown;
        QTest::newRow("rst") << u"docs/index.rst"_s << DocumentFormat::ReStructuredText;
        QTest::newRow("cpp") << u"src/main.cpp"_s << DocumentFormat::SourceCode;
        QTest::newRow("python") << u"tool.py"_s << DocumentFormat::SourceCode;
        QTest::newRow("rust") << u"lib.rs"_s << DocumentFormat::SourceCode;
        QTest::newRow("typescript") << u"app.tsx"_s << DocumentFormat::SourceCode;
        QTest::newRow("Makefile") << u"/p/Makefile"_s << DocumentFormat::SourceCode;
        QTest::newRow("CMakeLists.txt beats .txt") << u"/p/CMakeLists.txt"_s << DocumentFormat::SourceCode;
        QTest::newRow("html") << u"page.HTM"_s << DocumentFormat::Html;
        QTest::newRow("xhtml") << u"chapter.xhtml"_s << DocumentFormat::Html;
        QTest::newRow("pdf") << u"paper.Pdf"_s << DocumentFormat::Pdf;
        QTest::newRow("docx") << u"letter.docx"_s << DocumentFormat::Docx;
        QTest::newRow("odt") << u"letter.odt"_s << DocumentFormat::Odt;
        QTest::newRow("epub") << u"book.epub"_s << DocumentFormat::Epub;
        QTest::newRow("csv") << u"table.csv"_s << DocumentFormat::Csv;
        QTest::newRow("tsv") << u"table.tsv"_s << DocumentFormat::Tsv;
        QTest::newRow("image") << u"photo.jpg"_s << DocumentFormat::Unsupported;
        QTest::newRow("old word") << u"old.doc"_s << DocumentFormat::Unsupported;
        QTest::newRow("no extension") << u"/bin/something"_s << DocumentFormat::Unsupported;
        QTest::newRow("dot file") << u"/home/u/.bashrc"_s << DocumentFormat::Unsupported;
        QTest::newRow("trailing dot") << u"name."_s << DocumentFormat::Unsupported;
        QTest::newRow("dotted folder") << u"/a.pdf/file"_s << DocumentFormat::Unsupported;
    }
    void classifiesByExtension()
    {
        QFETCH(QString, path);
        QFETCH(DocumentFormat, format);
        QCOMPARE(ragdesk::documentFormatForPath(path), format);
    }

    void namesAndMimeTypes()
    {
        QCOMPARE(ragdesk::mimeTypeFor(DocumentFormat::Pdf), u"application/pdf"_s);
        QCOMPARE(ragdesk::mimeTypeFor(DocumentFormat::Epub), u"application/epub+zip"_s);
        QCOMPARE(ragdesk::mimeTypeFor(DocumentFormat::Markdown), u"text/markdown"_s);
        QCOMPARE(ragdesk::documentFormatName(DocumentFormat::Docx), u"Word document"_s);
        // Every format has its own MIME type, so stored documents stay distinguishable.
        QSet<QString> mimeTypes;
        for (int i = 0; i <= int(DocumentFormat::Unsupported); ++i) {
            const auto format = DocumentFormat(i);
            QVERIFY(!ragdesk::documentFormatName(format).isEmpty());
            mimeTypes.insert(ragdesk::mimeTypeFor(format));
        }
        QCOMPARE(mimeTypes.size(), int(DocumentFormat::Unsupported) + 1);
    }
};

QTEST_GUILESS_MAIN(TestDocumentFormat)
#include "tst_documentformat.moc"
