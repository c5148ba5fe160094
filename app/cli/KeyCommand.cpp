#include "app/cli/KeyCommand.h"

#include "app/cli/CliOutput.h"
#include "core/llm/KeychainCredentialStore.h"
#include "core/llm/ProviderCredentials.h"

#include <QTextStream>

#include <cstdio>
#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

const QString usage = u"usage: ragdesk-cli key set PROVIDER_ID      (reads the key from stdin)\n"
                      "       ragdesk-cli key forget PROVIDER_ID\n"
                      "       ragdesk-cli key status PROVIDER_ID\n"_s;

/// Turns terminal echo off for its lifetime, so a typed key does not show on screen.
class EchoOff
{
public:
    EchoOff()
    {
        m_active = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &m_saved) == 0;
        if (m_active) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
    ~EchoOff()
    {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    EchoOff(const EchoOff &) = delete;
    EchoOff &operator=(const EchoOff &) = delete;
    [[nodiscard]] bool active() const { return m_active; }

private:
    termios m_saved{};
    bool m_active = false;
};

/// One line from stdin without its line end. Reading blocks, but this is the CLI before any
/// asynchronous work has started, so there is no event loop work to starve.
QString readKeyLine()
{
    std::string line;
    {
        const EchoOff echoOff;
        if (echoOff.active()) {
            err() << "API key (input hidden): " << Qt::flush;
        }
        std::getline(std::cin, line);
        if (echoOff.active())
            err() << Qt::endl; // the user's Enter was not echoed either
    }
    QString key = QString::fromStdString(line);
    while (key.endsWith(u'\r') || key.endsWith(u'\n'))
        key.chop(1);
    return key.trimmed();
}

} // namespace

QCoro::Task<int> KeyCommand::run(CliContext context)
{
    const QStringList args = context.parser->positionalArguments().mid(1);
    if (args.size() != 2 || !QStringList{u"set"_s, u"forget"_s, u"status"_s}.contains(args.at(0))) {
        err() << usage << Qt::flush;
        co_return 2;
    }
    const QString action = args.at(0);
    const QString providerId = args.at(1);
    KeychainCredentialStore keychain;
    QTextStream out(stdout);

    if (action == u"set"_s) {
        const QString key = readKeyLine();
        if (key.isEmpty()) {
            err() << "ragdesk-cli: no key on stdin; nothing stored (use `key forget` to remove a key)" << Qt::endl;
            co_return 2;
        }
        const auto written = co_await keychain.writeKey(providerId, key);
        if (!written)
            co_return report(written.error());
        out << "stored in the keychain" << Qt::endl;
        co_return 0;
    }

    if (action == u"forget"_s) {
        const auto removed = co_await keychain.removeKey(providerId);
        if (!removed)
            co_return report(removed.error());
        out << "no key stored" << Qt::endl;
        co_return 0;
    }

    // status: what is stored, never the key itself.
    const auto stored = co_await keychain.readKey(providerId);
    if (ProviderCredentials::environmentKey().size() > 0)
        err() << "ragdesk-cli: RAGDESK_API_KEY is set; it overrides the stored key in processes that see it" << Qt::endl;
    if (!stored)
        co_return report(stored.error());
    out << (stored->isEmpty() ? "no key stored" : "stored in the keychain") << Qt::endl;
    co_return 0;
}

} // namespace ragdesk::cli
