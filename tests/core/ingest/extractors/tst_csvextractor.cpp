#include "core/ingest/extractors/CsvExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::CsvExtractor;
using ragdesk::DocumentFormat;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

class TestCsvExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc4180Quoting()
    {
        const QList<QStringList> records{{u"name"_s, u"note"_s},
                                         {u"Zoë"_s, u"says \"hi\", twice"_s},
                                         {u"multi"_s, u"line one\nline two"_s},
                                         {u""_s, u""_s}};
        const QByteArray bytes = ragdesk::testdocs::csv(records);
        QCOMPARE(CsvExtractor::parse(QString::fromUtf8(bytes), u','), records);

        const ragdesk::ExtractedDocument document = CsvExtractor::extract(bytes, DocumentFormat::Csv);
        QCOMPARE(document.mimeType, u"text/csv"_s);
        QCOMPARE(document.blocks,
                 (QList<TextBlock>{{Kind::TableRow, 0, 0, u"Zoë | says \"hi\", twice"_s, u"name | note"_s},
                                   {Kind::TableRow, 0, 0, u"multi | line one\nline two"_s, u"name | note"_s},
                                   {Kind::TableRow, 0, 0, u" | "_s, u"name | note"_s}}));
    }

    void semicolonIsSniffedForCsv()
    {
        const QByteArray bytes = "Stadt;Preis\nKöln;1,50\n\nBonn;2,00";
        QCOMPARE(CsvExtractor::delimiterFor(QString::fromUtf8(bytes), DocumentFormat::Csv), u';');
        const ragdesk::ExtractedDocument document = CsvExtractor::extract(bytes, DocumentFormat::Csv);
        QCOMPARE(document.blocks.size(), 2); // the blank line is no record
        QCOMPARE(document.blocks.at(0).text, u"Köln | 1,50"_s);
        QCOMPARE(document.blocks.at(1).header, u"Stadt | Preis"_s);
    }

    void tabsForTsv()
    {
        const ragdesk::ExtractedDocument document = CsvExtractor::extract("a,b\tc\n1,2\t3\n", DocumentFormat::Tsv);
        QCOMPARE(document.mimeType, u"text/tab-separated-values"_s);
        QCOMPARE(document.blocks, (QList<TextBlock>{{Kind::TableRow, 0, 0, u"1,2 | 3"_s, u"a,b | c"_s}}));
    }

    void headerOnlyIsKept()
    {
        const ragdesk::ExtractedDocument document = CsvExtractor::extract("only,header", DocumentFormat::Csv);
        QCOMPARE(document.blocks, (QList<TextBlock>{{Kind::TableRow, 0, 0, u"only | header"_s, {}}}));
    }

    void unterminatedQuoteEndsAtEndOfInput()
    {
        QCOMPARE(CsvExtractor::parse(u"a,\"open\nstill open"_s, u','),
                 (QList<QStringList>{{u"a"_s, u"open\nstill open"_s}}));
    }
};

QTEST_GUILESS_MAIN(TestCsvExtractor)
#include "tst_csvextractor.moc"
