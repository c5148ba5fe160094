// The search tab's UI-stall benchmark (docs/BENCHMARKS.md): a real SearchTab over a real
// retriever on a knowledge base built by `ragdesk-cli bench-retrieval`, while keystrokes arrive
// every 80 to 260 ms for 20 s (typing, then deleting, query after query). Every keystroke restarts the
// debounce; every pause long enough starts a hybrid search, which the next keystroke cancels.
// Prints the StallMonitor's figures: the worst time the event loop was stuck.
//
// Usage (inside the dev root, release build, fake server for the query embeddings):
//   ragdesk-bench-search-typing PROFILE_DIR BASE_URL [SECONDS]
// With SECONDS 0 it types nothing: it searches QUERY once, opens the inspector and saves the tab
// to OUT.png, for the README's screenshot of real data:
//   ragdesk-bench-search-typing PROFILE_DIR BASE_URL 0 QUERY OUT.png

#include "app/cli/SyntheticChunks.h"
#include "core/diagnostics/StallMonitor.h"
#include "core/ingest/IngestionStack.h"
#include "core/ingest/KnowledgeBaseLibrary.h"
#include "core/retrieval/RetrievalStack.h"
#include "core/storage/ChunkStore.h"
#include "core/storage/ProfileDatabase.h"
#include "ui/SearchTab.h"

#include <QApplication>
#include <QCoroTask>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QTest>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace ragdesk;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3) {
        QTextStream(stderr) << "usage: ragdesk-bench-search-typing PROFILE_DIR BASE_URL [SECONDS]\n";
        return 2;
    }
    const QString profileDir = args.at(1);
    const QUrl baseUrl(args.at(2));
    const int seconds = args.size() > 3 ? args.at(3).toInt() : 20;

    auto profile = QCoro::waitFor(ProfileDatabase::open(profileDir));
    if (!profile) {
        QTextStream(stderr) << profile.error().message << '\n';
        return 1;
    }
    IngestionStack::Options ingestOptions;
    ingestOptions.watchFolders = false;
    auto ingestion = QCoro::waitFor(IngestionStack::open(*profile, profileDir, ingestOptions));
    if (!ingestion) {
        QTextStream(stderr) << ingestion.error().message << '\n';
        return 1;
    }
    QNetworkAccessManager network;
    RetrievalStack::Options options;
    options.network = &network;
    options.backfill = false;
    options.embeddingSettings = [baseUrl](const QString &model) {
        EmbeddingSettings settings;
        settings.baseUrl = baseUrl;
        settings.model = model;
        settings.dimensions = cli::SyntheticChunks::dimensions;
        return settings;
    };
    RetrievalStack retrieval(**ingestion, options);
    HybridRetriever *retriever = retrieval.retriever();

    // Load the vectors before measuring: the first search of a session pays that once.
    auto warm = QCoro::waitFor(retriever->search(u"warm up"_s, RetrievalOptions{}));
    if (!warm) {
        QTextStream(stderr) << warm.error().message << '\n';
        return 1;
    }

    int searches = 0;
    SearchTab::Services services;
    services.search = [retriever, &searches](QString query, RetrievalOptions searchOptions, CancelToken cancel) {
        ++searches;
        return retriever->search(std::move(query), std::move(searchOptions), std::move(cancel));
    };
    services.library = (*ingestion)->library();
    auto chunks = (*ingestion)->chunks();
    services.documentText = [chunks](qint64 id) { return chunks->documentText(id); };
    SearchTab tab(services);
    tab.resize(1200, 800);
    tab.show();
    QTest::qWait(300);

    if (seconds == 0 && args.size() > 5) {
        QTest::keyClicks(tab.queryEdit(), args.at(4));
        QTest::qWait(1500);
        QTest::keyClick(&tab, Qt::Key_I, Qt::ControlModifier);
        QTest::qWait(300);
        const bool saved = tab.grab().save(args.at(5));
        QTextStream(stdout) << (saved ? "saved " : "could not save ") << args.at(5) << '\n';
        (*ingestion)->shutdown();
        return saved ? 0 : 1;
    }

    const cli::SyntheticChunks corpus;
    QStringList queries;
    for (int i = 0; i < 50; ++i)
        queries.append(corpus.query((i * 53) % cli::SyntheticChunks::topics, quint64(i), 2 + i % 3));

    StallMonitor monitor;
    monitor.start();
    QTest::qWait(200);
    monitor.reset();

    // Type a query a key at a time, pause 400 ms (a search runs), delete half of it, go on.
    QLineEdit *edit = tab.queryEdit();
    QString script;
    for (const QString &query : std::as_const(queries))
        script += query + u'\x01' + QString(query.size() / 2, u'\x08') + u'\x01';
    qsizetype position = 0;
    int keystrokes = 0;
    QElapsedTimer clock;
    clock.start();
    QTimer typist;
    typist.setInterval(80);
    QObject::connect(&typist, &QTimer::timeout, [&] {
        if (position >= script.size())
            position = 0;
        const QChar c = script.at(position++);
        if (c == u'\x01') {
            typist.setInterval(400); // a pause: long enough for the debounce to fire
            return;
        }
        // Uneven typing: some gaps outlast the debounce, so searches start mid-word and the next
        // keystroke cancels them, the hardest case for a tab that must stay responsive.
        static constexpr int gaps[] = {80, 120, 200, 260, 90, 190};
        typist.setInterval(gaps[keystrokes % 6]);
        if (c == u'\x08')
            QTest::keyClick(edit, Qt::Key_Backspace);
        else
            QTest::keyClick(edit, c.toLatin1());
        ++keystrokes;
    });
    typist.start();
    QTest::qWait(seconds * 1000);
    typist.stop();
    QTest::qWait(500);

    const StallMonitor::Figures figures = monitor.figures();
    QTextStream(stdout) << u"search typing: %1 s, %2 keystrokes, %3 searches started; UI stall worst %4 ms, "
                           "p99 %5 ms, p50 %6 ms (%7 samples)\n"_s.arg(clock.elapsed() / 1000)
                               .arg(keystrokes)
                               .arg(searches)
                               .arg(figures.worstMs, 0, 'f', 1)
                               .arg(figures.p99Ms, 0, 'f', 1)
                               .arg(figures.p50Ms, 0, 'f', 1)
                               .arg(figures.samples);
    (*ingestion)->shutdown();
    return 0;
}
