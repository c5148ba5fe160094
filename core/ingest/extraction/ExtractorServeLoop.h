#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractedDocument.h"
#include "core/ingest/ExtractionLimits.h"

#include <QByteArray>

#include <functional>

class QIODevice;

namespace ragdesk {
struct ExtractionRequest;
} // namespace ragdesk

namespace ragdesk {

/// The extractor process's main loop: read a request frame, extract, write the reply frame,
/// repeat until the input ends. The parser is injected, so tests can script misbehaviour and
/// this loop never links a parser itself.
class ExtractorServeLoop
{
public:
    using ExtractFunction = std::function<Result<ExtractedDocument>(const QString &, const ExtractionLimits &)>;

    /// @p input and @p output must be open; blocking devices (stdin/stdout) are what it is made for.
    ExtractorServeLoop(ExtractFunction extract, QIODevice &input, QIODevice &output);

    /// Serves until @p input ends. Returns the process exit code: 0 on a clean end of input,
    /// 2 when the request stream is broken or the reply cannot be written.
    int run();

    /// Keeps stdout for frames only: returns a private duplicate of fd 1 for the replies and
    /// points fd 1 at stderr, so a parser's stray printf lands in the log, not in the stream.
    /// Also asks Linux to kill this process when the app dies mid-file. Returns -1 on failure.
    static int takeStdoutForFrames();

private:
    /// The reply frame for one request, with std::bad_alloc (the memory rlimit) turned into an error.
    QByteArray serve(const ExtractionRequest &request);
    bool write(const QByteArray &frame);

    ExtractFunction m_extract;
    QIODevice &m_input;
    QIODevice &m_output;
};

} // namespace ragdesk
