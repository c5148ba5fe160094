#include "core/ingest/extractors/OdtExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::OdtExtractor;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

class TestOdtExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void structureSurvives()
    {
        const QList<TextBlock> blocks{
            {Kind::Heading, 1, 0, u"Bericht über 日本語"_s, {}},
            {Kind::Paragraph, 0, 0, u"Two  spaces and é."_s, {}},
            {Kind::Heading, 3, 0, u"Third level"_s, {}},
            {Kind::ListItem, 0, 0, u"alpha"_s, {}},
            {Kind::ListItem, 0, 0, u"beta"_s, {}},
            {Kind::TableRow, 0, 0, u"Bern | 0.1"_s, u"City | Millions"_s},
            {Kind::Paragraph, 0, 0, u"Line one\nline two"_s, {}},
        };
        const QString path = m_dir.filePath(u"bericht.odt"_s);
        QVERIFY(ragdesk::testdocs::writeOdt(path, blocks, u"Jahresbericht"_s));
        const auto document = OdtExtractor::extract(path, {});
        QVERIFY2(document, qPrintable(document ? QString() : document.error().message));
        QCOMPARE(document->title, u"Jahresbericht"_s);
        QCOMPARE(document->mimeType, u"application/vnd.oasis.opendocument.text"_s);
        QCOMPARE(document->blocks, blocks); // and nothing from automatic-styles
    }

    void titleFallsBackToFirstHeading()
    {
        const QString path = m_dir.filePath(u"untitled.odt"_s);
        QVERIFY(ragdesk::testdocs::writeOdt(path, {{Kind::Heading, 2, 0, u"Only heading"_s, {}}}));
        const auto document = OdtExtractor::extract(path, {});
        QVERIFY(document);
        QCOMPARE(document->title, u"Only heading"_s);
        QCOMPARE(document->blocks.first().level, 2);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestOdtExtractor)
#include "tst_odtextractor.moc"
