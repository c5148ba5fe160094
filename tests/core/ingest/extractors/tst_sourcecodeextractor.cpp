#include "core/ingest/extractors/SourceCodeExtractor.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::SourceCodeExtractor;
using Kind = ragdesk::TextBlock::Kind;

class TestSourceCodeExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsLanguage_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("language");
        QTest::newRow("c++") << u"/p/main.cpp"_s << u"C++"_s;
        QTest::newRow("python") << u"tool.py"_s << u"Python"_s;
        QTest::newRow("cmake") << u"CMakeLists.txt"_s << u"CMake"_s;
        QTest::newRow("rust") << u"lib.rs"_s << u"Rust"_s;
    }
    void detectsLanguage()
    {
        QFETCH(QString, path);
        QFETCH(QString, language);
        QCOMPARE(SourceCodeExtractor::languageForPath(path), language);
    }

    void splitsAtBlankLinesKeepingIndentation()
    {
        const QByteArray source = "#include <cstdio>\r\n\r\nint main()\n{\n    std::puts(\"héllo\");\n}\n\n\n";
        const ragdesk::ExtractedDocument document = SourceCodeExtractor::extract(source, u"hello.cpp"_s);
        QCOMPARE(document.codeLanguage, u"C++"_s);
        QCOMPARE(document.blocks.size(), 2);
        QCOMPARE(document.blocks.at(0).text, u"#include <cstdio>"_s);
        QCOMPARE(document.blocks.at(1).text, u"int main()\n{\n    std::puts(\"héllo\");\n}"_s);
        for (const auto &block : document.blocks)
            QCOMPARE(block.kind, Kind::Code);
    }

    void longRunsSplitEveryHundredLines()
    {
        QByteArray source;
        for (int i = 0; i < 250; ++i)
            source += "x = " + QByteArray::number(i) + "\n";
        const ragdesk::ExtractedDocument document = SourceCodeExtractor::extract(source, u"long.py"_s);
        QCOMPARE(document.blocks.size(), 3);
        QCOMPARE(document.blocks.at(0).text.count(u'\n'), 99);
        QVERIFY(document.blocks.at(1).text.startsWith(u"x = 100\n"_s));
        QVERIFY(document.blocks.at(2).text.endsWith(u"x = 249"_s));
    }
};

QTEST_GUILESS_MAIN(TestSourceCodeExtractor)
#include "tst_sourcecodeextractor.moc"
