#include "core/ingest/extractors/EpubExtractor.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::EpubExtractor;
using ragdesk::TextBlock;
using Kind = ragdesk::TextBlock::Kind;

class TestEpubExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chaptersInSpineOrder()
    {
        const QList<QList<TextBlock>> chapters{
            {{Kind::Heading, 1, 0, u"Chapter One"_s, {}}, {Kind::Paragraph, 0, 0, u"It began in Zürich."_s, {}}},
            {{Kind::Heading, 1, 0, u"Chapter Two"_s, {}}, {Kind::ListItem, 0, 0, u"日本語 item"_s, {}}},
            {{Kind::Heading, 2, 0, u"Chapter Three"_s, {}}, {Kind::Code, 0, 0, u"print(1)"_s, {}}},
        };
        const QString path = m_dir.filePath(u"book.epub"_s);
        QVERIFY(ragdesk::testdocs::writeEpub(path, chapters, u"A Book"_s));
        const auto document = EpubExtractor::extract(path, {});
        QVERIFY2(document, qPrintable(document ? QString() : document.error().message));
        QCOMPARE(document->title, u"A Book"_s);
        QCOMPARE(document->mimeType, u"application/epub+zip"_s);
        QCOMPARE(document->blocks, chapters.at(0) + chapters.at(1) + chapters.at(2));
    }

    void missingContainerIsExplained()
    {
        const QString path = m_dir.filePath(u"nocontainer.epub"_s);
        QVERIFY(ragdesk::testdocs::writeZip(path, {{u"mimetype"_s, "application/epub+zip"}}));
        const auto document = EpubExtractor::extract(path, {});
        QVERIFY(!document);
        QCOMPARE(document.error().kind, ragdesk::Error::Kind::Extraction);
        QVERIFY(document.error().message.contains(u"META-INF/container.xml"_s));
    }

    void spineEscapingTheArchiveIsIgnored()
    {
        const QString path = m_dir.filePath(u"escape.epub"_s);
        QVERIFY(ragdesk::testdocs::writeZip(
            path, {{u"META-INF/container.xml"_s,
                    "<container><rootfiles><rootfile full-path=\"content.opf\"/></rootfiles></container>"},
                   {u"content.opf"_s, "<package><manifest><item id=\"a\" href=\"../../etc/passwd\" "
                                      "media-type=\"application/xhtml+xml\"/></manifest>"
                                      "<spine><itemref idref=\"a\"/></spine></package>"}}));
        const auto document = EpubExtractor::extract(path, {});
        QVERIFY(!document);
        QVERIFY(document.error().message.contains(u"no chapters"_s));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestEpubExtractor)
#include "tst_epubextractor.moc"
