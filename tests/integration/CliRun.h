#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStringList>

#include <chrono>

namespace ragdesk::testing {

/// One run of a shipped command-line program, as the end-to-end tests start it: what it printed
/// and how it ended.
struct CliRun {
    int code = 0;      ///< the exit code; -1: it did not start, -2: it timed out and was killed, -3: it crashed
    QByteArray output; ///< stdout
    QByteArray errors; ///< stderr

    /// stdout then stderr, for failure messages.
    [[nodiscard]] QByteArray printed() const { return output + errors; }

    /// The object on the last line of stdout, where --json puts its result.
    [[nodiscard]] QJsonObject lastLineJson() const
    {
        return QJsonDocument::fromJson(output.trimmed().split('\n').last()).object();
    }

    /// Runs @p program to its end. QSignalSpy::wait turns this process's event loop meanwhile, so
    /// a fake server living in the test keeps answering the child.
    static CliRun run(const QString &program, const QStringList &arguments,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60))
    {
        QProcess process;
        process.start(program, arguments);
        if (!process.waitForStarted(10000))
            return {-1, {}, process.errorString().toUtf8()};
        QSignalSpy finished(&process, &QProcess::finished);
        if (!finished.wait(timeout)) {
            process.kill();
            process.waitForFinished(5000);
            return {-2, process.readAllStandardOutput(), "timed out"};
        }
        const int code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -3;
        return {code, process.readAllStandardOutput(), process.readAllStandardError()};
    }
};

} // namespace ragdesk::testing
