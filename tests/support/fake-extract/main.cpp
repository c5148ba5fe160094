// ragdesk-fake-extract: the real ExtractorServeLoop with a scripted "parser", so the pool's tests
// can make a helper misbehave on cue. The script is the file's content:
//   crash | segv | hang | alloc | big N | garbage | twice | exit | anything else (one paragraph of it).
#include "core/ingest/extraction/ExtractionProtocol.h"
#include "core/ingest/extraction/ExtractorServeLoop.h"
#include "core/ingest/extraction/MemoryLimit.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
Result<ExtractedDocument> paragraph(QString text)
{
    ExtractedDocument document;
    document.mimeType = u"text/plain"_s;
    document.blocks.append(TextBlock{TextBlock::Kind::Paragraph, 0, 0, std::move(text), {}});
    return document;
}

/// Allocates without touching the pages until the address-space cap says no. Stops at 64 GiB in
/// case no cap is in force, so a broken test cannot take the machine down.
Result<ExtractedDocument> allocateForever()
{
    std::vector<std::unique_ptr<char[]>> hoard;
    for (int i = 0; i < 4096; ++i)
        hoard.emplace_back(new char[16 << 20]);
    return fail(Error::Kind::Unknown, u"64 GiB allocated: no memory cap is in force"_s);
}

Result<ExtractedDocument> scripted(int framesFd, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::File, u"Cannot open %1"_s.arg(path), file.errorString());
    const QString script = QString::fromUtf8(file.readAll()).trimmed();
    if (script == u"crash")
        std::abort();
    if (script == u"segv")
        std::raise(SIGSEGV);
    if (script == u"hang") {
        for (;;)
            pause();
    }
    if (script == u"alloc")
        return allocateForever();
    if (script == u"exit")
        _exit(3);
    if (script == u"garbage") {
        // Bytes the app cannot take for a frame header it would accept (0xffffffff bytes long).
        const char junk[] = "\xff\xff\xff\xffnot a frame";
        (void)!write(framesFd, junk, sizeof junk - 1);
        return paragraph(script);
    }
    if (script == u"twice") {
        // A well-formed reply too many: the app must not take it for the next file's answer.
        const QByteArray extra = ExtractionProtocol::encodeReply({paragraph(u"stale"_s)});
        (void)!write(framesFd, extra.constData(), size_t(extra.size()));
        return paragraph(script);
    }
    if (script.startsWith(u"big ")) {
        const qsizetype megabytes = script.sliced(4).toLongLong();
        ExtractedDocument document;
        // 1 MB paragraphs: a realistic block size, and many blocks exercise the decoder's loop.
        for (qsizetype i = 0; i < megabytes; ++i)
            document.blocks.append(TextBlock{TextBlock::Kind::Paragraph, 0, 0, QString(1 << 20, QChar(char16_t(u'a' + i % 26))), {}});
        return document;
    }
    return paragraph(script);
}
} // namespace

int main(int argc, char **argv)
{
    const int framesFd = ExtractorServeLoop::takeStdoutForFrames();
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption maxMemory(u"max-memory"_s, u"Address-space cap in bytes."_s, u"bytes"_s, u"0"_s);
    parser.addOption(maxMemory);
    parser.process(app);
    if (const Result<void> capped = MemoryLimit::apply(parser.value(maxMemory).toLongLong()); !capped) {
        std::fputs(qPrintable(capped.error().message + u'\n'), stderr);
        return 2;
    }
    std::fputs("fake extractor ready\n", stderr); // proves the app logs helper stderr

    QFile input;
    QFile output;
    if (framesFd < 0 || !input.open(STDIN_FILENO, QIODevice::ReadOnly | QIODevice::Unbuffered)
        || !output.open(framesFd, QIODevice::WriteOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle))
        return 2;
    ExtractorServeLoop loop([framesFd](const QString &path, const ExtractionLimits &) { return scripted(framesFd, path); },
                            input, output);
    return loop.run();
}
