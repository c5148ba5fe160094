#include "core/ingest/extractors/DocxExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <KZip>

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::DocxExtractor;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

class TestDocxExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void structureSurvives()
    {
        const QList<TextBlock> blocks{
            {Kind::Heading, 1, 0, u"Report über 日本語"_s, {}},
            {Kind::Paragraph, 0, 0, u"Intro with é and ü."_s, {}},
            {Kind::Heading, 2, 0, u"Second level"_s, {}},
            {Kind::ListItem, 0, 0, u"first bullet"_s, {}},
            {Kind::ListItem, 0, 0, u"second bullet"_s, {}},
            {Kind::TableRow, 0, 0, u"Oslo | 0.7"_s, u"City | Millions"_s},
            {Kind::TableRow, 0, 0, u"Lima | 10"_s, u"City | Millions"_s},
            {Kind::Paragraph, 0, 0, u"Line one\nline two"_s, {}},
        };
        const QString path = m_dir.filePath(u"report.docx"_s);
        QVERIFY(ragdesk::testdocs::writeDocx(path, blocks, u"Quarterly Report"_s));
        const auto document = DocxExtractor::extract(path, {});
        QVERIFY2(document, qPrintable(document ? QString() : document.error().message));
        QCOMPARE(document->title, u"Quarterly Report"_s);
        QCOMPARE(document->mimeType,
                 u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s);
        QCOMPARE(document->blocks, blocks);
    }

    void localisedStyleIdMapsThroughStylesXml()
    {
        // writeDocx's styles.xml names the id "berschrift4" "heading 4", as German Word does.
        const QString path = m_dir.filePath(u"de.docx"_s);
        QVERIFY(ragdesk::testdocs::writeDocx(path, {{Kind::Heading, 4, 0, u"Vierte Ebene"_s, {}}}));
        QByteArray document;
        {
            KZip zip(path);
            QVERIFY(zip.open(QIODevice::ReadOnly));
            const auto *entry = static_cast<const KArchiveFile *>(zip.directory()->entry(u"word/document.xml"_s));
            QVERIFY(entry);
            document = entry->data().replace("Heading4", "berschrift4");
        }
        const QString localised = m_dir.filePath(u"de2.docx"_s);
        QVERIFY(ragdesk::testdocs::writeZip(
            localised, {{u"word/document.xml"_s, document},
                        {u"word/styles.xml"_s, "<w:styles xmlns:w=\"w\"><w:style w:styleId=\"berschrift4\">"
                                               "<w:name w:val=\"heading 4\"/></w:style></w:styles>"}}));
        const auto extracted = DocxExtractor::extract(localised, {});
        QVERIFY(extracted);
        QCOMPARE(extracted->blocks, (QList<TextBlock>{{Kind::Heading, 4, 0, u"Vierte Ebene"_s, {}}}));
        QCOMPARE(extracted->title, u"Vierte Ebene"_s); // no core.xml: the first heading
    }

    void malformedXmlIsAnExtractionError()
    {
        const QString path = m_dir.filePath(u"broken.docx"_s);
        QVERIFY(ragdesk::testdocs::writeZip(path, {{u"word/document.xml"_s, "<w:document><w:body><w:p>unclosed"}}));
        const auto document = DocxExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
        QVERIFY2(document.error().message.contains(u"word/document.xml"_s), qPrintable(document.error().message));
    }

    void missingDocumentPart()
    {
        const QString path = m_dir.filePath(u"empty.docx"_s);
        QVERIFY(ragdesk::testdocs::writeZip(path, {{u"other.xml"_s, "<x/>"}}));
        const auto document = DocxExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
        QVERIFY(document.error().message.contains(u"missing"_s));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestDocxExtractor)
#include "tst_docxextractor.moc"
