// The Knowledge Bases tab driven like a user would: real MainWindow, real ingestion stack with the
// ragdesk-extract helper, temp profile, offscreen. SQL on the UI thread would qFatal() here.

#include "core/ingest/IngestQueue.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/retrieval/EmbeddingBackfill.h"
#include "core/storage/DocumentStore.h"
#include "tests/ui/UiFixture.h"
#include "ui/DocumentActions.h"
#include "ui/DocumentListView.h"
#include "ui/DocumentTableModel.h"
#include "ui/IngestProgressBanner.h"
#include "ui/IngestStatusReadout.h"
#include "ui/KnowledgeBaseDialog.h"
#include "ui/KnowledgeBasePanel.h"
#include "ui/VectorStatusLine.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;
using namespace ragdesk::testing;

namespace {

UiFixture::Config withKnowledgeBases()
{
    UiFixture::Config config;
    config.knowledgeBases = true;
    return config;
}

/// @p count Markdown notes, and a bad.pdf of random bytes if @p withBadPdf.
QStringList writeNotes(const QString &folder, int count, bool withBadPdf)
{
    QDir().mkpath(folder);
    QStringList paths;
    for (int i = 0; i < count; ++i) {
        const QString path = QDir(folder).filePath(u"note-%1.md"_s.arg(i, 3, 10, QChar(u'0')));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        QByteArray text = "# Note " + QByteArray::number(i) + "\n\n";
        for (int line = 0; line < 40; ++line)
            text += "Line " + QByteArray::number(line) + " of note " + QByteArray::number(i)
                + " talks about knowledge bases, chunking and retrieval.\n";
        file.write(text);
        paths.append(path);
    }
    if (withBadPdf) {
        const QString path = QDir(folder).filePath(u"bad.pdf"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        QByteArray noise(4096, Qt::Uninitialized);
        for (char &byte : noise)
            byte = char(QRandomGenerator::global()->bounded(256));
        file.write(noise);
        paths.append(path);
    }
    return paths;
}

KnowledgeBasePanel *openPanel(UiFixture &fixture)
{
    QAction *action = fixture.window()->findChild<QAction *>(u"actionKnowledgeBases"_s);
    if (!action)
        return nullptr;
    // The shortcut shown in the menu is the one that works.
    QTest::keyClick(fixture.window(), Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
    return fixture.window()->knowledgeBasePanel();
}

QString storedModel(UiFixture &fixture, qint64 id)
{
    const auto listed = QCoro::waitFor(fixture.ingestion()->library()->list());
    for (const KnowledgeBase &knowledgeBase : listed.value_or(QList<KnowledgeBase> {})) {
        if (knowledgeBase.id == id)
            return knowledgeBase.embeddingModel;
    }
    return u"<missing>"_s;
}

qint64 createWithLibrary(UiFixture &fixture, const QString &name)
{
    auto created = QCoro::waitFor(fixture.ingestion()->library()->create(name, ChunkingOptions {}, u"en"_s));
    return created ? created->id : 0;
}

void drop(QWidget *target, const QStringList &paths)
{
    auto mime = std::make_unique<QMimeData>();
    QList<QUrl> urls;
    for (const QString &path : paths)
        urls.append(QUrl::fromLocalFile(path));
    mime->setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(at), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropEvent);
    QVERIFY(dropEvent.isAccepted());
}

int rowNamed(DocumentTableModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, DocumentTableModel::Name).data().toString() == name)
            return row;
    }
    return -1;
}

} // namespace

class TestKnowledgeBasePanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describesProgress()
    {
        const QLocale locale(QLocale::English);
        IngestProgress progress;
        progress.counts.indexed = 118;
        progress.counts.failed = 2;
        progress.counts.queued = 878;
        progress.counts.extracting = 2;
        progress.counts.bytesDone = 45LL * 1000 * 1000;
        progress.counts.bytesTotal = 300LL * 1000 * 1000;
        progress.counts.chunks = 12345;
        progress.etaSeconds = 125;
        const QString line = IngestProgressBanner::describe(progress, locale);
        QVERIFY2(line.startsWith(u"120 of 1,000 files · "_s), qPrintable(line));
        QVERIFY2(line.contains(u" · 12,345 chunks · about 2 min left"_s), qPrintable(line));
        QVERIFY2(line.contains(u"2 failed"_s), qPrintable(line));
        progress.counts.queued = 0;
        progress.counts.extracting = 0;
        progress.counts.indexed = 998;
        QVERIFY2(IngestProgressBanner::describe(progress, locale).startsWith(u"All 1,000 files indexed"_s),
            qPrintable(IngestProgressBanner::describe(progress, locale)));
        QCOMPARE(IngestProgressBanner::describeEta(-1), QString());
    }

    void createsAKnowledgeBaseThroughTheDialog()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        KnowledgeBasePanel *panel = openPanel(fixture);
        QVERIFY(panel);
        QCOMPARE(fixture.window()->tabs()->currentWidget(), panel);
        QTRY_VERIFY(panel->showsEmptyState());

        auto *create = panel->findChild<QPushButton *>(u"createKnowledgeBaseButton"_s);
        QVERIFY(create && create->isVisible());
        create->click();
        QTRY_VERIFY(panel->dialog() && panel->dialog()->isVisible());
        KnowledgeBaseDialog *dialog = panel->dialog();
        QVERIFY(dialog->isModal());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"kbName"_s), u"Research"_s);
        dialog->findChild<QSpinBox *>(u"kbChunkSize"_s)->setValue(128);
        dialog->findChild<QSpinBox *>(u"kbOverlap"_s)->setValue(200);
        dialog->accept();
        // Inline validation: the dialog stays open and says what to fix.
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->findChild<QLabel *>(u"kbError"_s)->text().contains(u"overlap"_s));
        dialog->findChild<QSpinBox *>(u"kbOverlap"_s)->setValue(32);
        dialog->accept();
        QTRY_VERIFY(!panel->dialog());
        QTRY_COMPARE(panel->knowledgeBases().size(), 1);
        QVERIFY(!panel->showsEmptyState());
        const KnowledgeBase created = panel->knowledgeBases().first();
        QCOMPARE(created.name, u"Research"_s);
        QCOMPARE(created.chunking.targetTokens, 128);
        QCOMPARE(created.chunking.overlapTokens, 32);
        QCOMPARE(panel->currentKnowledgeBaseId(), created.id);

        // A second one with the same name is refused inline by the library.
        panel->createKnowledgeBase(u"research"_s);
        QTRY_VERIFY(panel->dialog());
        panel->dialog()->accept();
        QTRY_VERIFY(!panel->dialog()->findChild<QLabel *>(u"kbError"_s)->isHidden());
        panel->dialog()->reject();
        QCOMPARE(panel->knowledgeBases().size(), 1);
    }

    void indexesAddedFilesWithProgressAndAFailure()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QTemporaryDir files;
        const QStringList written = writeNotes(files.filePath(u"notes"_s), 60, true);
        QCOMPARE(written.size(), 61);
        const qint64 id = createWithLibrary(fixture, u"Notes"_s);
        QVERIFY(id > 0);
        KnowledgeBasePanel *panel = openPanel(fixture);
        QVERIFY(panel);
        QTRY_COMPARE(panel->currentKnowledgeBaseId(), id);
        DocumentListView *view = panel->documentView();

        // Record what the banner and the status bar said while the files were indexed.
        QStringList bannerTexts;
        QStringList statusTexts;
        connect(fixture.ingestion()->queue(), &IngestQueue::progressChanged, view, [&](qint64 kb, const IngestProgress &) {
            if (kb == id)
                bannerTexts.append(view->banner()->text());
            statusTexts.append(fixture.window()->ingestStatus()->text());
        });
        view->setNextPaths({ files.filePath(u"notes"_s) });
        // Focus is on the knowledge base list; the panel's Ctrl+Shift+O works from there too.
        QTRY_VERIFY(panel->knowledgeBaseList()->hasFocus());
        QSignalSpy triggered(view->fileActions().at(1), &QAction::triggered);
        QTest::keyClick(panel->knowledgeBaseList(), Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(triggered.count(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 61, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(view->banner()->text().startsWith(u"All 61 files indexed"_s), 60000);
        const QRegularExpression running(u"^\\d+ of 61 files · "_s);
        QVERIFY2(std::any_of(bannerTexts.cbegin(), bannerTexts.cend(), [&](const QString &text) {
            return running.match(text).hasMatch();
        }), qPrintable(bannerTexts.join(u" | "_s)));
        QVERIFY2(std::any_of(statusTexts.cbegin(), statusTexts.cend(), [](const QString &text) {
            return text.startsWith(u"Indexing "_s) && text.endsWith(u"/61 files"_s);
        }), qPrintable(statusTexts.join(u" | "_s)));
        QVERIFY(view->banner()->text().contains(u"1 failed"_s));
        QTRY_VERIFY(fixture.window()->ingestStatus()->isHidden());
        // The KB list shows its file count.
        QTRY_VERIFY(panel->knowledgeBaseList()->item(0)->text().contains(u"61 files"_s));

        // The broken PDF reads "Failed" and says why, in the tooltip and under the table.
        DocumentTableModel *model = view->model();
        int bad = -1;
        QTRY_VERIFY((bad = rowNamed(model, u"bad.pdf"_s)) >= 0
            && model->index(bad, DocumentTableModel::Status).data().toString() == u"Failed"_s);
        const QString reason = model->index(bad, DocumentTableModel::Status).data(Qt::ToolTipRole).toString();
        QVERIFY(!reason.isEmpty());
        QVERIFY(reason != u"Failed"_s);
        // Rows follow within one coalescing interval.
        QTRY_COMPARE(model->index(rowNamed(model, u"note-000.md"_s), DocumentTableModel::Status).data().toString(),
            u"Indexed"_s);

        // Filtering on failed files leaves just that one; selecting it shows the reason.
        auto *filter = view->findChild<QComboBox *>(u"documentFilter"_s);
        filter->setCurrentIndex(filter->findData(documentStatusName(DocumentStatus::Failed)));
        QCOMPARE(view->table()->model()->rowCount(), 1);
        view->table()->setFocus();
        view->table()->setCurrentIndex(view->table()->model()->index(0, 0));
        QCOMPARE(view->selectedDocuments().size(), 1);
        QTRY_VERIFY2(view->detailsText().contains(reason), qPrintable(view->detailsText() + u" <> "_s + reason));
        QCOMPARE(view->selectedDocuments().first().path, QFileInfo(written.last()).absoluteFilePath());

        // Retry queues it again; it fails again with the same reason.
        QSignalSpy finished(fixture.ingestion()->queue(), &IngestQueue::fileFinished);
        view->actions()->retry();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(finished.first().first().value<IngestOutcome>().status, DocumentStatus::Failed);
        QTRY_COMPARE(model->index(bad, DocumentTableModel::Status).data().toString(), u"Failed"_s);

        // Del on the table removes the file from the knowledge base.
        QTest::keyClick(view->table(), Qt::Key_Delete);
        // As long as the retry above may take: under ASan with other suites running, the removal's
        // write and the coalesced refresh once took longer than the default 5 s.
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 60, 20000);
        QCOMPARE(rowNamed(model, u"bad.pdf"_s), -1);
    }

    void dropsAFolderOntoThePanel()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QTemporaryDir files;
        QCOMPARE(writeNotes(files.filePath(u"dropped"_s), 5, false).size(), 5);
        const qint64 id = createWithLibrary(fixture, u"Drops"_s);
        KnowledgeBasePanel *panel = openPanel(fixture);
        QTRY_COMPARE(panel->currentKnowledgeBaseId(), id);

        drop(panel->documentView()->table()->viewport(), { files.filePath(u"dropped"_s) });
        QTRY_COMPARE_WITH_TIMEOUT(panel->documentView()->model()->rowCount(), 5, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->documentView()->banner()->text().startsWith(u"All 5 files indexed"_s), 30000);
        auto sources = QCoro::waitFor(fixture.ingestion()->library()->sources(id));
        QVERIFY(sources);
        QCOMPARE(sources->size(), 1);
        QVERIFY(sources->first().isFolder);
    }

    void dropWithoutKnowledgeBaseOffersOneNamedAfterTheFolder()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QTemporaryDir files;
        QCOMPARE(writeNotes(files.filePath(u"Field Notes"_s), 3, false).size(), 3);
        KnowledgeBasePanel *panel = openPanel(fixture);
        QTRY_VERIFY(panel->showsEmptyState());

        drop(panel, { files.filePath(u"Field Notes"_s) });
        QTRY_VERIFY(panel->dialog());
        QCOMPARE(panel->dialog()->values().name, u"Field Notes"_s);
        panel->dialog()->accept();
        QTRY_COMPARE(panel->knowledgeBases().size(), 1);
        QCOMPARE(panel->knowledgeBases().first().name, u"Field Notes"_s);
        QTRY_COMPARE_WITH_TIMEOUT(panel->documentView()->model()->rowCount(), 3, 20000);
    }

    void deletingAsksFirst()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        const qint64 id = createWithLibrary(fixture, u"Doomed"_s);
        KnowledgeBasePanel *panel = openPanel(fixture);
        QTRY_COMPARE(panel->currentKnowledgeBaseId(), id);

        panel->knowledgeBaseList()->setFocus();
        QTest::keyClick(panel->knowledgeBaseList(), Qt::Key_Delete);
        QTRY_VERIFY(panel->confirmation() && panel->confirmation()->isVisible());
        QVERIFY(panel->confirmation()->text().contains(u"Doomed"_s));
        panel->confirmation()->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!panel->confirmation());
        QCOMPARE(panel->knowledgeBases().size(), 1);

        panel->findChild<QPushButton *>(u"deleteKnowledgeBaseButton"_s)->click();
        QTRY_VERIFY(panel->confirmation());
        panel->confirmation()->button(QMessageBox::Yes)->click();
        QTRY_VERIFY(panel->showsEmptyState());
        QCOMPARE(panel->knowledgeBases().size(), 0);
        auto listed = QCoro::waitFor(fixture.ingestion()->library()->list());
        QVERIFY(listed);
        QVERIFY(listed->isEmpty());
    }

    void dialogRoundTripsTheEmbeddingModel()
    {
        KnowledgeBaseDialog::Values initial;
        initial.name = u"Papers"_s;
        initial.embeddingModel = u"nomic-embed-text"_s;
        KnowledgeBaseDialog dialog(KnowledgeBaseDialog::Mode::Edit, initial);
        auto *field = dialog.findChild<QLineEdit *>(u"kbEmbeddingModel"_s);
        QVERIFY(field);
        QCOMPARE(field->text(), u"nomic-embed-text"_s);
        QVERIFY(field->placeholderText().contains(u"keyword search only"_s));
        QCOMPARE(dialog.values().embeddingModel, u"nomic-embed-text"_s);
        field->clear();
        QTest::keyClicks(field, u" mxbai-embed-large "_s);
        QCOMPARE(dialog.values().embeddingModel, u"mxbai-embed-large"_s);
        field->clear();
        QCOMPARE(dialog.values().embeddingModel, QString());

        KnowledgeBaseDialog fresh(KnowledgeBaseDialog::Mode::Create, {});
        QVERIFY(fresh.findChild<QLineEdit *>(u"kbEmbeddingModel"_s)->text().isEmpty());
        QVERIFY(fresh.values().embeddingModel.isEmpty());
    }

    void embeddingModelIsSetOnCreateAndConfirmedOnChange()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        KnowledgeBasePanel *panel = openPanel(fixture);
        QVERIFY(panel);
        QTRY_VERIFY(panel->showsEmptyState());

        // Creating with a model sets it right away, without asking.
        panel->createKnowledgeBase(u"Papers"_s);
        QTRY_VERIFY(panel->dialog());
        QTest::keyClicks(panel->dialog()->findChild<QLineEdit *>(u"kbEmbeddingModel"_s), u"nomic-embed-text"_s);
        panel->dialog()->accept();
        QTRY_VERIFY(!panel->dialog());
        QVERIFY(!panel->confirmation());
        QTRY_COMPARE(panel->knowledgeBases().size(), 1);
        const qint64 id = panel->knowledgeBases().first().id;
        QTRY_COMPARE(panel->knowledgeBases().first().embeddingModel, u"nomic-embed-text"_s);
        QCOMPARE(storedModel(fixture, id), u"nomic-embed-text"_s);
        // This window has no backfill (Deps::embeddings is null).
        QTRY_VERIFY2(panel->vectorStatus()->text().startsWith(u"Vectors unavailable"_s),
            qPrintable(panel->vectorStatus()->text()));
        QVERIFY(panel->vectorStatus()->isVisible());

        // Changing it asks first; Cancel goes back to the dialog and saves nothing.
        panel->editKnowledgeBase();
        QTRY_VERIFY(panel->dialog());
        auto *field = panel->dialog()->findChild<QLineEdit *>(u"kbEmbeddingModel"_s);
        QCOMPARE(field->text(), u"nomic-embed-text"_s);
        field->setText(u"mxbai-embed-large"_s);
        panel->dialog()->accept();
        QTRY_VERIFY(panel->confirmation() && panel->confirmation()->isVisible());
        QCOMPARE(panel->confirmation()->windowModality(), Qt::WindowModal);
        QVERIFY(panel->confirmation()->text().contains(u"mxbai-embed-large"_s));
        QVERIFY2(panel->confirmation()->informativeText().contains(u"embedded again"_s),
            qPrintable(panel->confirmation()->informativeText()));
        QVERIFY(panel->confirmation()->informativeText().contains(u"keywords"_s));
        panel->confirmation()->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!panel->confirmation());
        QVERIFY(panel->dialog() && panel->dialog()->isVisible());
        QVERIFY(panel->dialog()->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QCOMPARE(storedModel(fixture, id), u"nomic-embed-text"_s);

        // Confirming saves it.
        panel->dialog()->accept();
        QTRY_VERIFY(panel->confirmation());
        panel->confirmation()->button(QMessageBox::Yes)->click();
        QTRY_VERIFY(!panel->dialog());
        QTRY_COMPARE(panel->knowledgeBases().first().embeddingModel, u"mxbai-embed-large"_s);
        QCOMPARE(storedModel(fixture, id), u"mxbai-embed-large"_s);
    }

    void theFirstModelOfAnEmptyKnowledgeBaseNeedsNoConfirmation()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        const qint64 id = createWithLibrary(fixture, u"Empty"_s);
        KnowledgeBasePanel *panel = openPanel(fixture);
        QTRY_COMPARE(panel->currentKnowledgeBaseId(), id);
        QCOMPARE(panel->vectorStatus()->text(), u"Keyword search only — no embedding model"_s);

        panel->editKnowledgeBase();
        QTRY_VERIFY(panel->dialog());
        panel->dialog()->findChild<QLineEdit *>(u"kbEmbeddingModel"_s)->setText(u"all-minilm"_s);
        panel->dialog()->accept();
        QVERIFY(!panel->confirmation());
        QTRY_VERIFY(!panel->dialog());
        QTRY_COMPARE(storedModel(fixture, id), u"all-minilm"_s);
        QTRY_VERIFY(panel->vectorStatus()->text().startsWith(u"Vectors unavailable"_s));
    }

    void aModelForAKnowledgeBaseWithChunksAsksFirst()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QTemporaryDir files;
        QCOMPARE(writeNotes(files.filePath(u"notes"_s), 3, false).size(), 3);
        const qint64 id = createWithLibrary(fixture, u"Indexed"_s);
        QVERIFY(QCoro::waitFor(fixture.ingestion()->library()->addPaths(id, { files.filePath(u"notes"_s) })));
        KnowledgeBasePanel *panel = openPanel(fixture);
        QTRY_COMPARE(panel->currentKnowledgeBaseId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(panel->documentView()->banner()->text().startsWith(u"All 3 files indexed"_s), 30000);

        panel->editKnowledgeBase();
        QTRY_VERIFY(panel->dialog());
        panel->dialog()->findChild<QLineEdit *>(u"kbEmbeddingModel"_s)->setText(u"nomic-embed-text"_s);
        panel->dialog()->accept();
        QTRY_VERIFY(panel->confirmation() && panel->confirmation()->isVisible());
        QVERIFY(panel->confirmation()->informativeText().contains(u"background"_s));
        panel->confirmation()->button(QMessageBox::Yes)->click();
        QTRY_VERIFY(!panel->dialog());
        QTRY_COMPARE(storedModel(fixture, id), u"nomic-embed-text"_s);
    }

    /// Not a check: writes the panel with its vector status line, light and dark, to
    /// $RAGDESK_SCREENSHOT_DIR for a person to look at.
    void screenshots()
    {
        const QString dir = qEnvironmentVariable("RAGDESK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set RAGDESK_SCREENSHOT_DIR to write screenshots");
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QTemporaryDir files;
        QCOMPARE(writeNotes(files.filePath(u"notes"_s), 6, false).size(), 6);
        const qint64 id = createWithLibrary(fixture, u"Project notes"_s);
        QVERIFY(QCoro::waitFor(fixture.ingestion()->library()->addPaths(id, { files.filePath(u"notes"_s) })));
        // A panel of its own, to give it a backfill (the fixture's window has none) and so a Retry.
        EmbeddingBackfill backfill(EmbeddingBackfill::Parts {});
        KnowledgeBasePanel standalone(fixture.ingestion()->library(), fixture.ingestion()->chunks(), &backfill);
        KnowledgeBasePanel *panel = &standalone;
        panel->resize(900, 420);
        panel->show();
        QTRY_COMPARE(panel->currentKnowledgeBaseId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(panel->documentView()->banner()->text().startsWith(u"All 6 files indexed"_s), 30000);
        using State = VectorStatusLine::State;
        const struct {
            ThemeMode theme;
            State state;
            QString name;
        } shots[] = {
            { ThemeMode::Light, State { .model = u"nomic-embed-text"_s, .coverage = EmbeddingCoverage { 312, 900 }, .error = {}, .running = true, .available = true }, u"kb-vectors-light.png"_s },
            { ThemeMode::Dark, State { .model = u"nomic-embed-text"_s, .coverage = EmbeddingCoverage { 312, 900 }, .error = u"Could not reach the embedding server at http://localhost:11434 (connection refused)."_s, .running = false, .available = true }, u"kb-vectors-dark-error.png"_s },
            { ThemeMode::Light, State { .model = u"nomic-embed-text"_s, .coverage = EmbeddingCoverage { 900, 900 }, .error = {}, .running = false, .available = true }, u"kb-vectors-light-done.png"_s },
            { ThemeMode::Dark, State { .model = u"nomic-embed-text"_s, .coverage = EmbeddingCoverage { 312, 900 }, .error = {}, .running = true, .available = true }, u"kb-vectors-dark.png"_s },
        };
        for (const auto &shot : shots) {
            fixture.window()->setTheme(shot.theme);
            QVERIFY(panel->vectorStatus()->isVisible());
            panel->vectorStatus()->setState(shot.state);
            QCoreApplication::processEvents();
            QCOMPARE(panel->vectorStatus()->retryButton()->isVisible(), !shot.state.error.isEmpty());
            QVERIFY(panel->grab().save(QDir(dir).filePath(shot.name)));
        }
        panel->editKnowledgeBase();
        QTRY_VERIFY(panel->dialog() && panel->dialog()->isVisible());
        panel->dialog()->findChild<QLineEdit *>(u"kbEmbeddingModel"_s)->setText(u"nomic-embed-text"_s);
        QVERIFY(panel->dialog()->grab().save(QDir(dir).filePath(u"kb-dialog-dark.png"_s)));
        panel->dialog()->accept();
        QTRY_VERIFY(panel->confirmation() && panel->confirmation()->isVisible());
        QVERIFY(panel->confirmation()->grab().save(QDir(dir).filePath(u"kb-confirm-dark.png"_s)));
        panel->confirmation()->button(QMessageBox::Cancel)->click();
        panel->dialog()->reject();
        backfill.stop();
    }

    void closingTheTabKeepsThePanel()
    {
        UiFixture fixture(withKnowledgeBases());
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        KnowledgeBasePanel *panel = openPanel(fixture);
        QVERIFY(panel);
        QTabWidget *tabs = fixture.window()->tabs();
        const int count = tabs->count();
        fixture.window()->closeTab(tabs->indexOf(panel));
        QCOMPARE(tabs->count(), count - 1);
        QCOMPARE(tabs->indexOf(panel), -1);
        QCOMPARE(fixture.window()->openKnowledgeBases(), panel);
        QCOMPARE(tabs->currentWidget(), panel);
        QCOMPARE(tabs->count(), count);
    }

    void quittingMidIngestionIsQuick()
    {
        auto fixture = std::make_unique<UiFixture>(withKnowledgeBases());
        QVERIFY2(fixture->isValid(), qPrintable(fixture->errorText()));
        QTemporaryDir files;
        QCOMPARE(writeNotes(files.filePath(u"many"_s), 300, false).size(), 300);
        const qint64 id = createWithLibrary(*fixture, u"Many"_s);
        QVERIFY(fixture->window()->openKnowledgeBases());
        QSignalSpy finished(fixture->ingestion()->queue(), &IngestQueue::fileFinished);
        QVERIFY(QCoro::waitFor(fixture->ingestion()->library()->addPaths(id, { files.filePath(u"many"_s) })));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 3, 20000);
        QVERIFY2(finished.count() < 300, "ingestion finished before the quit could be measured");
        // What main() does on quit: shutdown(), then the window, the stack and the stores go.
        QElapsedTimer clock;
        clock.start();
        fixture.reset();
        const qint64 elapsed = clock.elapsed();
        qInfo("quit mid-ingestion (%lld of 300 files done) took %lld ms", qint64(finished.count()), elapsed);
        QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed)));
    }

    void withoutLibraryTheWindowStillWorks()
    {
        UiFixture fixture;
        QVERIFY2(fixture.isValid(), qPrintable(fixture.errorText()));
        QVERIFY(!fixture.window()->openKnowledgeBases());
        QVERIFY(!fixture.window()->knowledgeBasePanel());
    }
};

QTEST_MAIN(TestKnowledgeBasePanel)
#include "tst_knowledgebasepanel.moc"
