#pragma once

#include "core/foundation/CancelToken.h"
#include "core/llm/ChatTypes.h"

#include <QCoroTask>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QNetworkAccessManager;

namespace ragdesk {

/// Talks to a provider on behalf of the settings editor: lists its models, or streams a tiny
/// request to measure the time to the first token. Each kind of probe runs once at a time; a
/// newer one cancels the older, and destroying the probe cancels both. A cancelled coroutine
/// resumes on a later turn of the event loop (QCoro queues the wake-up), sees its stale
/// generation or dead QPointer and exits without touching the probe.
class ProviderProbe : public QObject
{
    Q_OBJECT
public:
    explicit ProviderProbe(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ProviderProbe() override;

    /// The prompt of the test request; short, so it costs next to nothing on paid APIs.
    static QString testPrompt();

    void fetchModels(const ProviderSettings &settings);
    void test(const ProviderSettings &settings);
    void cancelTest();
    /// Drops idle connections, e.g. after a certificate was trusted: Qt would otherwise reuse
    /// the failed handshake's connection state and fail again.
    void forgetConnections();
    /// Cancels the test and the model fetch, e.g. because the dialog closes.
    void cancelAll();
    /// Cancels both without reporting, e.g. because the editor now shows another profile.
    void abandon();
    [[nodiscard]] bool isTesting() const { return m_testing; }
    [[nodiscard]] bool isFetching() const { return m_fetching; }

Q_SIGNALS:
    void modelsFetched(const QStringList &models);
    void modelsFailed(const QString &message);
    /// @p text: "First token after 412 ms: “ready”", or what went wrong.
    void testFinished(bool ok, const QString &text);
    /// The test failed on a certificate ragdesk does not trust; @p pem is that certificate,
    /// for the user to trust explicitly (verification itself is never switched off).
    void certificateUntrusted(const QByteArray &pem);

private:
    QCoro::Task<> runFetch(ProviderSettings settings, CancelToken cancel, int generation);
    QCoro::Task<> runTest(ProviderSettings settings, CancelToken cancel, int generation);

    QPointer<QNetworkAccessManager> m_network;
    CancelToken m_fetchCancel;
    CancelToken m_testCancel;
    int m_fetchGeneration = 0;
    int m_testGeneration = 0;
    bool m_fetching = false;
    bool m_testing = false;
};

} // namespace ragdesk
