#include "core/ingest/extraction/ExtractorServeLoop.h"

#include "core/ingest/extraction/ExtractionProtocol.h"

#include <QIODevice>

#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <csignal>
#include <cstdio>
#include <new>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// Reads exactly @p size bytes, or fewer at end of input.
QByteArray readExactly(QIODevice &input, qint64 size)
{
    QByteArray bytes;
    while (bytes.size() < size) {
        const QByteArray piece = input.read(size - bytes.size());
        if (piece.isEmpty() && !input.waitForReadyRead(-1))
            break;
        bytes.append(piece);
    }
    return bytes;
}

void logLine(const QString &line)
{
    // stderr, never stdout: the app logs these lines; stdout carries frames only.
    std::fputs(qPrintable(u"ragdesk-extract: "_s + line + u'\n'), stderr);
    std::fflush(stderr);
}
} // namespace

ExtractorServeLoop::ExtractorServeLoop(ExtractFunction extract, QIODevice &input, QIODevice &output)
    : m_extract(std::move(extract))
    , m_input(input)
    , m_output(output)
{
}

int ExtractorServeLoop::run()
{
    for (;;) {
        const QByteArray header = readExactly(m_input, ExtractionProtocol::HeaderBytes);
        if (header.isEmpty())
            return 0; // the app closed our stdin: a clean end
        if (header.size() < ExtractionProtocol::HeaderBytes) {
            logLine(u"input ended inside a frame header"_s);
            return 2;
        }
        const quint32 length = ExtractionProtocol::payloadLength(header);
        if (length > ExtractionProtocol::MaxRequestBytes) {
            logLine(u"refusing a request frame of %1 bytes"_s.arg(length));
            return 2;
        }
        const QByteArray payload = readExactly(m_input, length);
        if (payload.size() < qsizetype(length)) {
            logLine(u"input ended inside a request"_s);
            return 2;
        }
        const Result<ExtractionRequest> request = ExtractionProtocol::decodeRequest(payload);
        if (!request) {
            logLine(request.error().detail);
            return 2;
        }
        if (!write(serve(*request)))
            return 2;
    }
}

QByteArray ExtractorServeLoop::serve(const ExtractionRequest &request)
{
    try {
        // Encoding is inside the try: it doubles the text for a moment, so it can hit the cap too.
        return ExtractionProtocol::encodeReply(ExtractionReply{m_extract(request.path, request.limits), request.id});
    } catch (const std::bad_alloc &) {
        // The parser's allocations were unwound with the exception, so there is room for this reply.
        logLine(u"out of memory reading %1"_s.arg(request.path));
        return ExtractionProtocol::encodeReply(ExtractionReply{
            fail(Error::Kind::Extraction,
                 u"Reading this file needed more than the extractor's memory cap of %1 MB; "
                 u"it may be huge or malformed. It is skipped until it changes."_s
                     .arg(request.limits.maxMemoryBytes >> 20),
                 u"std::bad_alloc in the extractor"_s),
            request.id});
    }
}

bool ExtractorServeLoop::write(const QByteArray &frame)
{
    qint64 written = 0;
    while (written < frame.size()) {
        const qint64 n = m_output.write(frame.constData() + written, frame.size() - written);
        if (n < 0) {
            logLine(u"cannot write the reply: %1"_s.arg(m_output.errorString()));
            return false;
        }
        written += n;
    }
    while (m_output.bytesToWrite() > 0) {
        if (!m_output.waitForBytesWritten(-1))
            break;
    }
    return true;
}

int ExtractorServeLoop::takeStdoutForFrames()
{
#ifdef __linux__
    // A helper stuck in a parser would otherwise outlive an app that crashed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    std::fflush(stdout);
    const int frames = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (frames < 0)
        return -1;
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        return -1;
    return frames;
}

} // namespace ragdesk
