#include "app/cli/BenchChatCommand.h"

#include "app/cli/BenchChatRig.h"
#include "app/cli/Percentiles.h"
#include "core/chat/ChatSession.h"
#include "core/diagnostics/StallMonitor.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

QJsonObject toJson(const Percentiles &p)
{
    const auto round1 = [](double v) { return std::round(v * 10.0) / 10.0; };
    return {{u"p50"_s, round1(p.p50)}, {u"p95"_s, round1(p.p95)}, {u"max"_s, round1(p.max)}};
}

} // namespace

void BenchChatCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"sessions"_s, u"bench-chat: number of concurrent conversations."_s, u"N"_s, u"10"_s},
        {u"prompt"_s, u"bench-chat: the question every session asks."_s, u"TEXT"_s,
         u"Summarise the design of a responsive desktop app in a few paragraphs."_s},
        {u"timeout"_s, u"bench-chat: give up (and stop all sessions) after this many seconds."_s, u"S"_s, u"300"_s},
        {u"stall-resolution-ms"_s, u"bench-chat: tick of the UI-thread stall monitor."_s, u"MS"_s, u"1"_s},
    });
}

QCoro::Task<int> BenchChatCommand::run(CliContext context)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QCommandLineParser &parser = *context.parser;
    const int sessions = parser.value(u"sessions"_s).toInt();
    const QString prompt = parser.value(u"prompt"_s);
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt();
    if (sessions < 1 || sessions > 1000) {
        err << "bench-chat: --sessions must be between 1 and 1000\n";
        co_return 2;
    }
    if (!context.provider.baseUrl.isValid() || context.provider.model.isEmpty()) {
        err << "bench-chat: needs --base-url and --model\n";
        co_return 2;
    }

    // Without --profile the run gets a throwaway profile, so benchmarks never pollute a user's chats.
    QTemporaryDir scratch;
    const QString profileDir = context.profileDir.isEmpty() ? scratch.path() : context.profileDir;
    auto rig = co_await BenchChatRig::open(profileDir, context.provider, sessions, true);
    if (!rig) {
        err << "bench-chat: " << rig.error().message << '\n';
        co_return 1;
    }
    const ProviderSettings &settings = (*rig)->settings();

    StallMonitor monitor(std::chrono::milliseconds(std::max(1, parser.value(u"stall-resolution-ms"_s).toInt())));
    monitor.start();

    std::vector<std::unique_ptr<ChatSession>> chats;
    for (int i = 0; i < sessions; ++i)
        chats.push_back((*rig)->newSession());

    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, [&chats] {
        for (auto &chat : chats)
            chat->stop();
    });
    deadline.start(std::chrono::seconds(timeoutSeconds));

    err << "bench-chat: " << sessions << " sessions against " << settings.baseUrl.toDisplayString() << " (" << settings.model
        << "), profile " << profileDir << '\n';
    err.flush();

    QElapsedTimer wall;
    wall.start();
    monitor.reset();
    std::vector<QCoro::Task<Result<void>>> turns;
    turns.reserve(size_t(sessions));
    for (auto &chat : chats)
        turns.push_back(chat->runTurn(prompt));

    int completed = 0;
    QStringList errors;
    for (auto &turn : turns) {
        auto result = co_await std::move(turn);
        if (result)
            ++completed;
        else
            errors.append(result.error().message);
    }
    const double wallMs = double(wall.nsecsElapsed()) / 1e6;
    deadline.stop();
    const StallMonitor::Figures stalls = monitor.figures();
    monitor.stop();

    QList<double> ttft;
    QList<double> total;
    QList<double> rates;
    int totalTokens = 0;
    for (const auto &chat : chats) {
        const TurnMetrics metrics = chat->lastMetrics();
        if (metrics.ttftMs >= 0)
            ttft.append(metrics.ttftMs);
        if (metrics.totalMs >= 0)
            total.append(metrics.totalMs);
        if (metrics.tokensPerSecond > 0)
            rates.append(metrics.tokensPerSecond);
        totalTokens += std::max(0, metrics.completionTokens);
    }
    double meanRate = 0;
    for (double rate : std::as_const(rates))
        meanRate += rate / double(rates.size());

    const Percentiles ttftP = Percentiles::of(ttft);
    const Percentiles totalP = Percentiles::of(total);
    out << u"sessions %1  completed %2  failed %3  wall %4 ms\n"_s.arg(sessions).arg(completed).arg(sessions - completed).arg(wallMs, 0, 'f', 0);
    out << u"ttft ms     p50 %1  p95 %2  max %3\n"_s.arg(ttftP.p50, 0, 'f', 1).arg(ttftP.p95, 0, 'f', 1).arg(ttftP.max, 0, 'f', 1);
    out << u"total ms    p50 %1  p95 %2  max %3\n"_s.arg(totalP.p50, 0, 'f', 1).arg(totalP.p95, 0, 'f', 1).arg(totalP.max, 0, 'f', 1);
    out << u"ui stall ms p99 %1  max %2  (resolution %3 ms, %4 samples)\n"_s.arg(stalls.p99Ms, 0, 'f', 1)
               .arg(stalls.worstMs, 0, 'f', 1)
               .arg(parser.value(u"stall-resolution-ms"_s))
               .arg(stalls.samples);
    out << u"tokens/s    per session %1  aggregate %2\n"_s.arg(meanRate, 0, 'f', 1).arg(totalTokens / (wallMs / 1000.0), 0, 'f', 0);
    errors.removeDuplicates();
    for (const QString &error : std::as_const(errors))
        out << "error: " << error << '\n';

    if (context.json) {
        const QJsonObject json{
            {u"sessions"_s, sessions},
            {u"completed"_s, completed},
            {u"failed"_s, sessions - completed},
            {u"ttft_ms"_s, toJson(ttftP)},
            {u"total_ms"_s, toJson(totalP)},
            {u"stall_ms"_s, QJsonObject{{u"p99"_s, std::round(stalls.p99Ms * 10) / 10}, {u"max"_s, std::round(stalls.worstMs * 10) / 10}}},
            {u"tokens_per_s"_s, std::round(meanRate * 10) / 10},
            {u"aggregate_tokens_per_s"_s, std::round(totalTokens / (wallMs / 1000.0))},
            {u"wall_ms"_s, std::round(wallMs)},
        };
        out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    }
    out.flush();
    chats.clear();
    co_return completed == sessions ? 0 : 1;
}

} // namespace ragdesk::cli
