// ragdesk-fake-llm: the in-process FakeLlmServer as a program, for `./dev run --demo`, the
// benchmarks (chat, embeddings, rerank) and manual testing with curl (OpenAI, Ollama and Anthropic routes). Prints one line with its URL, then serves until killed.

#include "tests/support/FakeLlmServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QHostInfo>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using ragdesk::testing::FakeLlmServer;

namespace {

#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

// Only async-signal-safe work here: the event loop picks the byte up and quits normally, so
// destructors run and sanitizer builds report leaks instead of dying mid-request.
void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[0], &byte, 1);
}

void quitOnTerminationSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return; // default termination still works
    auto *notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}
#endif

QHostAddress resolveHost(const QString &host)
{
    if (host == u"localhost")
        return QHostAddress(QHostAddress::LocalHost);
    QHostAddress address(host);
    if (address.isNull()) {
        const QList<QHostAddress> found = QHostInfo::fromName(host).addresses();
        if (!found.isEmpty())
            address = found.front();
    }
    return address;
}

[[noreturn]] void fail(QCommandLineParser &parser, const QString &message)
{
    std::fprintf(stderr, "ragdesk-fake-llm: %s\n\n%s", qPrintable(message), qPrintable(parser.helpText()));
    std::exit(2);
}

int intValue(QCommandLineParser &parser, const QCommandLineOption &option, int minimum)
{
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < minimum)
        fail(parser, u"--%1 needs a whole number >= %2"_s.arg(option.names().constFirst()).arg(minimum));
    return value;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ragdesk-fake-llm"_s);

    const FakeLlmServer::Options defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Fake LLM server (OpenAI-compatible, Ollama and Anthropic chat APIs) for ragdesk tests and demos."_s);
    parser.addHelpOption();

    const QCommandLineOption host(u"host"_s, u"Address to listen on (default 127.0.0.1)."_s, u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption port(u"port"_s, u"Port to listen on; 0 (the default) picks a free one."_s, u"port"_s, u"0"_s);
    const QCommandLineOption portFile(u"port-file"_s, u"Also write the base URL to this file."_s, u"path"_s);
    const QCommandLineOption ttft(u"ttft-ms"_s, u"Delay before the first token, in ms (default %1)."_s.arg(defaults.ttft.count()), u"ms"_s,
                                  QString::number(defaults.ttft.count()));
    const QCommandLineOption rate(u"tokens-per-s"_s, u"Streaming speed; 0 sends all tokens at once (default %1)."_s.arg(defaults.tokensPerSecond), u"n"_s,
                                  QString::number(defaults.tokensPerSecond));
    const QCommandLineOption tokens(u"tokens"_s, u"Answer length in tokens (default %1)."_s.arg(defaults.tokens), u"n"_s,
                                    QString::number(defaults.tokens));
    const QCommandLineOption model(u"model"_s, u"Model id (default %1); repeat to list more models."_s.arg(defaults.model), u"id"_s);
    const QCommandLineOption failure(u"fail"_s, u"Chat failure mode: none|401|404|429|500|503|context|cut|stall|stream-error|drip|slow."_s,
                                     u"mode"_s, u"none"_s);
    const QCommandLineOption failureCount(u"fail-count"_s, u"How many chat requests --fail hits; -1 (default) all."_s, u"n"_s, u"-1"_s);
    const QCommandLineOption retryAfter(u"retry-after"_s, u"Retry-After seconds of the 429 and 503 answers (default %1)."_s.arg(defaults.retryAfterSeconds), u"s"_s,
                                        QString::number(defaults.retryAfterSeconds));
    const QCommandLineOption retryAfterDate(u"retry-after-date"_s, u"Send Retry-After as an HTTP date instead of seconds."_s);
    const QCommandLineOption drip(u"drip-ms"_s, u"Keep-alive interval of --fail drip, in ms (default %1)."_s.arg(defaults.dripInterval.count()), u"ms"_s,
                                  QString::number(defaults.dripInterval.count()));
    const QCommandLineOption tls(u"tls"_s, u"Serve HTTPS with the test-only certificate of tests/support/tls."_s);
    const QCommandLineOption redirectTo(u"redirect-to"_s, u"Answer every chat and models route with 307 to URL + the same path."_s, u"url"_s);
    const QCommandLineOption crlf(u"crlf"_s, u"CRLF line endings in the event stream."_s);
    const QCommandLineOption noSpace(u"no-space"_s, u"Write \"data:{...}\" without the space."_s);
    const QCommandLineOption comments(u"comments"_s, u"Send \": ping\" comment lines between events."_s);
    const QCommandLineOption glued(u"glued"_s, u"Two data lines per event, no blank line between."_s);
    const QCommandLineOption reasoning(u"reasoning"_s, u"Stream reasoning (reasoning_content; Ollama and Anthropic thinking) before the answer."_s);
    const QCommandLineOption usage(u"usage"_s, u"End with a usage chunk (\"choices\":[])."_s);
    const QCommandLineOption splitWrites(u"split-writes"_s, u"Send each event in tiny writes, splitting UTF-8."_s);
    const QCommandLineOption reply(u"reply"_s, u"Exact answer text, streamed word by word."_s, u"text"_s);
    const QCommandLineOption quoteSources(u"quote-sources"_s, u"Answer by quoting the request's best-matching numbered source, with its [n] marker."_s);
    const QCommandLineOption quoteNoMarker(u"quote-sources-unmarked"_s, u"Like --quote-sources, but without the [n] marker."_s);
    const QCommandLineOption refineReply(u"refine-reply"_s, u"Answer question-refinement requests (\"standalone search query\") with this text."_s, u"text"_s);
    const QCommandLineOption titleReply(u"title-reply"_s, u"Answer conversation-title requests (\"name conversations\") with this text."_s, u"text"_s);
    const QCommandLineOption verbose(u"verbose"_s, u"Log each request to stderr."_s);
    const QCommandLineOption dimensions(u"dimensions"_s, u"Embedding size when a request does not ask for one (default %1)."_s.arg(defaults.embeddingDimensions),
                                        u"n"_s, QString::number(defaults.embeddingDimensions));
    const QCommandLineOption vectorDelay(u"vector-delay-ms"_s, u"Delay before each embedding or rerank answer, in ms (default 0)."_s, u"ms"_s, u"0"_s);
    const QCommandLineOption vectorFailure(u"vector-fail"_s, u"Embedding/rerank failure: none|503|429|malformed|wrong-count|non-numeric|mixed-dims|cut."_s,
                                           u"mode"_s, u"none"_s);
    const QCommandLineOption vectorFailureCount(u"vector-fail-count"_s, u"How many embedding/rerank requests fail; -1 (default) all."_s, u"n"_s, u"-1"_s);
    const QCommandLineOption vectorModel(u"vector-model"_s, u"Accept only this embedding/rerank model (404 otherwise); repeatable."_s, u"id"_s);
    const QCommandLineOption apiKey(u"api-key"_s, u"Answer 401 unless \"Authorization: Bearer KEY\" (Anthropic routes: \"x-api-key: KEY\") is sent."_s, u"key"_s);
    parser.addOptions({host, port, portFile, ttft, rate, tokens, model, failure, failureCount, retryAfter, retryAfterDate,
                       drip, tls, redirectTo, crlf, noSpace, comments, glued, reasoning, usage, splitWrites, reply, quoteSources,
                       quoteNoMarker, refineReply, titleReply, verbose,
                       dimensions, vectorDelay, vectorFailure, vectorFailureCount, vectorModel, apiKey});
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        fail(parser, u"unexpected argument: %1"_s.arg(parser.positionalArguments().constFirst()));

    FakeLlmServer::Options options;
    options.ttft = std::chrono::milliseconds(intValue(parser, ttft, 0));
    options.tokensPerSecond = intValue(parser, rate, 0);
    options.tokens = intValue(parser, tokens, 1);
    options.retryAfterSeconds = intValue(parser, retryAfter, 0);
    if (const QStringList models = parser.values(model); !models.isEmpty()) {
        options.model = models.front();
        options.extraModels = models.mid(1);
    }
    const std::optional<FakeLlmServer::Failure> mode = FakeLlmServer::Options::failureFromName(parser.value(failure));
    if (!mode)
        fail(parser, u"unknown --fail mode: %1"_s.arg(parser.value(failure)));
    options.failure = *mode;
    options.failureCount = intValue(parser, failureCount, -1);
    options.retryAfterHttpDate = parser.isSet(retryAfterDate);
    options.dripInterval = std::chrono::milliseconds(intValue(parser, drip, 1));
    if (parser.isSet(redirectTo)) {
        options.redirectTo = QUrl(parser.value(redirectTo), QUrl::StrictMode);
        if (!options.redirectTo.isValid() || options.redirectTo.scheme().isEmpty())
            fail(parser, u"--redirect-to needs an absolute URL"_s);
    }
    options.crlf = parser.isSet(crlf);
    options.noSpaceAfterData = parser.isSet(noSpace);
    options.comments = parser.isSet(comments);
    options.gluedFrames = parser.isSet(glued);
    options.reasoning = parser.isSet(reasoning);
    options.usageChunk = parser.isSet(usage);
    options.splitWrites = parser.isSet(splitWrites);
    options.reply = parser.value(reply);
    if (parser.isSet(quoteSources))
        options.quoteSources = FakeLlmServer::Options::QuoteSources::WithMarker;
    if (parser.isSet(quoteNoMarker))
        options.quoteSources = FakeLlmServer::Options::QuoteSources::WithoutMarker;
    options.refineReply = parser.value(refineReply);
    options.titleReply = parser.value(titleReply);
    options.embeddingDimensions = intValue(parser, dimensions, 1);
    options.vectorDelay = std::chrono::milliseconds(intValue(parser, vectorDelay, 0));
    const std::optional<FakeLlmServer::Options::VectorFailure> vectorMode =
        FakeLlmServer::Options::vectorFailureFromName(parser.value(vectorFailure));
    if (!vectorMode)
        fail(parser, u"unknown --vector-fail mode: %1"_s.arg(parser.value(vectorFailure)));
    options.vectorFailure = *vectorMode;
    options.vectorFailureCount = intValue(parser, vectorFailureCount, -1);
    options.vectorModels = parser.values(vectorModel);
    options.requiredApiKey = parser.value(apiKey);

    const QHostAddress address = resolveHost(parser.value(host));
    if (address.isNull())
        fail(parser, u"cannot resolve --host %1"_s.arg(parser.value(host)));
    const int portNumber = intValue(parser, port, 0);
    if (portNumber > 65535)
        fail(parser, u"--port must be at most 65535"_s);

    FakeLlmServer server(options);
    const bool listening = parser.isSet(tls) ? server.listenTls(address, static_cast<quint16>(portNumber))
                                             : server.listen(address, static_cast<quint16>(portNumber));
    if (!listening) {
        std::fprintf(stderr, "ragdesk-fake-llm: cannot listen on %s:%d: %s\n", qPrintable(address.toString()),
                     portNumber, qPrintable(server.errorString()));
        return 1;
    }
    if (parser.isSet(verbose)) {
        QObject::connect(&server, &FakeLlmServer::requestReceived, &server,
                         [](const QByteArray &method, const QByteArray &path) {
                             std::fprintf(stderr, "ragdesk-fake-llm: %s %s\n", method.constData(), path.constData());
                         });
    }

    const QByteArray url = server.baseUrl().toEncoded();
    if (parser.isSet(portFile)) {
        // Write then rename, so a script polling for the file never reads it half-written.
        const QString path = parser.value(portFile);
        const QByteArray line = url + '\n';
        QFile file(path + u".tmp"_s);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(line) != line.size() || !file.flush()) {
            std::fprintf(stderr, "ragdesk-fake-llm: cannot write %s\n", qPrintable(path));
            return 1;
        }
        file.close();
        QFile::remove(path);
        if (!QFile::rename(file.fileName(), path)) {
            std::fprintf(stderr, "ragdesk-fake-llm: cannot write %s\n", qPrintable(path));
            return 1;
        }
    }

    // Scripts wait for exactly this line, so it is flushed at once even when stdout is a pipe.
    std::fprintf(stdout, "ragdesk-fake-llm listening on %s\n", url.constData());
    std::fflush(stdout);

#ifdef Q_OS_UNIX
    quitOnTerminationSignals(app);
#endif
    return QCoreApplication::exec();
}
