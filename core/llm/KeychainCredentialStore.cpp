#include "core/llm/KeychainCredentialStore.h"

#include <QCoroSignal>
#include <QPointer>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

const QString kUnavailableMessage =
    u"No keychain service is running (Secret Service, e.g. GNOME Keyring or KWallet). ragdesk can keep the key "
    "in memory for this session only; start or install a keychain service to store it across sessions."_s;

/// What the finished job left behind, copied out while the job is certainly alive.
struct JobOutcome {
    QKeychain::Error code = QKeychain::OtherError;
    QString errorString;
    QString text;
};

/// True when QtKeychain's failure text says the D-Bus Secret Service (or the bus itself) is
/// missing. libsecret reports those as OtherError or AccessDenied with GLib's D-Bus messages,
/// so the text is all there is to tell "no service" from a real failure.
bool looksLikeMissingService(const QString &errorString)
{
    static const QStringList markers{
        u"org.freedesktop.secrets"_s,     // "The name org.freedesktop.secrets was not provided by any .service files"
        u"ServiceUnknown"_s,
        u"NameHasNoOwner"_s,
        u"Could not connect"_s,           // GDBus: the session bus address points nowhere
        u"DBUS_SESSION_BUS_ADDRESS"_s,    // GDBus: no session bus at all
        u"Cannot autolaunch"_s,
        u"Cannot spawn a message bus"_s,
        u"No such file or directory"_s,   // the bus socket is gone
        u"Connection refused"_s,
        u"D-Bus"_s,
        u"DBus"_s,
        u"kwalletd"_s,                    // QtKeychain's KWallet path without a running wallet
    };
    for (const QString &marker : markers) {
        if (errorString.contains(marker, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

/// Turns a failed job into an Error. Never puts the key in the message or detail: QtKeychain's
/// errorString describes the service, and the key is not passed here.
Error toError(const JobOutcome &outcome, const QString &action, const QString &providerId)
{
    const QString detail = u"QtKeychain error %1 while %2 the key of provider '%3': %4"_s.arg(
        QString::number(static_cast<int>(outcome.code)), action, providerId, outcome.errorString);
    switch (outcome.code) {
    case QKeychain::NoBackendAvailable:
        return Error{Error::Kind::Unavailable, kUnavailableMessage, detail, 0};
    case QKeychain::AccessDeniedByUser:
        return Error{Error::Kind::Cancelled,
                     u"Access to the keychain was denied, so the API key for '%1' was not %2."_s.arg(
                         providerId, action == u"reading"_s ? u"read"_s : u"changed"_s),
                     detail, 0};
    case QKeychain::OtherError:
    case QKeychain::AccessDenied:
        if (looksLikeMissingService(outcome.errorString))
            return Error{Error::Kind::Unavailable, kUnavailableMessage, detail, 0};
        break;
    default:
        break;
    }
    return Error{Error::Kind::Unknown,
                 u"The keychain failed while %1 the API key for '%2': %3"_s.arg(action, providerId, outcome.errorString),
                 detail, 0};
}

/// Configures, starts and awaits @p job. The job deletes itself (autoDelete) after it emitted
/// finished; QCoro resumes us through a queued call posted before that deferred delete, and the
/// QPointer guards against the order ever changing.
QCoro::Task<JobOutcome> runJob(QKeychain::Job *job)
{
    job->setAutoDelete(true);
    // Never let QtKeychain write the key to a plain settings file when no keychain exists.
    job->setInsecureFallback(false);
    QPointer<QKeychain::Job> guard(job);
    // qCoro() connects at once, so a job that finishes during start() is not missed.
    auto finished = qCoro(job, &QKeychain::Job::finished);
    job->start();
    co_await std::move(finished);
    JobOutcome outcome;
    if (!guard) {
        outcome.errorString = u"the keychain job was deleted before its result was read"_s;
        co_return outcome;
    }
    outcome.code = guard->error();
    outcome.errorString = guard->errorString();
    if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(guard.data()))
        outcome.text = read->textData();
    co_return outcome;
}

} // namespace

KeychainCredentialStore::KeychainCredentialStore(QString service)
    : m_service(std::move(service))
{
}

QString KeychainCredentialStore::defaultService()
{
    return u"ragdesk"_s;
}

QCoro::Task<Result<QString>> KeychainCredentialStore::readKey(QString providerId)
{
    // Parent-less: the job frees itself, and nothing of `this` is used after the await.
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(providerId);
    const JobOutcome outcome = co_await runJob(job);
    if (outcome.code == QKeychain::NoError)
        co_return outcome.text;
    if (outcome.code == QKeychain::EntryNotFound)
        co_return QString();
    co_return std::unexpected(toError(outcome, u"reading"_s, providerId));
}

QCoro::Task<Result<void>> KeychainCredentialStore::writeKey(QString providerId, QString key)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(providerId);
    job->setTextData(key);
    const JobOutcome outcome = co_await runJob(job);
    if (outcome.code == QKeychain::NoError)
        co_return {};
    co_return std::unexpected(toError(outcome, u"storing"_s, providerId));
}

QCoro::Task<Result<void>> KeychainCredentialStore::removeKey(QString providerId)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(providerId);
    const JobOutcome outcome = co_await runJob(job);
    if (outcome.code == QKeychain::NoError || outcome.code == QKeychain::EntryNotFound)
        co_return {};
    co_return std::unexpected(toError(outcome, u"removing"_s, providerId));
}

} // namespace ragdesk
