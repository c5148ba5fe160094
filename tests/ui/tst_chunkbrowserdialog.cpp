// The chunk browser on an indexed Markdown file: lists its chunks, disabling one greys it and
// persists, editing saves text and a fresh token estimate. Real core, temp profile, offscreen.

#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/ingest/TokenEstimator.h"
#include "core/storage/ChunkStore.h"
#include "tests/ui/UiFixture.h"
#include "ui/ChunkBrowserDialog.h"
#include "ui/DocumentListView.h"
#include "ui/DocumentTableModel.h"
#include "ui/KnowledgeBasePanel.h"

#include <QFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

class TestChunkBrowserDialog : public QObject
{
    Q_OBJECT

private:
    /// Indexes a Markdown file of several sections into a knowledge base with small chunks and
    /// opens its chunk browser from the panel with Enter, as a user would.
    ChunkBrowserDialog *openBrowser(UiFixture &fixture, QTemporaryDir &files)
    {
        const QString path = files.filePath(u"guide.md"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return nullptr;
        for (const char *section : { "Install", "Configure", "Use" }) {
            file.write("# " + QByteArray(section) + "\n\n");
            for (int line = 0; line < 12; ++line)
                file.write("The " + QByteArray(section) + " step " + QByteArray::number(line)
                    + " explains what to do and why it matters for the reader.\n\n");
        }
        file.close();
        KnowledgeBaseLibrary *library = fixture.ingestion()->library();
        auto created = QCoro::waitFor(library->create(u"Guide"_s, ChunkingOptions { 64, 8 }, u"en"_s));
        if (!created)
            return nullptr;
        QSignalSpy finished(library->queue(), &IngestQueue::fileFinished);
        KnowledgeBasePanel *panel = fixture.window()->openKnowledgeBases();
        if (!QTest::qWaitFor([&] { return panel->currentKnowledgeBaseId() == created->id; }))
            return nullptr;
        panel->documentView()->addPaths({ path });
        if (!QTest::qWaitFor([&finished] { return finished.count() > 0; }, 30000))
            return nullptr;
        DocumentListView *view = panel->documentView();
        if (!QTest::qWaitFor([view] {
                return view->model()->rowCount() == 1
                    && view->model()->document(0).status == DocumentStatus::Indexed;
            }, 10000))
            return nullptr;
        view->table()->setFocus();
        view->table()->setCurrentIndex(view->table()->model()->index(0, 0));
        QTest::keyClick(view->table(), Qt::Key_Return);
        return view->chunkBrowser();
    }

private Q_SLOTS:
    void listsTogglesAndEditsChunks()
    {
        UiFixture::Config config;
        config.knowledgeBases = true;
        UiFixture fixture(config);
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QTemporaryDir files;
        QPointer<ChunkBrowserDialog> browser = openBrowser(fixture, files);
        QVERIFY(browser);
        QVERIFY(browser->isVisible());
        QVERIFY(!browser->isModal());
        ChunkStore *store = fixture.ingestion()->chunks().get();
        const auto stored = QCoro::waitFor(store->chunks(browser->documentId()));
        QVERIFY(stored);
        QVERIFY2(stored->size() >= 3, qPrintable(QString::number(stored->size())));

        QTreeWidget *list = browser->chunkList();
        QTRY_COMPARE(list->topLevelItemCount(), int(stored->size()));
        QCOMPARE(list->topLevelItem(0)->text(ChunkBrowserDialog::Ordinal), u"1"_s);
        QCOMPARE(list->topLevelItem(0)->text(ChunkBrowserDialog::Tokens), QString::number(stored->at(0).draft.tokenCount));
        QVERIFY(list->topLevelItem(0)->text(ChunkBrowserDialog::Heading).contains(u"Install"_s));
        QCOMPARE(browser->textView()->toPlainText(), stored->at(0).draft.text);

        // Untick chunk 2: stored as disabled, shown greyed.
        QSignalSpy saved(browser.data(), &ChunkBrowserDialog::saved);
        QTreeWidgetItem *second = list->topLevelItem(1);
        const QColor normal = second->foreground(ChunkBrowserDialog::FirstLine).color();
        second->setCheckState(ChunkBrowserDialog::Ordinal, Qt::Unchecked);
        // A fast write can resume the coroutine before we would start waiting: count, don't wait().
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        QCOMPARE(saved.last().at(0).toBool(), true);
        const auto afterToggle = QCoro::waitFor(store->chunks(browser->documentId()));
        QVERIFY(afterToggle);
        QCOMPARE(afterToggle->at(1).enabled, false);
        QCOMPARE(afterToggle->at(0).enabled, true);
        QCOMPARE(second->foreground(ChunkBrowserDialog::FirstLine).color(),
            browser->palette().color(QPalette::Disabled, QPalette::Text));
        QVERIFY(second->foreground(ChunkBrowserDialog::FirstLine).color() != normal);
        QCOMPARE(list->topLevelItem(0)->foreground(ChunkBrowserDialog::FirstLine).style(), Qt::NoBrush);

        // Edit chunk 3 and save with Ctrl+S.
        list->setCurrentItem(list->topLevelItem(2));
        browser->findChild<QPushButton *>(u"chunkEdit"_s)->click();
        QVERIFY(browser->isEditing());
        QVERIFY(!browser->textView()->isReadOnly());
        const QString edited = u"Configure: the corrected text of this chunk, written by hand."_s;
        browser->textView()->setPlainText(edited);
        browser->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(browser));
        QTest::keyClick(browser->textView(), Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 2, 10000);
        QCOMPARE(saved.last().at(0).toBool(), true);
        QVERIFY(!browser->isEditing());
        QCOMPARE(browser->errorText(), QString());
        const auto afterEdit = QCoro::waitFor(store->chunks(browser->documentId()));
        QVERIFY(afterEdit);
        QCOMPARE(afterEdit->at(2).draft.text, edited);
        QCOMPARE(afterEdit->at(2).draft.tokenCount, TokenEstimator::estimate(edited));
        QCOMPARE(list->topLevelItem(2)->text(ChunkBrowserDialog::Tokens), QString::number(TokenEstimator::estimate(edited)));

        // An empty chunk is refused inline and nothing is written.
        browser->startEditing();
        browser->textView()->clear();
        browser->save();
        QVERIFY(!browser->errorText().isEmpty());
        QVERIFY(browser->isEditing());
        browser->cancelEditing();
        QCOMPARE(browser->textView()->toPlainText(), edited);
        browser->close();
        QTRY_VERIFY(!browser);
    }
};

QTEST_MAIN(TestChunkBrowserDialog)
#include "tst_chunkbrowserdialog.moc"
