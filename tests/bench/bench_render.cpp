// MessageView's streaming cost: a long answer (1 MB by default, 200 fenced code blocks in
// several languages between paragraphs, lists and citations) streamed into a visible view at a
// token rate, ~4 characters a token. A 2 ms ticker measures how long the event loop was stuck
// between two of its ticks: a frame's document edit, the layout and the repaint all happen in
// such a stall (target ≤ 16 ms each). Also prints the time from the last token to the fully
// rendered, painted final answer (target ≤ 100 ms).
//
// Usage (offscreen or under xvfb-run, release build for real figures):
//   ragdesk-bench-render [--rate TOKENS_PER_S] [--fast] [--prefill FRACTION] [--size BYTES] [--blocks N]
// At 250 tokens/s a megabyte takes ~17 minutes. --fast streams at 20000 tokens/s (each frame
// then carries ~80 times more text than at 250); --prefill 0.95 renders the first 95 % at once
// and streams the rest at the given rate: the steady state at the end of a huge answer, quickly.

#include "core/storage/ConversationTypes.h"
#include "ui/MessageView.h"

#include <KSyntaxHighlighting/Repository>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

QString codeBlock(int index, qsizetype size)
{
    static const QStringList languages
        = { u"python"_s, u"cpp"_s, u"rust"_s, u"javascript"_s, u"bash"_s, u"sql"_s, u"json"_s, u"go"_s };
    static const QStringList lines = {
        u"def handle_%1(items, limit=10):\n    return [x for x in items if x.score > limit]  # keep the best\n"_s,
        u"int compute_%1(const std::vector<int> &v) { return std::accumulate(v.begin(), v.end(), 0); }\n"_s,
        u"fn parse_%1(input: &str) -> Result<Vec<u32>, String> { input.split(',').map(|s| s.parse()).collect() }\n"_s,
        u"const value%1 = items.filter((x) => x.ok).map((x) => `${x.name}: ${x.count}`);\n"_s,
        u"for f in ./data/*.txt; do grep -c \"needle %1\" \"$f\"; done | sort -n\n"_s,
        u"SELECT id, title FROM documents WHERE kb_id = %1 AND deleted = 0 ORDER BY updated_at DESC;\n"_s,
        u"{ \"id\": %1, \"name\": \"item\", \"tags\": [\"a\", \"b\"], \"score\": 0.75 },\n"_s,
        u"func handle%1(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, \"ok %d\", 1) }\n"_s,
    };
    const int language = index % int(languages.size());
    QString code = u"```"_s + languages.at(language) + u'\n';
    for (int line = 0; code.size() < size; ++line)
        code += lines.at(language).arg(line);
    return code + u"```\n\n"_s;
}

QString prose(int index, qsizetype size)
{
    QString text = u"### Step %1\n\n"_s.arg(index);
    for (int sentence = 0; text.size() < size; ++sentence) {
        text += u"The retriever ranks passage %1 above the others because its *terms* match the question [%2]. "_s
                    .arg(sentence)
                    .arg(sentence % 5 + 1);
        if (sentence % 6 == 5)
            text += u"\n\n- a point with `inline code`\n- another point [2, 3]\n\n"_s;
    }
    return text + u"\n\n"_s;
}

QString longAnswer(qsizetype bytes, int blocks)
{
    const qsizetype share = bytes / (2 * blocks);
    QString answer;
    for (int i = 0; i < blocks; ++i)
        answer += prose(i, share) + codeBlock(i, share);
    return answer;
}

double percentile(const QList<double> &sorted, double p)
{
    if (sorted.isEmpty())
        return 0;
    return sorted.at(qMin(sorted.size() - 1, qsizetype(p * double(sorted.size()))));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption rateOption(u"rate"_s, u"Tokens per second (about 4 characters each)."_s, u"N"_s, u"250"_s);
    QCommandLineOption fastOption(u"fast"_s, u"Stream at 20000 tokens per second."_s);
    QCommandLineOption sizeOption(u"size"_s, u"Answer size in bytes."_s, u"BYTES"_s, u"1048576"_s);
    QCommandLineOption blocksOption(u"blocks"_s, u"Code blocks in the answer."_s, u"N"_s, u"200"_s);
    QCommandLineOption prefillOption(
        u"prefill"_s, u"Share of the answer present before streaming starts (0..1)."_s, u"FRACTION"_s, u"0"_s);
    parser.addOptions({ rateOption, fastOption, sizeOption, blocksOption, prefillOption });
    parser.process(app);
    const double rate = parser.isSet(fastOption) ? 20000.0 : parser.value(rateOption).toDouble();
    const QString answer = longAnswer(parser.value(sizeOption).toLongLong(), parser.value(blocksOption).toInt());

    // The app's one Repository, owned here as MainWindow would own it.
    KSyntaxHighlighting::Repository repository;
    QList<MessageRecord> messages(2);
    messages[0].role = u"user"_s;
    messages[0].content = u"Explain the whole pipeline with code."_s;
    messages[1].role = u"assistant"_s;
    messages[1].status = MessageStatus::Streaming;
    for (int n = 1; n <= 5; ++n) {
        CitationSnapshot source;
        source.number = n;
        source.documentTitle = u"Document %1"_s.arg(n);
        source.chunkText = u"Passage text of source %1."_s.arg(n);
        messages[1].sources.append(source);
    }

    MessageView view(&repository);
    view.resize(1000, 800);
    const qsizetype prefill = qsizetype(double(answer.size()) * qBound(0.0, parser.value(prefillOption).toDouble(), 1.0));
    messages[1].content = answer.left(prefill);
    view.setMessages(&messages);
    view.show();
    QCoreApplication::processEvents();

    // Stalls: the gaps between ticks of a 2 ms timer, less the 2 ms.
    QList<double> stalls;
    QElapsedTimer tickClock;
    QTimer ticker;
    ticker.setInterval(2);
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &view, [&] {
        stalls.append(qMax(0.0, double(tickClock.nsecsElapsed()) / 1e6 - 2.0));
        tickClock.start();
    });
    QElapsedTimer streamClock;
    QElapsedTimer lastToken;
    qint64 maxFrameEditUs = 0;
    int frames = 0;
    int lastPasses = view.renderPassCount();
    QTimer producer;
    producer.setInterval(5);
    producer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&producer, &QTimer::timeout, &view, [&] {
        if (view.renderPassCount() != lastPasses) {
            lastPasses = view.renderPassCount();
            ++frames;
            maxFrameEditUs = qMax(maxFrameEditUs, view.lastFrameWork().microseconds);
        }
        const qsizetype due
            = qMin(answer.size(), prefill + qsizetype(double(streamClock.elapsed()) * rate * 4 / 1000.0));
        if (due <= messages[1].content.size())
            return;
        messages[1].content = answer.left(due);
        view.messageChanged(1);
        if (due == answer.size()) {
            producer.stop();
            lastToken.start();
            messages[1].status = MessageStatus::Done;
            view.messageChanged(1);
            QCoreApplication::exit(0);
        }
    });
    streamClock.start();
    tickClock.start();
    ticker.start();
    producer.start();
    app.exec();

    // Until the view has rendered what it was told about, and painted it.
    const auto renderedAndPainted = [&view] {
        while (view.hasPendingText())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        view.viewport()->repaint();
    };
    // The final frame: the last token's text, the tail made stable, the footer; then a paint.
    renderedAndPainted();
    const double finalMs = double(lastToken.nsecsElapsed()) / 1e6;
    const double finalEditMs = double(view.lastFrameWork().microseconds) / 1000.0;

    // The whole finished answer rendered from scratch (opening a stored conversation, switching
    // the theme): spread over frames, so its stalls are measured apart from the stream's.
    const QList<double> streamStalls = stalls;
    stalls.clear();
    QElapsedTimer fullClock;
    fullClock.start();
    tickClock.start();
    view.resync();
    const int passesBeforeReopen = view.renderPassCount();
    qint64 worstReopenEditUs = 0;
    qint64 firstReopenEditUs = -1;
    while (view.hasPendingText()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        if (firstReopenEditUs < 0 && view.renderPassCount() > passesBeforeReopen)
            firstReopenEditUs = view.lastFrameWork().microseconds; // it also clears the old document
        worstReopenEditUs = qMax(worstReopenEditUs, view.lastFrameWork().microseconds);
    }
    view.viewport()->repaint();
    const double fullMs = double(fullClock.nsecsElapsed()) / 1e6;
    const int reopenFrames = view.renderPassCount() - passesBeforeReopen;
    ticker.stop();
    const QList<double> reopenStalls = stalls;
    const double reopenWorst = reopenStalls.isEmpty() ? 0.0 : *std::ranges::max_element(reopenStalls);
    const auto reopenOver = std::ranges::count_if(reopenStalls, [](double ms) { return ms > 16.0; });

    QList<double> sorted = streamStalls;
    std::ranges::sort(sorted);
    const auto over = std::ranges::count_if(sorted, [](double ms) { return ms > 16.0; });
    QTextStream out(stdout);
    out << "answer: " << answer.size() << " chars, " << parser.value(blocksOption) << " code blocks, "
        << prefill << " prefilled, " << rate << " tok/s, streamed in " << double(streamClock.elapsed()) / 1000.0
        << " s\n";
    out << "frames: " << frames << " (" << double(frames) * 1000.0 / double(qMax<qint64>(1, streamClock.elapsed()))
        << "/s)\n";
    out << "event-loop stalls (frame + layout + paint) ms: p50 " << percentile(sorted, 0.5) << "  p95 "
        << percentile(sorted, 0.95) << "  p99 " << percentile(sorted, 0.99) << "  max "
        << (sorted.isEmpty() ? 0.0 : sorted.last()) << "  over 16 ms: " << over << '\n';
    out << "worst document edit of a frame: " << double(maxFrameEditUs) / 1000.0 << " ms\n";
    out << "last token to final render painted: " << finalMs << " ms (its document edit " << finalEditMs
        << " ms)\n";
    out << "whole answer rendered from scratch: " << fullMs << " ms, worst event-loop stall " << reopenWorst
        << " ms, over 16 ms: " << reopenOver << ", " << reopenFrames << " frames, worst frame edit "
        << double(worstReopenEditUs) / 1000.0 << " ms (the first: " << double(firstReopenEditUs) / 1000.0 << " ms)\n";
    return 0;
}
