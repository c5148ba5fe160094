#include "ui/ProviderProbe.h"

#include "core/foundation/Detach.h"
#include "core/llm/ChatProvider.h"
#include "core/llm/ChatProviderFactory.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// Enough of the answer to recognise it; the rest is not worth waiting (or paying) for.
constexpr qsizetype kShownChars = 60;
} // namespace

ProviderProbe::ProviderProbe(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
}

ProviderProbe::~ProviderProbe()
{
    // Both coroutines resume on a later turn of the event loop (QCoro queues the wake-up), see
    // the stale generation and exit; by then the network manager may be gone too, which the
    // provider's coroutines check for.
    ++m_fetchGeneration;
    ++m_testGeneration;
    m_fetchCancel.cancel();
    m_testCancel.cancel();
}

QString ProviderProbe::testPrompt()
{
    return u"Reply with the word ready."_s;
}

void ProviderProbe::fetchModels(const ProviderSettings &settings)
{
    m_fetchCancel.cancel();
    m_fetchCancel = CancelToken();
    m_fetching = true;
    detach(runFetch(settings, m_fetchCancel, ++m_fetchGeneration), "ProviderProbe::runFetch");
}

void ProviderProbe::test(const ProviderSettings &settings)
{
    m_testCancel.cancel();
    m_testCancel = CancelToken();
    m_testing = true;
    detach(runTest(settings, m_testCancel, ++m_testGeneration), "ProviderProbe::runTest");
}

void ProviderProbe::forgetConnections()
{
    if (m_network)
        m_network->clearConnectionCache();
}

void ProviderProbe::cancelTest()
{
    m_testCancel.cancel();
}

void ProviderProbe::abandon()
{
    // Stale generations make the coroutines exit silently when they resume after cancel().
    ++m_fetchGeneration;
    ++m_testGeneration;
    m_fetching = false;
    m_testing = false;
    cancelAll();
}

void ProviderProbe::cancelAll()
{
    m_fetchCancel.cancel();
    m_testCancel.cancel();
}

QCoro::Task<> ProviderProbe::runFetch(ProviderSettings settings, CancelToken cancel, int generation)
{
    QPointer<ProviderProbe> self(this);
    // A throwaway provider built from the editor's fields: the app's providers change only on OK.
    const std::shared_ptr<ChatProvider> provider = makeChatProvider(m_network.data(), std::move(settings));
    const Result<QStringList> models = co_await provider->listModels(cancel);
    // Destroyed, or superseded by a newer fetch, while the server answered.
    if (!self || generation != m_fetchGeneration)
        co_return;
    m_fetching = false;
    if (models)
        Q_EMIT modelsFetched(*models);
    else
        Q_EMIT modelsFailed(models.error().isCancelled() ? tr("Cancelled.") : models.error().message);
}

QCoro::Task<> ProviderProbe::runTest(ProviderSettings settings, CancelToken cancel, int generation)
{
    QPointer<ProviderProbe> self(this);
    const std::shared_ptr<ChatProvider> provider = makeChatProvider(m_network.data(), settings);
    ChatRequest request;
    request.model = settings.model;
    request.messages = { ChatMessage { u"user"_s, testPrompt() } };
    request.maxTokens = 16; // Anthropic requires a cap, and a test should cost next to nothing
    QElapsedTimer clock;
    clock.start();
    qint64 firstTokenMs = -1;
    QString answer;
    QString reasoning;
    std::optional<Error> failure;
    auto stream = provider->stream(std::move(request), cancel);
    auto it = co_await stream.begin();
    while (it != stream.end()) {
        if (!self || generation != m_testGeneration)
            co_return; // the stream's frame is cancelled by whoever replaced or destroyed us
        StreamChunk &chunk = *it;
        if (chunk.error) {
            failure = std::move(chunk.error);
            break;
        }
        if (firstTokenMs < 0 && (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty()))
            firstTokenMs = clock.elapsed();
        answer += chunk.content;
        reasoning += chunk.reasoning;
        if (answer.size() >= kShownChars) {
            cancel.cancel(); // seen enough; stop the server's work (and the bill)
            break;
        }
        co_await ++it;
    }
    if (!self || generation != m_testGeneration)
        co_return;
    m_testing = false;
    if (failure && !(failure->isCancelled() && firstTokenMs >= 0)) {
        Q_EMIT testFinished(false, failure->isCancelled() ? tr("Test cancelled.") : failure->message);
        if (failure->kind == Error::Kind::Tls && !failure->detail.isEmpty())
            Q_EMIT certificateUntrusted(failure->detail.toLatin1());
        co_return;
    }
    if (firstTokenMs < 0) {
        Q_EMIT testFinished(false, tr("The server answered without any text. Check the model name."));
        co_return;
    }
    QString shown = answer.simplified();
    if (shown.size() > kShownChars)
        shown = shown.left(kShownChars - 1) + u'…';
    if (shown.isEmpty() && !reasoning.isEmpty())
        shown = tr("(still reasoning)"); // a reasoning model answered, just not with words yet
    Q_EMIT testFinished(true, tr("First token after %1 ms: “%2”").arg(firstTokenMs).arg(shown));
}

} // namespace ragdesk
