// ragdesk-extract: reads extraction requests on stdin and answers on stdout, one file at a time,
// until the app closes stdin. See core/ingest/extraction/ExtractionProtocol.h for the wire format.
#include "core/ingest/extraction/ExtractorServeLoop.h"
#include "core/ingest/extraction/MemoryLimit.h"
#include "core/ingest/extractors/DocumentExtractor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <unistd.h>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace ragdesk;

int main(int argc, char **argv)
{
    // Before anything can print: from here on stdout carries frames only.
    const int framesFd = ExtractorServeLoop::takeStdoutForFrames();
    if (framesFd < 0) {
        std::fputs("ragdesk-extract: cannot set up the reply channel\n", stderr);
        return 2;
    }

    // Poppler and KSyntaxHighlighting expect an application object; no event loop runs.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ragdesk-extract"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"ragdesk's document extractor. It is started by ragdesk, not by people."_s);
    parser.addHelpOption();
    const QCommandLineOption maxMemory(u"max-memory"_s, u"Address-space cap in bytes (0: none)."_s, u"bytes"_s,
                                       u"0"_s);
    parser.addOption(maxMemory);
    parser.process(app);

    bool numeric = false;
    const qint64 memoryBytes = parser.value(maxMemory).toLongLong(&numeric);
    if (!numeric || memoryBytes < 0) {
        std::fputs("ragdesk-extract: --max-memory needs a number of bytes\n", stderr);
        return 2;
    }
    if (const Result<void> capped = MemoryLimit::apply(memoryBytes); !capped) {
        // Running uncapped would break the promise the app makes about this process.
        std::fputs(qPrintable(capped.error().message + u' ' + capped.error().detail + u'\n'), stderr);
        return 2;
    }

    QFile input;
    QFile output;
    if (!input.open(STDIN_FILENO, QIODevice::ReadOnly | QIODevice::Unbuffered)
        || !output.open(framesFd, QIODevice::WriteOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle)) {
        std::fputs("ragdesk-extract: cannot open stdin or stdout\n", stderr);
        return 2;
    }
    ExtractorServeLoop loop(&DocumentExtractor::extract, input, output);
    return loop.run();
}
