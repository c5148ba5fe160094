// SourceDocumentOpener and the passage check behind it: a citation opens the built-in preview
// with its passage selected, also after the document changed (found again, or shown as cited).

#include "ui/PassagePreviewDialog.h"
#include "ui/SourceDocumentOpener.h"

#include <QPlainTextEdit>
#include <QTest>
#include <QWidget>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
const QString kPassage = u"The tide at Saint-Malo rises by thirteen metres."_s;

CitationSnapshot citation(qint64 start)
{
    CitationSnapshot source;
    source.number = 1;
    source.chunkId = 7;
    source.documentId = 3;
    source.documentTitle = u"Tides"_s;
    source.documentPath = u"/nowhere/tides.md"_s; // no page: never an external viewer
    source.chunkText = kPassage;
    source.startOffset = start;
    source.endOffset = start + kPassage.size();
    return source;
}

DocumentTextFunction documentWith(QString text)
{
    return [text](qint64) -> QCoro::Task<Result<QString>> { co_return text; };
}
} // namespace

class TestSourceDocumentOpener : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void locatePassage()
    {
        const QString document = u"Intro.\n"_s + kPassage + u"\nMore."_s;
        // The offsets still point at the passage.
        QCOMPARE(PassagePreviewDialog::locatePassage(document, kPassage, 7, 7 + kPassage.size()),
                 (std::pair<qint64, qint64>(7, 7 + kPassage.size())));
        // Text was inserted before it since: found again.
        const QString edited = u"A new first line.\n"_s + document;
        QCOMPARE(PassagePreviewDialog::locatePassage(edited, kPassage, 7, 7 + kPassage.size()),
                 (std::pair<qint64, qint64>(25, 25 + kPassage.size())));
        // Gone from the document, or offsets past its end.
        QVERIFY(!PassagePreviewDialog::locatePassage(u"Other text."_s, kPassage, 0, kPassage.size()));
        QVERIFY(!PassagePreviewDialog::locatePassage(u""_s, kPassage, 500, 600));
    }

    void previewSelectsThePassage()
    {
        QWidget parent;
        const QString document = u"Intro.\n"_s + kPassage + u"\nMore."_s;
        SourceDocumentOpener opener(documentWith(document), &parent);
        PassagePreviewDialog *preview = opener.open(citation(7));
        QVERIFY(preview);
        QTRY_VERIFY(preview->isLoaded());
        QCOMPARE(preview->passageRange(), (std::pair<int, int>(7, 7 + int(kPassage.size()))));
        QCOMPARE(preview->textView()->toPlainText(), document);
    }

    void aChangedDocumentShowsThePassageAsCited()
    {
        QWidget parent;
        SourceDocumentOpener opener(documentWith(u"Entirely rewritten."_s), &parent);
        PassagePreviewDialog *preview = opener.preview(citation(7));
        QTRY_VERIFY(preview->isLoaded());
        QCOMPARE(preview->textView()->toPlainText(), kPassage);
        QCOMPARE(preview->passageRange(), (std::pair<int, int>(0, int(kPassage.size()))));
    }
};

QTEST_MAIN(TestSourceDocumentOpener)
#include "tst_sourcedocumentopener.moc"
